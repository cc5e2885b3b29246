package dev.slipway.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A folder or zip of OSV JSON records (osv.dev's per-ecosystem {@code all.zip}, or files written
 * by hand). Records are read in a stable order and only those touching a wanted package are kept,
 * so a whole ecosystem's archive can be scanned without holding it in memory.
 */
public final class OsvDatabase {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_RECORD = 16L << 20;

    private final Path location;

    public OsvDatabase(Path location) {
        if (!Files.exists(location)) {
            throw new SlipwayException("vulnerability database " + location + " does not exist"
                    + " (run `slipway db update`, or pass --db DIR|ZIP)");
        }
        this.location = location;
    }

    public Path location() {
        return location;
    }

    /** A package as advisories name it: OSV ecosystem and package name. */
    public record Key(String ecosystem, String name) {
        public static Key of(String ecosystem, String name) {
            String eco = ecosystem.startsWith("Maven:") ? "Maven" : ecosystem;
            return new Key(eco, eco.equals("PyPI") ? pep503(name) : name);
        }
    }

    static String pep503(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[-_.]+", "-");
    }

    /** The advisories with at least one {@code affected[]} entry for a wanted package. */
    public List<Advisory> advisoriesFor(Set<Key> wanted) {
        List<Advisory> out = new ArrayList<>();
        try {
            if (Files.isDirectory(location)) {
                List<Path> files;
                try (Stream<Path> s = Files.walk(location)) {
                    files = s.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    if (n.endsWith(".json")) {
                        if (Files.size(f) <= MAX_RECORD) {
                            keep(JSON.readTree(f.toFile()), f.toString(), wanted, out);
                        }
                    } else if (n.endsWith(".zip")) {
                        readZip(f, wanted, out);
                    }
                }
            } else {
                readZip(location, wanted, out);
            }
        } catch (IOException e) {
            throw new SlipwayException("cannot read vulnerability database " + location + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void readZip(Path zip, Set<Key> wanted, List<Advisory> out) throws IOException {
        try (ZipFile z = new ZipFile(zip.toFile())) {
            List<ZipEntry> entries = new ArrayList<>();
            for (Enumeration<? extends ZipEntry> en = z.entries(); en.hasMoreElements();) {
                ZipEntry e = en.nextElement();
                if (!e.isDirectory() && e.getName().endsWith(".json")) {
                    entries.add(e);
                }
            }
            entries.sort((a, b) -> a.getName().compareTo(b.getName()));
            for (ZipEntry e : entries) {
                try (InputStream in = z.getInputStream(e)) {
                    byte[] data = in.readNBytes((int) MAX_RECORD + 1);
                    if (data.length <= MAX_RECORD) {
                        keep(JSON.readTree(data), zip + "!" + e.getName(), wanted, out);
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new SlipwayException(zip + " is not a zip of OSV records: " + e.getMessage(), e);
        }
    }

    private static void keep(JsonNode record, String where, Set<Key> wanted, List<Advisory> out) {
        if (record == null || !record.isObject() || !record.path("id").isTextual()) {
            return;
        }
        if (record.hasNonNull("withdrawn")) {
            return;
        }
        boolean relevant = false;
        for (JsonNode a : record.path("affected")) {
            JsonNode p = a.path("package");
            if (wanted.contains(Key.of(p.path("ecosystem").asText(""), p.path("name").asText("")))) {
                relevant = true;
                break;
            }
        }
        if (relevant) {
            out.add(parse(record));
        }
    }

    static Advisory parse(JsonNode r) {
        List<String> aliases = new ArrayList<>();
        r.path("aliases").forEach(a -> aliases.add(a.asText()));
        List<Advisory.Affected> affected = new ArrayList<>();
        for (JsonNode a : r.path("affected")) {
            JsonNode p = a.path("package");
            Key key = Key.of(p.path("ecosystem").asText(""), p.path("name").asText(""));
            List<Advisory.Range> ranges = new ArrayList<>();
            for (JsonNode range : a.path("ranges")) {
                List<Advisory.Event> events = new ArrayList<>();
                for (JsonNode e : range.path("events")) {
                    events.add(new Advisory.Event(text(e, "introduced"), text(e, "fixed"), text(e, "last_affected"),
                            text(e, "limit")));
                }
                ranges.add(new Advisory.Range(range.path("type").asText(""), events));
            }
            List<String> versions = new ArrayList<>();
            a.path("versions").forEach(v -> versions.add(v.asText()));
            Severity own = severityOf(a.path("severity"));
            if (own == null) {
                own = firstNonNull(Severity.fromText(a.path("ecosystem_specific").path("severity").asText(null)),
                        Severity.fromText(a.path("database_specific").path("severity").asText(null)));
            }
            affected.add(new Advisory.Affected(key.ecosystem(), key.name(), ranges, versions, own));
        }
        Severity severity = firstNonNull(Severity.fromText(r.path("database_specific").path("severity").asText(null)),
                severityOf(r.path("severity")));
        return new Advisory(r.path("id").asText(), aliases, r.path("summary").asText(""),
                severity == null ? Severity.UNKNOWN : severity, affected);
    }

    /** The highest rating among {@code severity[]}: CVSS v3 vectors scored, textual ratings (Ubuntu's) read. */
    private static Severity severityOf(JsonNode list) {
        Severity best = null;
        for (JsonNode s : list) {
            String type = s.path("type").asText("");
            String score = s.path("score").asText("");
            Severity found = null;
            if (type.equals("CVSS_V3")) {
                double base = Cvss3.baseScore(score);
                found = base < 0 ? null : Severity.fromScore(base);
            } else {
                found = Severity.fromText(score);
            }
            if (found != null && (best == null || found.compareTo(best) > 0)) {
                best = found;
            }
        }
        return best;
    }

    private static Severity firstNonNull(Severity a, Severity b) {
        return a != null ? a : b;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isTextual() ? null : v.asText();
    }
}
