package dev.slipway.layer;

import dev.slipway.SlipwayException;
import java.nio.charset.StandardCharsets;
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

    static int compare(String a, String b) {
        int ia = 0;
        int ib = 0;
        while (true) {
            if (ia >= a.length() || ib >= b.length()) {
                return Boolean.compare(ia < a.length(), ib < b.length());
            }
            int ea = end(a, ia);
            int eb = end(b, ib);
            String ca = a.substring(ia, ea);
            String cb = b.substring(ib, eb);
            int c = compareComponent(ca, cb);
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

    private static int compareComponent(String a, String b) {
        boolean wa = a.startsWith(LayerEntry.WHITEOUT_PREFIX);
        boolean wb = b.startsWith(LayerEntry.WHITEOUT_PREFIX);
        if (wa != wb) {
            return wa ? -1 : 1;
        }
        return java.util.Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
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
