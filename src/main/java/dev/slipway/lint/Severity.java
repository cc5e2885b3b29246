package dev.slipway.lint;

import dev.slipway.SlipwayException;
import java.util.Locale;

/** How bad a finding is, most severe first; {@link #IGNORE} switches a rule off. */
public enum Severity {
    ERROR, WARNING, INFO, STYLE, IGNORE;

    /** Lower-case name as written in output and configuration. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this severity is at least as bad as {@code threshold}. */
    public boolean meets(Severity threshold) {
        return this != IGNORE && threshold != IGNORE && ordinal() <= threshold.ordinal();
    }

    /** Parses {@code error|warning|info|style|ignore}, with {@code none} as hadolint's alias for ignore. */
    public static Severity parse(String text) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (t.equals("none")) {
            return IGNORE;
        }
        for (Severity s : values()) {
            if (s.label().equals(t)) {
                return s;
            }
        }
        throw new SlipwayException("unknown severity \"" + text + "\": use error, warning, info, style or ignore",
                null, 2);
    }
}
