package dev.slipway.image;

/**
 * The grammar of distribution's {@code reference} package, matched by hand: compiling its regular
 * expressions was most of the cost of the first reference a process parses, and every short command
 * parses one (the store's references). {@code ReferenceGrammarTest} holds the expressions and
 * compares each method with its expression on generated input.
 */
final class ReferenceGrammar {
    private ReferenceGrammar() {
    }

    /** {@code [a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*} components joined by {@code /}. */
    static boolean isPath(String s) {
        int i = 0;
        int n = s.length();
        while (true) {
            i = component(s, i, n);
            if (i < 0) {
                return false;
            }
            if (i == n) {
                return true;
            }
            // component() stops only at the end or at a slash
            i++;
        }
    }

    /** The end of the path component starting at {@code i} (the end or a slash), or -1. */
    private static int component(String s, int i, int n) {
        i = alphanumerics(s, i, n);
        if (i < 0) {
            return -1;
        }
        while (i < n && s.charAt(i) != '/') {
            int start = i;
            char c = s.charAt(i);
            if (c == '.') {
                i++;
            } else if (c == '_') {
                i++;
                if (i < n && s.charAt(i) == '_') {
                    i++;
                }
            } else if (c == '-') {
                while (i < n && s.charAt(i) == '-') {
                    i++;
                }
            }
            if (i == start) {
                return -1;
            }
            i = alphanumerics(s, i, n);
            if (i < 0) {
                return -1;
            }
        }
        return i;
    }

    /** The end of a run of at least one {@code [a-z0-9]} at {@code i}, or -1. */
    private static int alphanumerics(String s, int i, int n) {
        int start = i;
        while (i < n && (lowerAlpha(s.charAt(i)) || digit(s.charAt(i)))) {
            i++;
        }
        return i == start ? -1 : i;
    }

    /**
     * A registry host: dot-separated labels ({@code [a-zA-Z0-9]}, or one of those at each end with
     * {@code [a-zA-Z0-9-]} between) or a bracketed IPv6 address ({@code [a-fA-F0-9:]+}), then an
     * optional {@code :} and port digits.
     */
    static boolean isDomain(String s) {
        int n = s.length();
        int i;
        if (n > 0 && s.charAt(0) == '[') {
            i = 1;
            while (i < n && (hex(s.charAt(i)) || s.charAt(i) == ':')) {
                i++;
            }
            if (i == 1 || i == n || s.charAt(i) != ']') {
                return false;
            }
            i++;
        } else {
            i = 0;
            while (true) {
                int start = i;
                while (i < n && (alphanumeric(s.charAt(i)) || s.charAt(i) == '-')) {
                    i++;
                }
                if (i == start || s.charAt(start) == '-' || s.charAt(i - 1) == '-') {
                    return false;
                }
                if (i < n && s.charAt(i) == '.') {
                    i++;
                    continue;
                }
                break;
            }
        }
        if (i == n) {
            return true;
        }
        if (s.charAt(i) != ':' || i + 1 == n) {
            return false;
        }
        for (i++; i < n; i++) {
            if (!digit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** {@code [\w][\w.-]{0,127}}, {@code \w} being {@code [a-zA-Z_0-9]}. */
    static boolean isTag(String s) {
        int n = s.length();
        if (n == 0 || n > 128 || !word(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            if (!word(c) && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** {@code [a-f0-9]{64}}. */
    static boolean isHex64(String s) {
        if (s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = s.charAt(i);
            if (!digit(c) && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    private static boolean lowerAlpha(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean alphanumeric(char c) {
        return lowerAlpha(c) || (c >= 'A' && c <= 'Z') || digit(c);
    }

    private static boolean word(char c) {
        return alphanumeric(c) || c == '_';
    }

    private static boolean hex(char c) {
        return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }
}
