package dev.slipway.lint;

import java.util.ArrayList;
import java.util.List;

/** A unified diff of two texts, line by line (Dockerfiles are small, so a plain LCS table is fine). */
public final class Diff {
    private Diff() {
    }

    public static String unified(String before, String after, String oldName, String newName) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        int n = a.length;
        int m = b.length;
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        // ops: ' ' keep, '-' delete, '+' insert, with the line and both positions
        List<Object[]> ops = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[i].equals(b[j])) {
                ops.add(new Object[] {' ', a[i], i, j});
                i++;
                j++;
            } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) {
                ops.add(new Object[] {'-', a[i], i, j});
                i++;
            } else {
                ops.add(new Object[] {'+', b[j], i, j});
                j++;
            }
        }
        StringBuilder out = new StringBuilder();
        int context = 3;
        int k = 0;
        while (k < ops.size()) {
            if ((char) ops.get(k)[0] == ' ') {
                k++;
                continue;
            }
            int start = Math.max(0, k - context);
            int end = k;
            int lastChange = k;
            while (end < ops.size() && (end - lastChange) <= 2 * context) {
                if ((char) ops.get(end)[0] != ' ') {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(ops.size(), lastChange + context + 1);
            if (out.length() == 0) {
                out.append("--- ").append(oldName).append('\n').append("+++ ").append(newName).append('\n');
            }
            int oldStart = (int) ops.get(start)[2];
            int newStart = (int) ops.get(start)[3];
            int oldCount = 0;
            int newCount = 0;
            StringBuilder hunk = new StringBuilder();
            for (int h = start; h < end; h++) {
                char op = (char) ops.get(h)[0];
                hunk.append(op).append(ops.get(h)[1]).append('\n');
                oldCount += op != '+' ? 1 : 0;
                newCount += op != '-' ? 1 : 0;
            }
            out.append("@@ -").append(oldStart + 1).append(',').append(oldCount).append(" +").append(newStart + 1)
                    .append(',').append(newCount).append(" @@\n").append(hunk);
            k = end;
        }
        return out.toString();
    }
}
