package dev.slipway.lint;

import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.dockerfile.Dockerfile;
import dev.slipway.dockerfile.Expansion;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.RunMount;
import dev.slipway.dockerfile.ShellLexer;
import dev.slipway.dockerfile.Stage;
import dev.slipway.plan.GlobalScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What rules share about one Dockerfile: its stages, which stage each one is built FROM, which reach
 * the final image, their base images with ARG defaults applied, and the findings so far.
 */
final class LintContext {
    final Dockerfile dockerfile;
    final String[] lines;
    final LintConfig config;
    final DockerIgnore dockerIgnore;
    final ShellLexer lexer;
    final List<Stage> stages;
    /** For each stage, the earlier stage it is built FROM, or -1. */
    final int[] parent;
    /** For each stage, its FROM image with ARG defaults applied ({@code scratch} included), or null for a stage. */
    final String[] baseImage;
    /** Stages whose filesystem ends up in the final image: the last stage and the stages it is built on. */
    final boolean[] reachesFinal;
    /** ARG values before the first FROM: platform args, then meta-ARG defaults ("" when declared without one). */
    final Map<String, String> globalArgs = new LinkedHashMap<>();
    final Map<String, Integer> stageByName = new HashMap<>();
    private final List<Finding> findings = new ArrayList<>();

    LintContext(Dockerfile dockerfile, String text, LintConfig config, DockerIgnore dockerIgnore) {
        this.dockerfile = dockerfile;
        this.lines = text == null ? new String[0] : text.split("\r?\n", -1);
        this.config = config;
        this.dockerIgnore = dockerIgnore;
        this.lexer = new ShellLexer(dockerfile.escapeToken());
        this.stages = dockerfile.stages();
        int n = stages.size();
        parent = new int[n];
        baseImage = new String[n];
        reachesFinal = new boolean[n];
        globalArgs.put("BUILDPLATFORM", "linux/amd64");
        globalArgs.put("BUILDOS", "linux");
        globalArgs.put("BUILDARCH", "amd64");
        globalArgs.put("BUILDVARIANT", "");
        globalArgs.put("TARGETPLATFORM", "linux/amd64");
        globalArgs.put("TARGETOS", "linux");
        globalArgs.put("TARGETARCH", "amd64");
        globalArgs.put("TARGETVARIANT", "");
        for (Instruction.Arg arg : dockerfile.metaArgs()) {
            for (Instruction.ArgDef def : arg.args()) {
                String value = def.defaultValue() == null ? "" : expandOrNull(def.defaultValue(), globalArgs::get);
                globalArgs.put(def.name(), value == null ? "" : value);
            }
        }
        for (Stage stage : stages) {
            int i = stage.index();
            String image = expandOrNull(stage.from().image(), globalArgs::get);
            Integer p = image == null ? null : stageByName.get(image.toLowerCase(Locale.ROOT));
            parent[i] = p == null ? -1 : p;
            baseImage[i] = p == null ? image : null;
            if (stage.name() != null) {
                stageByName.putIfAbsent(stage.name(), i);
            }
        }
        for (int s = n - 1; s >= 0 && !reachesFinal[s]; s = parent[s]) {
            reachesFinal[s] = true;
        }
    }

    int finalStage() {
        return stages.size() - 1;
    }

    /** The stage and the stages it is built on, root first. */
    List<Stage> chain(int stage) {
        List<Stage> out = new ArrayList<>();
        for (int s = stage; s >= 0; s = parent[s]) {
            out.add(0, stages.get(s));
        }
        return out;
    }

    /** The image at the root of a stage's chain (after ARG defaults), or null when unknown. */
    String rootImage(int stage) {
        int s = stage;
        while (parent[s] >= 0) {
            s = parent[s];
        }
        return baseImage[s];
    }

    /** The stage a {@code --from} value names (name or index), or -1 for an image or context. */
    int stageRef(String from, int before) {
        if (from == null) {
            return -1;
        }
        if (from.matches("[0-9]+")) {
            int idx = Integer.parseInt(from);
            return idx < before ? idx : -1;
        }
        Integer byName = stageByName.get(from.toLowerCase(Locale.ROOT));
        return byName != null && byName < before ? byName : -1;
    }

    String expandOrNull(String word, Function<String, String> lookup) {
        try {
            return lexer.expand(word, lookup).result();
        } catch (RuntimeException e) {
            return null;
        }
    }

    Expansion expansion(String word, Function<String, String> lookup) {
        try {
            return lexer.expand(word, lookup);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static boolean isGlobalBuiltin(String name) {
        return GlobalScope.PLATFORM_ARGS.contains(name) || GlobalScope.isProxyArg(name);
    }

    /** The shell text of a RUN, heredoc bodies included, or null for exec form. */
    static String script(Instruction.Run run) {
        if (run.command().execForm()) {
            return null;
        }
        StringBuilder out = new StringBuilder(String.join(" ", run.command().args()));
        run.heredocs().forEach(h -> out.append('\n').append(h.effectiveContent()));
        return out.toString();
    }

    /** Whether a cache or tmpfs mount covers one of the directories. */
    static boolean cacheMounted(Instruction.Run run, String... dirs) {
        for (RunMount m : run.mounts()) {
            if (!m.type().equals("cache") && !m.type().equals("tmpfs") || m.target() == null) {
                continue;
            }
            String target = stripSlash(m.target());
            for (String dir : dirs) {
                if (dir.endsWith("*") ? target.contains(dir.substring(0, dir.length() - 1))
                        : target.equals(dir) || dir.startsWith(target + "/")) {
                    return true;
                }
            }
        }
        return false;
    }

    static String stripSlash(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The instruction keyword as written (original casing), from the instruction's text. */
    static String keyword(Instruction instruction) {
        String text = instruction.origin().text().stripLeading();
        int end = 0;
        while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
            end++;
        }
        return text.substring(0, end);
    }

    void report(String ruleId, int line, String message) {
        Rule rule = Rules.get(ruleId);
        findings.add(new Finding(dockerfile.fileName(), line, 1, ruleId, rule.severity(), message));
    }

    List<Finding> findings() {
        return findings;
    }
}
