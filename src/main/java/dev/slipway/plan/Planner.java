package dev.slipway.plan;

import dev.slipway.dockerfile.Dockerfile;
import dev.slipway.dockerfile.DockerfileParseException;
import dev.slipway.dockerfile.Expansion;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.RunMount;
import dev.slipway.dockerfile.ShellExpansionException;
import dev.slipway.dockerfile.ShellLexer;
import dev.slipway.dockerfile.Stage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Resolves stage references, ARG scoping in FROM lines, target pruning and the parallel schedule. */
final class Planner {

    private static final Pattern INDEX = Pattern.compile("[0-9]+");
    // Docker's reference grammar: [domain/]path[:tag][@digest], path components lower-case.
    private static final String COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    private static final String DOMAIN = "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?";
    private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT + ")*"
            + "(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");

    private final Dockerfile dockerfile;
    private final BuildPlan.PlanOptions options;
    private final ShellLexer lexer;
    private final String file;

    Planner(Dockerfile dockerfile, BuildPlan.PlanOptions options) {
        this.dockerfile = dockerfile;
        this.options = options;
        this.lexer = new ShellLexer(dockerfile.escapeToken());
        this.file = dockerfile.fileName();
    }

    BuildPlan plan() {
        GlobalScope global = GlobalScope.resolve(file, dockerfile.metaArgs(), options.buildArgs(),
                options.buildPlatform(), options.targetPlatform(), lexer);
        List<Stage> stages = dockerfile.stages();
        Map<String, Integer> byName = new HashMap<>();
        List<PlannedStage.Base> bases = new ArrayList<>();
        List<String> platforms = new ArrayList<>();
        List<List<PlannedStage.Dependency>> deps = new ArrayList<>();
        for (Stage stage : stages) {
            Instruction.From from = stage.from();
            int line = from.origin().startLine();
            String baseName = expand(from.image(), global, line).result();
            if (baseName.isEmpty()) {
                throw error(line, "base name (" + from.image() + ") should not be blank");
            }
            String platform = null;
            if (from.platform() != null) {
                platform = expand(from.platform(), global, line).result();
                if (platform.isEmpty()) {
                    throw error(line, "empty platform value from expression " + from.platform());
                }
            }
            List<PlannedStage.Dependency> need = new ArrayList<>();
            PlannedStage.Base base;
            // FROM compares the expanded name as written with the lower-cased stage names (BuildKit quirk).
            Integer parent = byName.get(baseName);
            if (baseName.equals("scratch")) {
                base = new PlannedStage.Base.Scratch();
            } else if (parent != null) {
                base = new PlannedStage.Base.StageBase(parent);
                need.add(PlannedStage.Dependency.onStage("from", line, parent));
            } else {
                base = new PlannedStage.Base.Image(baseName);
                need.add(PlannedStage.Dependency.onImage("from", line, baseName));
            }
            if (stage.name() != null) {
                if (byName.containsKey(stage.name())) {
                    throw error(line, "duplicate stage name \"" + stage.name() + "\" (first defined at line "
                            + stages.get(byName.get(stage.name())).from().origin().startLine() + ")");
                }
                byName.put(stage.name(), stage.index());
            }
            bases.add(base);
            platforms.add(platform);
            deps.add(need);
        }
        for (Stage stage : stages) {
            List<PlannedStage.Dependency> need = deps.get(stage.index());
            for (Instruction instruction : stage.instructions()) {
                int line = instruction.origin().startLine();
                if (instruction instanceof Instruction.Copy copy && copy.from() != null) {
                    need.add(resolveFrom(stage, copy.from(), "copy", line, byName));
                } else if (instruction instanceof Instruction.Run run) {
                    for (RunMount mount : run.mounts()) {
                        if (mount.from() != null && !mount.from().isEmpty()) {
                            need.add(resolveFrom(stage, mount.from(), "mount", line, byName));
                        }
                    }
                }
            }
        }
        int target = target(byName, stages);
        boolean[] built = reachable(target, deps);
        int[] level = levels(built, deps);
        List<PlannedStage> planned = new ArrayList<>();
        for (Stage stage : stages) {
            int i = stage.index();
            if (built[i]) {
                for (PlannedStage.Dependency d : deps.get(i)) {
                    if (d.image() != null) {
                        checkReference(d.image(), d.line());
                    }
                }
            }
            planned.add(new PlannedStage(stage, bases.get(i), platforms.get(i), deps.get(i), built[i], level[i]));
        }
        return new BuildPlan(file, planned, target, groups(level), unusedBuildArgs(global, stages, built), global);
    }

    private PlannedStage.Dependency resolveFrom(Stage stage, String ref, String via, int line,
                                                Map<String, Integer> byName) {
        String current = stage.name() != null ? stage.name() : "stage-" + stage.index();
        String verb = via.equals("copy") ? "copy" : "mount";
        Integer source;
        if (INDEX.matcher(ref).matches()) {
            source = ref.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(ref);
            if (source >= dockerfile.stages().size()) {
                throw error(line, "invalid stage index " + ref);
            }
        } else {
            source = byName.get(ref.toLowerCase(Locale.ROOT));
        }
        if (source == null) {
            // The parser has already refused variables in --from and from=, so this is a literal image.
            return PlannedStage.Dependency.onImage(via, line, ref);
        }
        if (source == stage.index()) {
            throw error(line, "circular dependency detected on stage: " + current);
        }
        if (source > stage.index()) {
            throw error(line, "cannot " + verb + " from stage \"" + ref + "\", it needs to be defined before current stage \""
                    + current + "\"");
        }
        return PlannedStage.Dependency.onStage(via, line, source);
    }

    private int target(Map<String, Integer> byName, List<Stage> stages) {
        String target = options.target();
        if (target == null || target.isEmpty()) {
            return stages.size() - 1;
        }
        Integer index = byName.get(target.toLowerCase(Locale.ROOT));
        if (index == null) {
            throw new DockerfileParseException(file, 0, "target stage \"" + target + "\" could not be found");
        }
        return index;
    }

    private static boolean[] reachable(int target, List<List<PlannedStage.Dependency>> deps) {
        boolean[] seen = new boolean[deps.size()];
        Deque<Integer> todo = new ArrayDeque<>();
        todo.push(target);
        seen[target] = true;
        while (!todo.isEmpty()) {
            for (PlannedStage.Dependency d : deps.get(todo.pop())) {
                if (d.stage() >= 0 && !seen[d.stage()]) {
                    seen[d.stage()] = true;
                    todo.push(d.stage());
                }
            }
        }
        return seen;
    }

    /** Dependencies always point to earlier stages, so one pass in file order settles every level. */
    private static int[] levels(boolean[] built, List<List<PlannedStage.Dependency>> deps) {
        int[] level = new int[deps.size()];
        for (int i = 0; i < deps.size(); i++) {
            if (!built[i]) {
                level[i] = -1;
                continue;
            }
            int l = 0;
            for (PlannedStage.Dependency d : deps.get(i)) {
                if (d.stage() >= 0) {
                    l = Math.max(l, level[d.stage()] + 1);
                }
            }
            level[i] = l;
        }
        return level;
    }

    private static List<List<Integer>> groups(int[] level) {
        List<List<Integer>> groups = new ArrayList<>();
        for (int i = 0; i < level.length; i++) {
            if (level[i] < 0) {
                continue;
            }
            while (groups.size() <= level[i]) {
                groups.add(new ArrayList<>());
            }
            groups.get(level[i]).add(i);
        }
        return groups;
    }

    private static List<String> unusedBuildArgs(GlobalScope global, List<Stage> stages, boolean[] built) {
        Set<String> used = new TreeSet<>(global.metaArgNames());
        used.addAll(GlobalScope.PLATFORM_ARGS);
        for (Stage stage : stages) {
            if (!built[stage.index()]) {
                continue;
            }
            for (Instruction instruction : stage.instructions()) {
                if (instruction instanceof Instruction.Arg arg) {
                    arg.args().forEach(def -> used.add(def.name()));
                }
            }
        }
        return global.buildArgs().keySet().stream()
                .filter(k -> !used.contains(k) && !GlobalScope.isProxyArg(k))
                .sorted().toList();
    }

    private void checkReference(String ref, int line) {
        if (!REFERENCE.matcher(ref).matches()) {
            String why = REFERENCE.matcher(ref.toLowerCase(Locale.ROOT)).matches()
                    ? "invalid reference format: repository name must be lowercase" : "invalid reference format";
            throw error(line, "failed to parse stage name \"" + ref + "\": " + why);
        }
    }

    private Expansion expand(String word, GlobalScope global, int line) {
        try {
            return lexer.expand(word, global::lookup);
        } catch (ShellExpansionException e) {
            throw error(line, e.getMessage());
        }
    }

    private DockerfileParseException error(int line, String message) {
        return new DockerfileParseException(file, line, message);
    }
}
