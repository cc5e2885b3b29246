package dev.slipway.dockerfile;

import dev.slipway.SlipwayException;

/**
 * Go's {@code path/filepath.Match} on Unix, which BuildKit uses for COPY/ADD source wildcards:
 * {@code *} (any run of non-{@code /}), {@code ?} (one non-{@code /}), {@code [...]} classes with
 * ranges and {@code ^} negation, and {@code \} escapes. A malformed pattern is an error even when
 * the name would not have matched, as in Go.
 */
public final class GoGlob {

    /** Go's {@code filepath.ErrBadPattern} text. */
    public static final String BAD_PATTERN = "syntax error in pattern";

    private GoGlob() {
    }

    /**
     * Whether the whole name matches the pattern.
     *
     * @throws SlipwayException {@value #BAD_PATTERN} when the pattern is malformed
     */
    public static boolean match(String pattern, String name) {
        int[] p = pattern.codePoints().toArray();
        int[] s = name.codePoints().toArray();
        int pi = 0;
        int si = 0;
        pattern:
        while (pi < p.length) {
            boolean star = false;
            while (pi < p.length && p[pi] == '*') {
                pi++;
                star = true;
            }
            int chunkEnd = scanChunk(p, pi);
            if (star && chunkEnd == pi) {
                for (int i = si; i < s.length; i++) {
                    if (s[i] == '/') {
                        return false;
                    }
                }
                return true;
            }
            boolean last = chunkEnd == p.length;
            int t = matchChunk(p, pi, chunkEnd, s, si);
            if (t >= 0 && (t == s.length || !last)) {
                si = t;
                pi = chunkEnd;
                continue;
            }
            if (star) {
                for (int i = si; i < s.length && s[i] != '/'; i++) {
                    t = matchChunk(p, pi, chunkEnd, s, i + 1);
                    if (t >= 0) {
                        if (last && t < s.length) {
                            continue;
                        }
                        si = t;
                        pi = chunkEnd;
                        continue pattern;
                    }
                }
            }
            // Go checks the rest of the pattern before answering "no match".
            pi = chunkEnd;
            while (pi < p.length) {
                while (pi < p.length && p[pi] == '*') {
                    pi++;
                }
                int end = scanChunk(p, pi);
                matchChunk(p, pi, end, new int[0], 0);
                pi = end;
            }
            return false;
        }
        return si == s.length;
    }

    /** Whether a COPY/ADD source is a pattern rather than a literal path (BuildKit's containsWildcards). */
    public static boolean containsWildcards(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == '\\') {
                i++;
            } else if (ch == '*' || ch == '?' || ch == '[') {
                return true;
            }
        }
        return false;
    }

    /** Checks the pattern's syntax without matching anything. */
    public static void validate(String pattern) {
        match(pattern, ".");
    }

    private static int scanChunk(int[] p, int from) {
        boolean inRange = false;
        int i = from;
        for (; i < p.length; i++) {
            int c = p[i];
            if (c == '\\') {
                if (i + 1 < p.length) {
                    i++;
                }
            } else if (c == '[') {
                inRange = true;
            } else if (c == ']') {
                inRange = false;
            } else if (c == '*' && !inRange) {
                break;
            }
        }
        return i;
    }

    /** Matches chunk p[from, to) at s[si...]; returns the index after the match, or -1. */
    private static int matchChunk(int[] p, int from, int to, int[] s, int si) {
        boolean failed = false;
        int ci = from;
        while (ci < to) {
            if (!failed && si >= s.length) {
                failed = true;
            }
            int c = p[ci];
            if (c == '[') {
                int r = 0;
                if (!failed) {
                    r = s[si++];
                }
                ci++;
                boolean negated = false;
                if (ci < to && p[ci] == '^') {
                    negated = true;
                    ci++;
                }
                boolean matched = false;
                int ranges = 0;
                while (true) {
                    if (ci < to && p[ci] == ']' && ranges > 0) {
                        ci++;
                        break;
                    }
                    int[] lo = escaped(p, ci, to);
                    ci = lo[1];
                    int hi = lo[0];
                    if (p[ci] == '-') {
                        int[] h = escaped(p, ci + 1, to);
                        hi = h[0];
                        ci = h[1];
                    }
                    if (lo[0] <= r && r <= hi) {
                        matched = true;
                    }
                    ranges++;
                }
                if (matched == negated) {
                    failed = true;
                }
            } else if (c == '?') {
                if (!failed) {
                    if (s[si] == '/') {
                        failed = true;
                    }
                    si++;
                }
                ci++;
            } else {
                if (c == '\\') {
                    ci++;
                    if (ci >= to) {
                        throw new SlipwayException(BAD_PATTERN);
                    }
                    c = p[ci];
                }
                if (!failed) {
                    if (c != s[si]) {
                        failed = true;
                    }
                    si++;
                }
                ci++;
            }
        }
        return failed ? -1 : si;
    }

    /** One class character, possibly escaped: {value, index after it}; Go's getEsc. */
    private static int[] escaped(int[] p, int ci, int to) {
        if (ci >= to || p[ci] == '-' || p[ci] == ']') {
            throw new SlipwayException(BAD_PATTERN);
        }
        if (p[ci] == '\\') {
            ci++;
            if (ci >= to) {
                throw new SlipwayException(BAD_PATTERN);
            }
        }
        int r = p[ci++];
        if (ci >= to) {
            throw new SlipwayException(BAD_PATTERN);
        }
        return new int[] {r, ci};
    }
}
