package dev.slipway.lint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Settings from {@code .slipway.yaml} (or the command line): rules to ignore, severity overrides, the
 * failure threshold and trusted registries. The file format follows hadolint's where they overlap:
 *
 * <pre>
 * ignored: [ImageLatestTag, DL3008]       # our ids or hadolint ids
 * override:
 *   error: [RootUser]
 *   info: [ConsecutiveRuns]
 * failure-threshold: warning
 * trustedRegistries: [docker.io, "*.example.com"]
 * </pre>
 */
public record LintConfig(Set<String> ignored, Map<String, Severity> overrides, Severity failureThreshold,
                         List<String> trustedRegistries, Set<String> experimental, Path source) {

    public static final List<String> FILE_NAMES = List.of(".slipway.yaml", ".slipway.yml");

    public LintConfig {
        ignored = Set.copyOf(ignored);
        overrides = Map.copyOf(overrides);
        trustedRegistries = List.copyOf(trustedRegistries);
        experimental = Set.copyOf(experimental);
    }

    /** No configuration: every rule at its default, failing on warnings. */
    public static LintConfig defaults() {
        return new LintConfig(Set.of(), Map.of(), Severity.WARNING, List.of(), Set.of(), null);
    }

    /** The first {@code .slipway.yaml}/{@code .slipway.yml} in {@code dir} or a folder above it. */
    public static Optional<Path> find(Path dir) {
        for (Path d = dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            for (String name : FILE_NAMES) {
                Path candidate = d.resolve(name);
                if (Files.isRegularFile(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** The configuration that applies to a Dockerfile: the first config file from its folder upwards, else defaults. */
    public static LintConfig forDockerfile(Path dockerfile) {
        Path dir = dockerfile.toAbsolutePath().getParent();
        return (dir == null ? Optional.<Path>empty() : find(dir)).map(LintConfig::load).orElse(defaults());
    }

    public static LintConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new SlipwayException("cannot read config " + file + ": " + e.getMessage());
        }
        return parse(text, file);
    }

    /** Parses the YAML text of a config file; unknown keys and bad values are errors. */
    public static LintConfig parse(String text, Path source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (IOException e) {
            throw new SlipwayException("invalid config " + source + ": " + firstLine(e.getMessage()));
        }
        LintConfig config = defaults();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return new LintConfig(Set.of(), Map.of(), config.failureThreshold, List.of(), Set.of(), source);
        }
        if (!root.isObject()) {
            throw bad(source, "the top level must be a mapping");
        }
        Set<String> ignored = new LinkedHashSet<>();
        Map<String, Severity> overrides = new LinkedHashMap<>();
        Severity threshold = config.failureThreshold;
        List<String> trusted = new ArrayList<>();
        Set<String> experimental = new LinkedHashSet<>();
        Iterator<Map.Entry<String, JsonNode>> fields = root.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            switch (field.getKey()) {
                case "ignored", "ignore" -> ignored.addAll(strings(source, field.getKey(), value));
                case "failure-threshold", "failureThreshold" -> threshold = severity(source, value.asText());
                case "trustedRegistries", "trusted-registries" -> trusted.addAll(strings(source, field.getKey(), value));
                case "experimental" -> experimental.addAll(strings(source, field.getKey(), value));
                case "override", "overrides" -> {
                    if (!value.isObject()) {
                        throw bad(source, "override must map a severity to a list of rules");
                    }
                    Iterator<Map.Entry<String, JsonNode>> levels = value.fields();
                    while (levels.hasNext()) {
                        Map.Entry<String, JsonNode> level = levels.next();
                        Severity s = severity(source, level.getKey());
                        for (String id : strings(source, "override." + level.getKey(), level.getValue())) {
                            overrides.put(id, s);
                        }
                    }
                }
                default -> throw bad(source, "unknown key \"" + field.getKey() + "\"");
            }
        }
        return new LintConfig(ignored, overrides, threshold, trusted, experimental, source);
    }

    /** This config with more ignored ids and, when non-null, another threshold (command-line flags win). */
    public LintConfig with(List<String> moreIgnored, Severity threshold) {
        Set<String> all = new LinkedHashSet<>(ignored);
        all.addAll(moreIgnored);
        return new LintConfig(all, overrides, threshold != null ? threshold : failureThreshold, trustedRegistries,
                experimental, source);
    }

    /** Whether a rule is ignored, by its id or by a hadolint id it covers. */
    public boolean ignores(Rule rule) {
        return ignored.contains(rule.id()) || rule.hadolint().stream().anyMatch(ignored::contains);
    }

    /** The severity a rule reports with: an override by id or hadolint id, else its default. */
    public Severity severityOf(Rule rule) {
        Severity s = overrides.get(rule.id());
        if (s == null) {
            for (String h : rule.hadolint()) {
                if (overrides.containsKey(h)) {
                    return overrides.get(h);
                }
            }
        }
        return s != null ? s : rule.severity();
    }

    private static Severity severity(Path source, String text) {
        try {
            return Severity.parse(text);
        } catch (SlipwayException e) {
            throw bad(source, e.getMessage());
        }
    }

    private static List<String> strings(Path source, String key, JsonNode value) {
        List<String> out = new ArrayList<>();
        if (value.isTextual()) {
            out.add(value.asText());
        } else if (value.isArray()) {
            for (JsonNode item : value) {
                if (!item.isValueNode() || item.isNull()) {
                    throw bad(source, key + " must be a list of strings");
                }
                out.add(item.asText());
            }
        } else if (!value.isNull()) {
            throw bad(source, key + " must be a list of strings");
        }
        return out;
    }

    private static SlipwayException bad(Path source, String message) {
        return new SlipwayException("invalid config " + (source == null ? "" : source + ": ") + message, null, 2);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable YAML";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
