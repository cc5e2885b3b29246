package dev.slipway.scan;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The result of {@code slipway scan}: the catalogue and the findings, with table, JSON and SARIF renderings. */
public record ScanReport(Catalog catalog, List<Finding> findings) {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ScanReport {
        findings = List.copyOf(findings);
    }

    /** Only the findings whose severity is in {@code wanted} (all when empty). */
    public ScanReport filter(Set<Severity> wanted) {
        return wanted.isEmpty() ? this
                : new ScanReport(catalog, findings.stream().filter(f -> wanted.contains(f.severity())).toList());
    }

    public Map<Severity, Integer> totals() {
        Map<Severity, Integer> totals = new EnumMap<>(Severity.class);
        for (Severity s : Severity.values()) {
            totals.put(s, 0);
        }
        findings.forEach(f -> totals.merge(f.severity(), 1, Integer::sum));
        return totals;
    }

    public static String totalsLine(Map<Severity, Integer> totals) {
        int all = totals.values().stream().mapToInt(Integer::intValue).sum();
        List<String> parts = new ArrayList<>();
        for (Severity s : List.of(Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW, Severity.UNKNOWN)) {
            parts.add(s + ": " + totals.get(s));
        }
        return "Total: " + all + " (" + String.join(", ", parts) + ")";
    }

    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(catalog.image()).append(catalog.os() == null ? "" : " (" + describe(catalog.os()) + ")")
                .append(": ").append(catalog.packages().size()).append(" packages\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"PACKAGE", "TYPE", "INSTALLED", "ADVISORY", "SEVERITY", "FIXED", "LAYER"});
        for (Finding f : findings) {
            Catalog.Layer layer = catalog.layer(f.pkg());
            rows.add(new String[] {f.pkg().name(), f.pkg().type().label(), f.pkg().version(), f.id(),
                f.severity().name(), f.fixedVersion().isEmpty() ? "-" : f.fixedVersion(), layerLabel(layer)});
        }
        out.append(Tables.render(rows));
        out.append(totalsLine(totals())).append('\n');
        return out.toString();
    }

    static String describe(OsRelease os) {
        return os.prettyName() != null ? os.prettyName() : os.id() + (os.versionId() == null ? "" : " " + os.versionId());
    }

    static String layerLabel(Catalog.Layer layer) {
        if (layer == null) {
            return "-";
        }
        String id = layer.diffId().startsWith("sha256:") ? layer.diffId().substring(7) : layer.diffId();
        return layer.index() + ":" + id.substring(0, Math.min(12, id.length()));
    }

    public ObjectNode json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("image", catalog.image());
        if (catalog.os() != null) {
            ObjectNode os = root.putObject("os");
            os.put("id", catalog.os().id());
            os.put("versionId", catalog.os().versionId());
            os.put("ecosystem", catalog.os().osvEcosystem());
        }
        root.put("packages", catalog.packages().size());
        ArrayNode results = root.putArray("vulnerabilities");
        for (Finding f : findings) {
            ObjectNode o = results.addObject();
            o.put("id", f.id());
            ArrayNode aliases = o.putArray("aliases");
            f.aliases().forEach(aliases::add);
            o.put("severity", f.severity().name());
            o.put("package", f.pkg().name());
            o.put("type", f.pkg().type().label());
            o.put("installedVersion", f.pkg().version());
            if (!f.pkg().sourceName().equals(f.pkg().name())) {
                o.put("sourcePackage", f.pkg().sourceName());
            }
            o.put("fixedVersion", f.fixedVersion());
            o.put("purl", Purls.of(f.pkg(), catalog.os()));
            o.put("path", f.pkg().path());
            Catalog.Layer layer = catalog.layer(f.pkg());
            if (layer != null) {
                o.put("layerIndex", layer.index());
                o.put("layerDiffId", layer.diffId());
            }
            o.put("summary", f.summary());
        }
        ObjectNode totals = root.putObject("totals");
        totals().forEach((s, n) -> totals.put(s.name(), n));
        ArrayNode notes = root.putArray("notes");
        catalog.notes().forEach(notes::add);
        return root;
    }

    /** SARIF 2.1.0: one rule per advisory, one result per finding, located at the package's file. */
    public ObjectNode sarif(String toolVersion) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json.schemastore.org/sarif-2.1.0.json");
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "slipway");
        driver.put("version", toolVersion);
        driver.put("informationUri", "https://slipway.dev");
        ArrayNode rules = driver.putArray("rules");
        Set<String> seen = new LinkedHashSet<>();
        for (Finding f : findings) {
            if (seen.add(f.id())) {
                ObjectNode rule = rules.addObject();
                rule.put("id", f.id());
                rule.putObject("shortDescription").put("text", f.summary().isEmpty() ? f.id() : f.summary());
                rule.putObject("properties").put("security-severity", score(f.severity()));
            }
        }
        ArrayNode results = run.putArray("results");
        for (Finding f : findings) {
            ObjectNode r = results.addObject();
            r.put("ruleId", f.id());
            r.put("level", switch (f.severity()) {
                case CRITICAL, HIGH -> "error";
                case MEDIUM -> "warning";
                default -> "note";
            });
            r.putObject("message").put("text", "Package: " + f.pkg().name() + "\nInstalled Version: "
                    + f.pkg().version() + "\nVulnerability " + f.id() + "\nSeverity: " + f.severity()
                    + "\nFixed Version: " + (f.fixedVersion().isEmpty() ? "none" : f.fixedVersion()));
            r.putArray("locations").addObject().putObject("physicalLocation").putObject("artifactLocation")
                    .put("uri", f.pkg().path() == null ? catalog.image() : f.pkg().path());
        }
        return root;
    }

    private static String score(Severity s) {
        return switch (s) {
            case CRITICAL -> "9.5";
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "2.0";
            case UNKNOWN -> "0.0";
        };
    }
}
