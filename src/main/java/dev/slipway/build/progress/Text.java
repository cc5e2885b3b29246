package dev.slipway.build.progress;

/** Text as a terminal shows it: display columns, cut to a width, cleaned of control sequences. */
final class Text {
    private Text() {
    }

    /** The columns {@code s} takes: East Asian wide characters two, combining marks none. */
    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += columns(cp);
            i += Character.charCount(cp);
        }
        return w;
    }

    /** {@code s} cut to at most {@code width} columns, the cut marked with an ellipsis. */
    static String fit(String s, int width) {
        if (width <= 0) {
            return "";
        }
        if (width(s) <= width) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int c = columns(cp);
            if (w + c > width - 1) {
                break;
            }
            b.appendCodePoint(cp);
            w += c;
            i += Character.charCount(cp);
        }
        return b.append('…').toString();
    }

    /** {@code left} and {@code right} on one line of {@code width} columns, {@code right} flush right; {@code left} is cut first. */
    static String spread(String left, String right, int width) {
        if (right.isEmpty()) {
            return fit(left, width);
        }
        int room = width - width(right) - 1;
        if (room < 4) {
            return fit(left + " " + right, width);
        }
        String l = fit(left, room);
        return l + " ".repeat(room - width(l) + 1) + right;
    }

    /**
     * What a line of program output shows once its carriage returns have been applied (the last
     * non-empty part wins, as a progress bar redrawn with {@code \r} does), without escape sequences
     * or other control characters, tabs expanded.
     */
    static String clean(String line) {
        String s = line;
        int cr = s.lastIndexOf('\r');
        while (cr >= 0 && cr == s.length() - 1) {
            s = s.substring(0, cr);
            cr = s.lastIndexOf('\r');
        }
        if (cr >= 0) {
            s = s.substring(cr + 1);
        }
        StringBuilder b = new StringBuilder(s.length());
        int col = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0x1b) {
                i = skipEscape(s, i);
            } else if (c == '\t') {
                int pad = 8 - col % 8;
                b.append(" ".repeat(pad));
                col += pad;
            } else if (c >= 0x20 && c != 0x7f && !(c >= 0x80 && c < 0xa0)) {
                b.append(c);
                col++;
            }
        }
        return b.toString();
    }

    /** The index of the last character of the escape sequence starting at {@code i}. */
    private static int skipEscape(String s, int i) {
        if (i + 1 >= s.length()) {
            return i;
        }
        char next = s.charAt(i + 1);
        if (next == '[') {
            int j = i + 2;
            while (j < s.length() && (s.charAt(j) < 0x40 || s.charAt(j) > 0x7e)) {
                j++;
            }
            return Math.min(j, s.length() - 1);
        }
        if (next == ']') {
            int j = i + 2;
            while (j < s.length() && s.charAt(j) != 0x07 && !(s.charAt(j) == 0x1b && j + 1 < s.length()
                    && s.charAt(j + 1) == '\\')) {
                j++;
            }
            return j < s.length() && s.charAt(j) == 0x1b ? j + 1 : Math.min(j, s.length() - 1);
        }
        return i + 1;
    }

    private static int columns(int cp) {
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT) {
            return 0;
        }
        boolean wide = (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp != 0x303f)
                || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f)
                || (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f)
                || (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd);
        return wide ? 2 : 1;
    }
}
