package dev.slipway.scan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** dpkg status files and the apk installed database: paragraphs of {@code Key: value} lines. */
final class OsPackageParsers {
    /** dpkg states in which a package's files are not on disk. */
    private static final Set<String> ABSENT_STATES = Set.of("not-installed", "config-files");

    private OsPackageParsers() {
    }

    /** {@code var/lib/dpkg/status}, or one {@code status.d/} file as distroless writes it. */
    static List<Package> dpkg(String text) {
        List<Package> out = new ArrayList<>();
        for (Map<String, String> p : paragraphs(text, ':')) {
            String name = p.get("Package");
            if (name == null || name.isEmpty()) {
                continue;
            }
            String status = p.get("Status");
            if (status != null) {
                String[] words = status.trim().split("\\s+");
                if (words.length == 3 && ABSENT_STATES.contains(words[2])) {
                    continue;
                }
            }
            String version = p.getOrDefault("Version", "");
            String source = p.get("Source");
            String sourceName = null;
            String sourceVersion = null;
            if (source != null && !source.isBlank()) {
                String s = source.trim();
                int paren = s.indexOf('(');
                if (paren > 0 && s.endsWith(")")) {
                    sourceVersion = s.substring(paren + 1, s.length() - 1).trim();
                    s = s.substring(0, paren).trim();
                }
                sourceName = s;
            }
            out.add(new Package(PackageType.DEB, name, version, sourceName, sourceVersion, p.get("Architecture"),
                    null, null, -1));
        }
        return out;
    }

    /** {@code lib/apk/db/installed}: one-letter keys, {@code o:} the origin (source) package. */
    static List<Package> apk(String text) {
        List<Package> out = new ArrayList<>();
        for (Map<String, String> p : paragraphs(text, ':')) {
            String name = p.get("P");
            if (name == null || name.isEmpty()) {
                continue;
            }
            out.add(new Package(PackageType.APK, name, p.get("V"), p.get("o"), p.get("V"), p.get("A"), p.get("L"),
                    null, -1));
        }
        return out;
    }

    /**
     * RFC 822-style paragraphs separated by blank lines; continuation lines (leading space) are
     * appended to the previous field. Repeated keys (apk's {@code F:}/{@code R:}) keep the first.
     */
    static List<Map<String, String>> paragraphs(String text, char separator) {
        List<Map<String, String>> out = new ArrayList<>();
        Map<String, String> current = new LinkedHashMap<>();
        String lastKey = null;
        for (String line : text.replace("\r\n", "\n").split("\n", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    out.add(current);
                    current = new LinkedHashMap<>();
                }
                lastKey = null;
            } else if ((line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                if (lastKey != null) {
                    current.put(lastKey, current.get(lastKey) + "\n" + line.trim());
                }
            } else {
                int sep = line.indexOf(separator);
                if (sep > 0) {
                    lastKey = line.substring(0, sep);
                    current.putIfAbsent(lastKey, line.substring(sep + 1).trim());
                }
            }
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
