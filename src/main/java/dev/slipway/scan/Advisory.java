package dev.slipway.scan;

import java.util.List;

/**
 * The part of an OSV record matching needs: one {@link Affected} per {@code affected[]} entry.
 *
 * @param severity the advisory's own rating (textual or from its CVSS v3 vector); UNKNOWN if none
 */
public record Advisory(String id, List<String> aliases, String summary, Severity severity, List<Affected> affected) {

    public record Affected(String ecosystem, String name, List<Range> ranges, List<String> versions, Severity severity) {
    }

    /** An ECOSYSTEM or SEMVER range; each event has exactly one of its fields set. */
    public record Range(String type, List<Event> events) {
    }

    public record Event(String introduced, String fixed, String lastAffected, String limit) {
        String version() {
            return introduced != null ? introduced : fixed != null ? fixed : lastAffected != null ? lastAffected : limit;
        }
    }
}
