package dev.slipway.lint;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The SARIF 2.1.0 schema's required properties and value constraints for what we emit (sarifLog,
 * run, tool, toolComponent, reportingDescriptor, result, message, location, physicalLocation,
 * artifactLocation, region), plus what GitHub code scanning needs on top (a message text, a
 * physical location with a region). Written from the OASIS specification, since tests run offline.
 */
final class SarifCheck {
    private static final Set<String> LOG_PROPERTIES = Set.of("$schema", "version", "runs", "inlineExternalProperties",
            "properties");
    private static final Set<String> LEVELS = Set.of("none", "note", "warning", "error");

    private SarifCheck() {
    }

    static JsonNode validate(String text) throws IOException {
        JsonNode root = new ObjectMapper().readTree(text);
        assertThat(problems(root)).isEmpty();
        return root;
    }

    static List<String> problems(JsonNode root) {
        List<String> p = new ArrayList<>();
        if (!root.isObject()) {
            p.add("sarifLog is not an object");
            return p;
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!LOG_PROPERTIES.contains(f)) {
                p.add("sarifLog has unknown property " + f);
            }
        }
        if (!"2.1.0".equals(root.path("version").asText(null))) {
            p.add("version must be \"2.1.0\"");
        }
        if (root.has("$schema") && !isUri(root.get("$schema").asText())) {
            p.add("$schema is not a URI");
        }
        JsonNode runs = root.get("runs");
        if (runs == null || !runs.isArray()) {
            p.add("runs must be an array");
            return p;
        }
        for (JsonNode run : runs) {
            JsonNode driver = run.path("tool").path("driver");
            if (!driver.path("name").isTextual()) {
                p.add("run.tool.driver.name is required");
            }
            if (driver.has("informationUri") && !isUri(driver.get("informationUri").asText())) {
                p.add("driver.informationUri is not a URI");
            }
            JsonNode rules = driver.path("rules");
            if (!rules.isMissingNode()) {
                if (!rules.isArray()) {
                    p.add("driver.rules must be an array");
                }
                for (JsonNode rule : rules) {
                    if (!rule.path("id").isTextual()) {
                        p.add("reportingDescriptor.id is required");
                    }
                    for (String m : List.of("shortDescription", "fullDescription", "help")) {
                        if (rule.has(m) && !rule.get(m).path("text").isTextual()) {
                            p.add("multiformatMessageString " + m + ".text is required");
                        }
                    }
                    String level = rule.path("defaultConfiguration").path("level").asText("warning");
                    if (!LEVELS.contains(level)) {
                        p.add("defaultConfiguration.level " + level + " is not a level");
                    }
                }
            }
            JsonNode results = run.path("results");
            if (!results.isMissingNode() && !results.isArray()) {
                p.add("run.results must be an array");
            }
            for (JsonNode result : results) {
                JsonNode message = result.path("message");
                if (!message.path("text").isTextual() && !message.path("id").isTextual()) {
                    p.add("result.message needs text or id");
                }
                if (!result.path("ruleId").isTextual()) {
                    p.add("result.ruleId is required by code scanning");
                }
                if (result.has("level") && !LEVELS.contains(result.get("level").asText())) {
                    p.add("result.level " + result.get("level") + " is not a level");
                }
                if (result.has("ruleIndex")) {
                    int idx = result.get("ruleIndex").asInt(-2);
                    if (!result.get("ruleIndex").isInt() || idx < -1 || idx >= rules.size()
                            || idx >= 0 && !rules.get(idx).path("id").asText().equals(result.path("ruleId").asText())) {
                        p.add("result.ruleIndex does not point at its rule");
                    }
                }
                JsonNode locations = result.path("locations");
                if (!locations.isArray() || locations.isEmpty()) {
                    p.add("result.locations is required by code scanning");
                }
                for (JsonNode loc : locations) {
                    JsonNode physical = loc.path("physicalLocation");
                    String uri = physical.path("artifactLocation").path("uri").asText(null);
                    if (uri == null || !isUri(uri)) {
                        p.add("physicalLocation.artifactLocation.uri must be a URI reference");
                    }
                    JsonNode region = physical.path("region");
                    if (!region.path("startLine").isInt() || region.path("startLine").asInt() < 1) {
                        p.add("region.startLine must be an integer >= 1");
                    }
                    if (region.has("startColumn") && region.get("startColumn").asInt() < 1) {
                        p.add("region.startColumn must be >= 1");
                    }
                }
            }
        }
        return p;
    }

    private static boolean isUri(String s) {
        try {
            new URI(s);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
