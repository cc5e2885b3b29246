package dev.slipway.analyze;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * dive's CI rules ({@code ci/rules.go}), with its keys, defaults and strict comparisons: a value
 * equal to the threshold passes. Values are strings; empty, {@code disabled}, {@code off} and
 * {@code false} disable a rule.
 */
public record CiRules(String lowestEfficiency, String highestWastedBytes, String highestUserWastedPercent) {
    public static final CiRules DEFAULTS = new CiRules("0.9", "disabled", "0.1");

    public enum Status { PASS, FAIL, SKIP }

    public record Result(String rule, Status status, String message) {
    }

    /** dive's evaluation of all three rules, sorted by rule name as dive prints them. */
    public record Evaluation(List<Result> results) {
        public boolean passed() {
            return results.stream().noneMatch(r -> r.status() == Status.FAIL);
        }

        public List<String> failedRules() {
            return results.stream().filter(r -> r.status() == Status.FAIL).map(Result::rule).toList();
        }
    }

    /** Flags given on the command line over the defaults; null keeps the default. */
    public CiRules with(String efficiency, String wastedBytes, String userWastedPercent) {
        return new CiRules(efficiency != null ? efficiency : lowestEfficiency,
                wastedBytes != null ? wastedBytes : highestWastedBytes,
                userWastedPercent != null ? userWastedPercent : highestUserWastedPercent);
    }

    /** Checks every enabled value parses and lies in range, as dive does before analysing. */
    public CiRules validate() {
        ratio("lowestEfficiency", lowestEfficiency);
        if (!disabled(highestWastedBytes)) {
            GoHumanize.parseBytes(highestWastedBytes);
        }
        ratio("highestUserWastedPercent", highestUserWastedPercent);
        return this;
    }

    public Evaluation evaluate(Analysis.Dive dive) {
        List<Result> results = new ArrayList<>();
        if (disabled(highestUserWastedPercent)) {
            results.add(new Result("highestUserWastedPercent", Status.SKIP, "disabled"));
        } else {
            double t = ratio("highestUserWastedPercent", highestUserWastedPercent);
            double v = dive.userWastedPercent();
            results.add(v > t
                    ? new Result("highestUserWastedPercent", Status.FAIL, String.format(Locale.ROOT,
                            "too many bytes wasted, relative to the user bytes added (%%-user-wasted-bytes=%2.2f > threshold=%s)",
                            v, goFloat(t)))
                    : new Result("highestUserWastedPercent", Status.PASS, goFloat(t)));
        }
        if (disabled(highestWastedBytes)) {
            results.add(new Result("highestWastedBytes", Status.SKIP, "disabled"));
        } else {
            long t = GoHumanize.parseBytes(highestWastedBytes);
            results.add(dive.wastedBytes() > t
                    ? new Result("highestWastedBytes", Status.FAIL,
                            "too many bytes wasted (wasted-bytes=" + dive.wastedBytes() + " > threshold=" + t + ")")
                    : new Result("highestWastedBytes", Status.PASS, Long.toString(t)));
        }
        if (disabled(lowestEfficiency)) {
            results.add(new Result("lowestEfficiency", Status.SKIP, "disabled"));
        } else {
            double t = ratio("lowestEfficiency", lowestEfficiency);
            results.add(t > dive.efficiency()
                    ? new Result("lowestEfficiency", Status.FAIL, String.format(Locale.ROOT,
                            "image efficiency is too low (efficiency=%2.2f < threshold=%s)", dive.efficiency(), goFloat(t)))
                    : new Result("lowestEfficiency", Status.PASS, goFloat(t)));
        }
        return new Evaluation(List.copyOf(results));
    }

    /** The rules in force and where they came from. */
    public record Resolved(CiRules rules, Path file, boolean flagsIgnored) {
    }

    /**
     * dive's precedence: {@code --ci-config FILE} (which must exist), else {@code .dive-ci} in
     * {@code dir} when present; a file's rules replace the flags' (dive "pretends only the config
     * file was provided"); without a file the flags apply over the defaults.
     */
    public static Resolved resolve(Path ciConfig, Path dir, String efficiency, String wastedBytes,
            String userWastedPercent) {
        Path file = ciConfig;
        if (file != null && !Files.isRegularFile(file)) {
            throw new SlipwayException("CI config " + file + " does not exist");
        }
        if (file == null && Files.isRegularFile(dir.resolve(".dive-ci"))) {
            file = dir.resolve(".dive-ci");
        }
        boolean flags = efficiency != null || wastedBytes != null || userWastedPercent != null;
        if (file != null) {
            return new Resolved(read(file), file, flags);
        }
        return new Resolved(DEFAULTS.with(efficiency, wastedBytes, userWastedPercent).validate(), null, false);
    }

    static boolean disabled(String value) {
        if (value == null) {
            return true;
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return v.isEmpty() || v.equals("disabled") || v.equals("off") || v.equals("false");
    }

    private static double ratio(String rule, String value) {
        if (disabled(value)) {
            return Double.NaN;
        }
        double d;
        try {
            d = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new SlipwayException("invalid CI rule " + rule + ": " + value + " is not a number");
        }
        if (!(d >= 0 && d <= 1)) {
            throw new SlipwayException("invalid CI rule " + rule + ": " + value + " must be a ratio between 0 and 1");
        }
        return d;
    }

    /** Go's {@code %v} of a float64: shortest form that reads back the same. */
    private static String goFloat(double d) {
        String s = Double.toString(d);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /**
     * Reads dive's {@code .dive-ci} file: YAML with a {@code rules:} map. When the file exists its
     * rules replace any given on the command line; keys it lacks take dive's defaults.
     */
    public static CiRules read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SlipwayException("cannot read CI config " + file + ": " + e.getMessage());
        }
        Map<String, String> rules = parseRules(text, file.toString());
        for (String key : rules.keySet()) {
            if (!List.of("lowestEfficiency", "highestWastedBytes", "highestUserWastedPercent").contains(key)) {
                throw new SlipwayException(file + ": unknown rule " + key
                        + " (known: lowestEfficiency, highestWastedBytes, highestUserWastedPercent)");
            }
        }
        return new CiRules(rules.getOrDefault("lowestEfficiency", DEFAULTS.lowestEfficiency),
                rules.getOrDefault("highestWastedBytes", DEFAULTS.highestWastedBytes),
                rules.getOrDefault("highestUserWastedPercent", DEFAULTS.highestUserWastedPercent)).validate();
    }

    /** The {@code rules} map of a {@code .dive-ci} YAML document; other top-level keys are ignored. */
    static Map<String, String> parseRules(String text, String where) {
        JsonNode root;
        try {
            root = new YAMLMapper().readTree(text);
        } catch (IOException e) {
            throw new SlipwayException(where + ": not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Map<String, String> rules = new LinkedHashMap<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return rules;
        }
        JsonNode node = root.path("rules");
        if (!root.isObject() || (!node.isMissingNode() && !node.isNull() && !node.isObject())) {
            throw new SlipwayException(where + ": 'rules' must be a map of rule names to values");
        }
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isContainerNode()) {
                throw new SlipwayException(where + ": rule " + e.getKey() + " must be a single value");
            }
            rules.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText());
        });
        return rules;
    }
}
