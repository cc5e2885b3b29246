package dev.slipway.build;

import dev.slipway.dockerfile.GoText;
import java.util.List;
import java.util.stream.Collectors;

/** Go's fmt verbs as BuildKit's history strings use them. */
final class GoFormat {
    private GoFormat() {
    }

    /** {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
    static String quotedList(List<String> values) {
        return values.stream().map(GoText::quote).collect(Collectors.joining(" ", "[", "]"));
    }

    /** {@code %v} of a {@code []string}: {@code [a b]}. */
    static String list(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }

    /** Go's {@code time.Duration.String()}: {@code 1m30s}, {@code 500ms}, {@code 0s}. */
    static String duration(long nanos) {
        if (nanos == 0) {
            return "0s";
        }
        boolean negative = nanos < 0;
        long u = Math.abs(nanos);
        String out;
        if (u < 1_000_000_000L) {
            if (u < 1_000) {
                out = u + "ns";
            } else if (u < 1_000_000) {
                out = fraction(u, 3) + "\u00b5s";
            } else {
                out = fraction(u, 6) + "ms";
            }
        } else {
            String seconds = fraction(u % 60_000_000_000L, 9) + "s";
            long minutes = u / 60_000_000_000L;
            if (minutes == 0) {
                out = seconds;
            } else if (minutes < 60) {
                out = minutes + "m" + seconds;
            } else {
                out = (minutes / 60) + "h" + (minutes % 60) + "m" + seconds;
            }
        }
        return negative ? "-" + out : out;
    }

    /** {@code value / 10^digits} with trailing zeros of the fraction removed. */
    private static String fraction(long value, int digits) {
        long scale = (long) Math.pow(10, digits);
        long whole = value / scale;
        long frac = value % scale;
        if (frac == 0) {
            return Long.toString(whole);
        }
        String f = String.format("%0" + digits + "d", frac).replaceAll("0+$", "");
        return whole + "." + f;
    }
}
