package dev.slipway.scan;

import java.util.Locale;

/** Severity ratings, lowest first; UNKNOWN when an advisory gives none Slipway can read. */
public enum Severity {
    UNKNOWN,
    LOW,
    MEDIUM,
    HIGH,
    CRITICAL;

    /** A textual rating as advisories write it ({@code MODERATE}, {@code important}, ...); null if not one. */
    public static Severity fromText(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim().toUpperCase(Locale.ROOT)) {
            case "LOW", "NEGLIGIBLE", "UNIMPORTANT" -> LOW;
            case "MEDIUM", "MODERATE" -> MEDIUM;
            case "HIGH", "IMPORTANT" -> HIGH;
            case "CRITICAL" -> CRITICAL;
            default -> null;
        };
    }

    public static Severity fromScore(double score) {
        if (score >= 9.0) {
            return CRITICAL;
        }
        if (score >= 7.0) {
            return HIGH;
        }
        if (score >= 4.0) {
            return MEDIUM;
        }
        return score > 0 ? LOW : UNKNOWN;
    }

    /** {@code LOW,HIGH} as the {@code --severity} option takes it. */
    public static Severity parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new dev.slipway.SlipwayException("unknown severity " + name
                    + " (expected UNKNOWN, LOW, MEDIUM, HIGH or CRITICAL)");
        }
    }
}
