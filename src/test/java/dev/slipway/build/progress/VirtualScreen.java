package dev.slipway.build.progress;

import java.util.ArrayList;
import java.util.List;

/**
 * What a terminal shows after receiving some output: applies CR, LF (as CR LF, the tty's onlcr),
 * cursor up ({@code ESC[nA}), erase to end of line ({@code ESC[K}) and of screen ({@code ESC[J});
 * colors ({@code ESC[...m}) are dropped. Anything else fails, so a view cannot emit sequences the
 * tests do not understand. The screen is unbounded: nothing scrolls away.
 */
final class VirtualScreen {
    private final List<StringBuilder> rows = new ArrayList<>();
    private int row;
    private int col;

    static String render(String output) {
        VirtualScreen s = new VirtualScreen();
        s.feed(output);
        return s.text();
    }

    void feed(String out) {
        for (int i = 0; i < out.length(); i++) {
            char c = out.charAt(i);
            if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                row++;
                col = 0;
            } else if (c == 0x1b) {
                int j = i + 2;
                if (j > out.length() || out.charAt(i + 1) != '[') {
                    throw new AssertionError("unexpected escape at " + i);
                }
                while (!Character.isLetter(out.charAt(j))) {
                    j++;
                }
                String arg = out.substring(i + 2, j);
                switch (out.charAt(j)) {
                    case 'A' -> row = Math.max(0, row - (arg.isEmpty() ? 1 : Integer.parseInt(arg)));
                    case 'K' -> truncate(row, col);
                    case 'J' -> {
                        truncate(row, col);
                        while (rows.size() > row + 1) {
                            rows.remove(rows.size() - 1);
                        }
                    }
                    case 'm' -> {
                    }
                    default -> throw new AssertionError("unexpected escape " + out.substring(i + 1, j + 1));
                }
                i = j;
            } else {
                line(row);
                StringBuilder b = rows.get(row);
                while (b.length() < col) {
                    b.append(' ');
                }
                if (col < b.length()) {
                    b.setCharAt(col, c);
                } else {
                    b.append(c);
                }
                col++;
            }
        }
    }

    private void truncate(int r, int c) {
        if (r < rows.size() && rows.get(r).length() > c) {
            rows.get(r).setLength(c);
        }
    }

    private void line(int r) {
        while (rows.size() <= r) {
            rows.add(new StringBuilder());
        }
    }

    /** The screen's rows, trailing empty rows dropped. */
    String text() {
        List<String> lines = new ArrayList<>();
        rows.forEach(b -> lines.add(b.toString()));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        return String.join("\n", lines);
    }
}
