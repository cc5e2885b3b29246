package dev.slipway.lint;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Renders findings as text, JSON, SARIF 2.1.0 or Checkstyle XML. */
public final class Formats {
    public static final List<String> NAMES = List.of("text", "json", "sarif", "checkstyle");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private Formats() {
    }

    public static String render(String format, List<LintResult> results, boolean color) {
        return switch (format) {
            case "text" -> text(results, color);
            case "json" -> json(results);
            case "sarif" -> sarif(results);
            case "checkstyle" -> checkstyle(results);
            default -> throw new SlipwayException("unknown format \"" + format + "\": use " + String.join(", ", NAMES),
                    null, 2);
        };
    }

    /** {@code Dockerfile:12:1 warning NoAptListsCleanup: message}, one per line, coloured when asked. */
    public static String text(List<LintResult> results, boolean color) {
        StringBuilder out = new StringBuilder();
        for (LintResult r : results) {
            for (Finding f : r.findings()) {
                String level = f.severity().label();
                if (color) {
                    String code = switch (f.severity()) {
                        case ERROR -> "31";
                        case WARNING -> "33";
                        case INFO -> "36";
                        default -> "37";
                    };
                    level = "\u001b[" + code + "m" + level + "\u001b[0m";
                }
                out.append(f.file()).append(':').append(f.line()).append(':').append(f.column()).append(' ')
                        .append(level).append(' ').append(f.rule()).append(": ").append(f.message()).append('\n');
            }
        }
        return out.toString();
    }

    /** A flat array like hadolint's: file, line, column, level, code, message. */
    public static String json(List<LintResult> results) {
        ArrayNode array = JSON.createArrayNode();
        for (LintResult r : results) {
            for (Finding f : r.findings()) {
                ObjectNode o = array.addObject();
                o.put("file", f.file());
                o.put("line", f.line());
                o.put("column", f.column());
                o.put("level", f.severity().label());
                o.put("code", f.rule());
                o.put("message", f.message());
            }
        }
        return write(array);
    }

    /** SARIF 2.1.0 for GitHub code scanning: one run, the rules that fired, one result per finding. */
    public static String sarif(List<LintResult> results) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", SARIF_SCHEMA);
        root.put("version", "2.1.0");
        ObjectNode run = root.putArray("runs").addObject();
        ObjectNode driver = run.putObject("tool").putObject("driver");
        driver.put("name", "slipway");
        driver.put("informationUri", "https://github.com/slipway/slipway");
        Set<String> used = new LinkedHashSet<>();
        results.forEach(r -> r.findings().forEach(f -> used.add(f.rule())));
        List<String> ruleIds = new ArrayList<>(used);
        Map<String, Integer> index = new LinkedHashMap<>();
        ArrayNode rules = driver.putArray("rules");
        for (String id : ruleIds) {
            Rule rule = Rules.get(id);
            index.put(id, index.size());
            ObjectNode r = rules.addObject();
            r.put("id", id);
            r.put("name", id);
            r.putObject("shortDescription").put("text", rule.summary());
            r.putObject("fullDescription").put("text", rule.explanation());
            r.putObject("help").put("text", rule.explain());
            r.putObject("defaultConfiguration").put("level", sarifLevel(rule.severity()));
        }
        ArrayNode out = run.putArray("results");
        for (LintResult lr : results) {
            for (Finding f : lr.findings()) {
                ObjectNode res = out.addObject();
                res.put("ruleId", f.rule());
                res.put("ruleIndex", index.get(f.rule()));
                res.put("level", sarifLevel(f.severity()));
                res.putObject("message").put("text", f.message());
                ObjectNode physical = res.putArray("locations").addObject().putObject("physicalLocation");
                physical.putObject("artifactLocation").put("uri", uri(f.file()));
                ObjectNode region = physical.putObject("region");
                region.put("startLine", Math.max(1, f.line()));
                region.put("startColumn", Math.max(1, f.column()));
            }
        }
        return write(root);
    }

    private static String uri(String file) {
        String p = file.replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        StringBuilder out = new StringBuilder();
        for (char c : p.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || "/-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                for (byte b : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                    out.append('%').append(String.format("%02X", b & 0xff));
                }
            }
        }
        return out.toString();
    }

    static String sarifLevel(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            default -> "note";
        };
    }

    /** Checkstyle 4.3 XML, which many CI systems read. */
    public static String checkstyle(List<LintResult> results) {
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
        for (LintResult r : results) {
            out.append("  <file name=\"").append(xml(r.file())).append("\">\n");
            for (Finding f : r.findings()) {
                out.append("    <error line=\"").append(f.line()).append("\" column=\"").append(f.column())
                        .append("\" severity=\"").append(f.severity() == Severity.STYLE ? "info" : f.severity().label())
                        .append("\" message=\"").append(xml(f.message())).append("\" source=\"slipway.")
                        .append(xml(f.rule())).append("\"/>\n");
            }
            out.append("  </file>\n");
        }
        return out.append("</checkstyle>\n").toString();
    }

    private static String xml(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    private static String write(Object node) {
        try {
            return JSON.writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
