package dev.slipway.scan;

import java.util.List;

/** Left-aligned columns separated by three spaces, as Docker's tables are. */
final class Tables {
    private Tables() {
    }

    static String render(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                line.append(r[c]);
                if (c < columns - 1) {
                    line.append(" ".repeat(width[c] - r[c].length() + 3));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
