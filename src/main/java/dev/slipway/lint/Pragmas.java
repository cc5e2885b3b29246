package dev.slipway.lint;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Inline ignore comments: {@code # slipway ignore=ID,...} and hadolint's {@code # hadolint ignore=DL3008}
 * silence the next instruction; {@code global ignore=} the whole file; {@code stage ignore=} the next
 * FROM's stage. A hadolint id silences the rules that name it.
 */
final class Pragmas {
    private static final Pattern PRAGMA = Pattern.compile(
            "^\\s*#\\s*(slipway|hadolint)\\s+(?:(global|stage)\\s+)?ignore\\s*=\\s*([A-Za-z0-9_]+(?:\\s*,\\s*[A-Za-z0-9_]+)*)\\s*(?:#.*)?$");

    private final Set<String> global = new HashSet<>();
    /** Ignored ids by the 1-based line of the instruction they precede. */
    private final Map<Integer, Set<String>> byLine = new HashMap<>();
    /** Ignored ids by the 1-based line of the FROM whose stage they cover. */
    private final Map<Integer, Set<String>> byStage = new HashMap<>();

    Pragmas(String[] lines) {
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PRAGMA.matcher(lines[i]);
            if (!m.matches()) {
                continue;
            }
            Set<String> ids = new HashSet<>();
            for (String id : m.group(3).split(",")) {
                ids.add(id.strip());
            }
            if ("global".equals(m.group(2))) {
                global.addAll(ids);
                continue;
            }
            int next = i + 1;
            while (next < lines.length && (lines[next].isBlank() || lines[next].stripLeading().startsWith("#"))) {
                next++;
            }
            (("stage".equals(m.group(2))) ? byStage : byLine).computeIfAbsent(next + 1, k -> new HashSet<>()).addAll(ids);
        }
    }

    /** Whether a finding of {@code rule} at {@code line}, in the stage starting at {@code stageLine}, is silenced. */
    boolean ignores(Rule rule, int line, int stageLine) {
        return matches(global, rule) || matches(byLine.get(line), rule) || matches(byStage.get(stageLine), rule);
    }

    private static boolean matches(Set<String> ids, Rule rule) {
        if (ids == null) {
            return false;
        }
        if (ids.contains(rule.id())) {
            return true;
        }
        List<String> h = rule.hadolint();
        for (String id : h) {
            if (ids.contains(id)) {
                return true;
            }
        }
        return false;
    }
}
