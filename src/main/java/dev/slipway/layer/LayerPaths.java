package dev.slipway.layer;

import dev.slipway.SlipwayException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;

/** Path rules shared by writing and reading: the entry order and the cleaning of tar names. */
public final class LayerPaths {
    private LayerPaths() {}

    /**
     * Entry order: component by component, comparing UTF-8 bytes, so a directory comes right before
     * its own subtree (as a lexical directory walk gives). Among siblings whiteouts come first, as
     * the OCI spec recommends, so a reader applying entries in order deletes before it adds.
     */
    public static final Comparator<String> ORDER = LayerPaths::compare;

    /**
     * Compares in place, without the substrings and byte arrays a naive version makes: a layer's
     * entries are sorted on every commit, tens of thousands of comparisons for a few thousand files.
     */
    static int compare(String a, String b) {
        int ia = 0;
        int ib = 0;
        while (true) {
            if (ia >= a.length() || ib >= b.length()) {
                return Boolean.compare(ia < a.length(), ib < b.length());
            }
            int ea = end(a, ia);
            int eb = end(b, ib);
            int c = compareComponent(a, ia, ea, b, ib, eb);
            if (c != 0) {
                return c;
            }
            ia = ea + 1;
            ib = eb + 1;
        }
    }

    private static int end(String s, int from) {
        int slash = s.indexOf('/', from);
        return slash < 0 ? s.length() : slash;
    }

    /** Whiteouts first, then UTF-8 byte order, which is code point order. */
    private static int compareComponent(String a, int ia, int ea, String b, int ib, int eb) {
        boolean wa = isWhiteout(a, ia, ea);
        boolean wb = isWhiteout(b, ib, eb);
        if (wa != wb) {
            return wa ? -1 : 1;
        }
        while (ia < ea && ib < eb) {
            int ca = codePoint(a, ia, ea);
            int cb = codePoint(b, ib, eb);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            ia += Character.charCount(ca);
            ib += Character.charCount(cb);
        }
        return Boolean.compare(ia < ea, ib < eb);
    }

    private static boolean isWhiteout(String s, int from, int end) {
        int n = LayerEntry.WHITEOUT_PREFIX.length();
        return end - from >= n && s.regionMatches(from, LayerEntry.WHITEOUT_PREFIX, 0, n);
    }

    /** The code point at {@code i}; a lone surrogate counts as the {@code ?} UTF-8 encoding gives it. */
    private static int codePoint(String s, int i, int end) {
        char c = s.charAt(i);
        if (!Character.isSurrogate(c)) {
            return c;
        }
        if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
            return Character.toCodePoint(c, s.charAt(i + 1));
        }
        return '?';
    }

    /**
     * Cleans a tar entry name into the form {@link LayerEntry} uses: a leading {@code /} or
     * {@code ./} is dropped (as Docker does for absolute names), {@code .} and empty components
     * vanish and {@code ..} is resolved lexically. A name that climbs above the root is hostile
     * and refused. The root itself cleans to the empty string.
     */
    public static String clean(String name) {
        if (name.indexOf('\0') >= 0) {
            throw new SlipwayException("tar entry name contains a NUL byte: " + name.replace('\0', '?'));
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new SlipwayException("tar entry escapes the root: " + name);
                }
                parts.removeLast();
            } else {
                parts.addLast(part);
            }
        }
        return String.join("/", parts);
    }
}
