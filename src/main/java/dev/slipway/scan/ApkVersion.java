package dev.slipway.scan;

/**
 * Alpine package versions ordered as apk-tools 2.x {@code apk_version_compare_blob} orders them,
 * quirks included (a zero component before a suffix: {@code 1.0_rc1 > 1.0}), since Alpine's secdb
 * fixed versions are written against that tool.
 */
public final class ApkVersion {
    private static final int INVALID = -1;
    private static final int DIGIT_OR_ZERO = 0;
    private static final int DIGIT = 1;
    private static final int LETTER = 2;
    private static final int SUFFIX = 3;
    private static final int SUFFIX_NO = 4;
    private static final int REVISION_NO = 5;
    private static final int END = 6;
    private static final String[] PRE = {"alpha", "beta", "pre", "rc"};
    private static final String[] POST = {"cvs", "svn", "git", "hg", "p"};

    private ApkVersion() {
    }

    private static final class Cursor {
        final String s;
        int pos;
        int type = DIGIT;

        Cursor(String s) {
            this.s = s;
        }

        int len() {
            return s.length() - pos;
        }

        void nextToken() {
            int n = INVALID;
            if (len() == 0 || s.charAt(pos) == 0) {
                n = END;
            } else if ((type == DIGIT || type == DIGIT_OR_ZERO) && isLower(s.charAt(pos))) {
                n = LETTER;
            } else if (type == LETTER && isDigit(s.charAt(pos))) {
                n = DIGIT;
            } else if (type == SUFFIX && isDigit(s.charAt(pos))) {
                n = SUFFIX_NO;
            } else {
                switch (s.charAt(pos)) {
                    case '.' -> n = DIGIT_OR_ZERO;
                    case '_' -> n = SUFFIX;
                    case '-' -> {
                        if (len() > 1 && s.charAt(pos + 1) == 'r') {
                            n = REVISION_NO;
                            pos++;
                        }
                    }
                    default -> {
                    }
                }
                pos++;
            }
            if (n < type && !((n == DIGIT_OR_ZERO && type == DIGIT) || (n == SUFFIX && type == SUFFIX_NO)
                    || (n == DIGIT && type == LETTER))) {
                n = INVALID;
            }
            type = n;
        }

        long getToken() {
            long v = 0;
            int i = 0;
            int nt = INVALID;
            if (len() <= 0) {
                type = END;
                return 0;
            }
            switch (type) {
                case DIGIT_OR_ZERO -> {
                    while (i < len() && s.charAt(pos + i) == '0') {
                        i++;
                    }
                    nt = DIGIT;
                    v = -i;
                }
                case DIGIT, SUFFIX_NO, REVISION_NO -> {
                    while (i < len() && isDigit(s.charAt(pos + i))) {
                        v = Math.min(v * 10 + (s.charAt(pos + i) - '0'), Long.MAX_VALUE / 20);
                        i++;
                    }
                }
                case LETTER -> v = s.charAt(pos + i++);
                case SUFFIX -> {
                    int k = match(PRE);
                    if (k >= 0) {
                        i = PRE[k].length();
                        v = k - PRE.length;
                    } else {
                        k = match(POST);
                        if (k < 0) {
                            type = INVALID;
                            return -1;
                        }
                        i = POST[k].length();
                        v = k;
                    }
                }
                default -> {
                    type = INVALID;
                    return -1;
                }
            }
            pos += i;
            if (len() == 0) {
                type = END;
            } else if (nt != INVALID) {
                type = nt;
            } else {
                nextToken();
            }
            return v;
        }

        private int match(String[] words) {
            for (int k = 0; k < words.length; k++) {
                if (s.startsWith(words[k], pos)) {
                    return k;
                }
            }
            return -1;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    public static int compare(String a, String b) {
        Cursor x = new Cursor(a.trim());
        Cursor y = new Cursor(b.trim());
        long av = 0;
        long bv = 0;
        while (x.type == y.type && x.type != END && x.type != INVALID && av == bv) {
            av = x.getToken();
            bv = y.getToken();
        }
        if (av != bv) {
            return av < bv ? -1 : 1;
        }
        if (x.type == y.type) {
            return 0;
        }
        if (x.type == SUFFIX && peek(x) < 0) {
            return -1;
        }
        if (y.type == SUFFIX && peek(y) < 0) {
            return 1;
        }
        return x.type > y.type ? -1 : 1;
    }

    private static long peek(Cursor c) {
        Cursor copy = new Cursor(c.s);
        copy.pos = c.pos;
        copy.type = c.type;
        return copy.getToken();
    }
}
