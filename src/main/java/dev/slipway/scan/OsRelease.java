package dev.slipway.scan;

import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code /etc/os-release} says; the fields scanners use. */
public record OsRelease(String id, String versionId, String versionCodename, String prettyName) {

    public static OsRelease parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.trim();
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0) {
                continue;
            }
            String value = line.substring(eq + 1).trim();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'')
                    && value.charAt(value.length() - 1) == value.charAt(0)) {
                value = value.substring(1, value.length() - 1).replaceAll("\\\\(.)", "$1");
            }
            values.put(line.substring(0, eq), value);
        }
        return new OsRelease(values.getOrDefault("ID", "linux"), values.get("VERSION_ID"),
                values.get("VERSION_CODENAME"), values.get("PRETTY_NAME"));
    }

    /**
     * The OSV ecosystem of this release's packages ({@code Debian:12}, {@code Alpine:v3.20},
     * {@code Ubuntu:22.04:LTS}); null when the release has no OSV ecosystem Slipway knows.
     */
    public String osvEcosystem() {
        if (versionId == null || versionId.isEmpty()) {
            return "debian".equals(id) ? "Debian" : null;
        }
        String[] parts = versionId.split("\\.");
        return switch (id) {
            case "debian" -> "Debian:" + parts[0];
            case "alpine" -> "Alpine:v" + parts[0] + (parts.length > 1 ? "." + parts[1] : "");
            case "ubuntu" -> "Ubuntu:" + versionId + (prettyName != null && prettyName.contains("LTS") ? ":LTS" : "");
            case "almalinux" -> "AlmaLinux:" + parts[0];
            case "rocky" -> "Rocky Linux:" + parts[0];
            default -> null;
        };
    }

    /** The distro qualifier of a purl: {@code debian-12}, {@code alpine-3.20.1}. */
    public String purlDistro() {
        return versionId == null ? id : id + "-" + versionId;
    }
}
