package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.Dockerfile;
import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.Platform;
import dev.slipway.plan.BuildPlan;
import dev.slipway.plan.PlannedStage;
import dev.slipway.plan.StageScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Executes a {@link BuildPlan} as BuildKit does: every stage the target needs starts at once and
 * runs its steps until one needs another stage's result (its base stage, {@code COPY --from},
 * {@code RUN --mount from=}), and waits there only. At most {@code jobs} stages run steps at the same
 * time: a stage holds one of {@code jobs} slots while it works and gives it back while it waits for
 * another stage, so any valid DAG finishes even with one slot. A free slot goes to the stage the
 * target needs first ({@link #needOrder}): its result can then feed the target's steps while later
 * stages still run, where stages finishing in a random order leave the target waiting for the
 * first one it copies from, idle, and then working alone at the end. Each stage runs its base's ONBUILD
 * triggers, then its own instructions, one {@link StepExecutor} call per instruction. A trigger may
 * name a stage the plan could not know about (base configs are read only now); that stage is
 * started when first needed, as BuildKit re-plans once it knows the base images. The first step to
 * fail ends the build, as in BuildKit: stages still running are interrupted, not waited for.
 */
final class Solver implements Workspace.StageLookup {
    private final BuildPlan plan;
    private final BaseImages images;
    private final Platform platform;
    private final Progress progress;
    private final StageSlots slots;
    private final Map<Integer, Integer> ranks;
    private final ThreadLocal<Boolean> holdsSlot = ThreadLocal.withInitial(() -> false);
    private final ThreadLocal<Integer> rank = ThreadLocal.withInitial(() -> Integer.MAX_VALUE);
    private final boolean multiStage;
    private final Map<Integer, CompletableFuture<StageState>> futures = new ConcurrentHashMap<>();
    /** The target's state, or the first failure of any stage: as in BuildKit, one failed step ends the build. */
    private final CompletableFuture<StageState> outcome = new CompletableFuture<>();
    private volatile ExecutorService pool;
    private StepExecutor executor;

    Solver(BuildPlan plan, BaseImages images, Platform platform, Progress progress, int jobs) {
        this.plan = plan;
        this.images = images;
        this.platform = platform;
        this.progress = progress;
        this.slots = new StageSlots(jobs);
        this.ranks = needOrder(plan);
        this.multiStage = plan.stages().size() > 1;
    }

    /** Number of stages waiting for a slot (for tests that need stages queued before a step ends). */
    int waitingForSlots() {
        return slots.waiting();
    }

    /** Builds the target stage and returns its final state. */
    StageState solve(StepExecutor stepExecutor) {
        this.executor = stepExecutor;
        // One thread per started stage, not per slot: a waiting stage parks its thread, never a slot.
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "slipway-stage");
            t.setDaemon(true);
            return t;
        });
        try {
            for (List<Integer> group : plan.parallelGroups()) {
                for (int index : group) {
                    stage(index);
                }
            }
            futures.get(plan.target()).whenComplete((state, failure) -> {
                if (failure == null) {
                    outcome.complete(state);
                }
            });
            return outcome.get();
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlipwayException("build interrupted", e);
        } finally {
            pool.shutdownNow();
            awaitStopped(pool);
        }
    }

    /**
     * After a failure, gives the interrupted stages time to kill their containers and unmount
     * their snapshots before the build returns (and a CLI process exits under them).
     */
    private static void awaitStopped(ExecutorService stopping) {
        try {
            stopping.awaitTermination(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The stage's result to come, starting the stage if nothing has yet. */
    private CompletableFuture<StageState> stage(int index) {
        return futures.computeIfAbsent(index, i -> {
            CompletableFuture<StageState> f = new CompletableFuture<>();
            f.whenComplete((state, failure) -> {
                if (failure != null) {
                    outcome.completeExceptionally(failure);
                }
            });
            pool.execute(() -> runStage(plan.stages().get(i), f));
            return f;
        });
    }

    /**
     * Runs the stage into {@code result}, and only then gives its slot back: by then every stage
     * waiting for this one can run, so the slot goes to the one ranked first, not to a stage that
     * happened to ask while the result was still being published.
     */
    private void runStage(PlannedStage stage, CompletableFuture<StageState> result) {
        rank.set(ranks.getOrDefault(stage.index(), plan.stages().size() + stage.index()));
        try {
            takeSlot(null);
            result.complete(buildStage(stage));
        } catch (Throwable t) {
            result.completeExceptionally(t);
        } finally {
            slots.changed();
            if (holdsSlot.get()) {
                holdsSlot.set(false);
                slots.release();
            }
        }
    }

    /** Waits for a slot, to be given once {@code blocker} (null: nothing) is done. */
    private void takeSlot(CompletableFuture<StageState> blocker) {
        try {
            slots.acquire(rank.get(), blocker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlipwayException("build interrupted", e);
        }
        holdsSlot.set(true);
    }

    /**
     * Waits for stage {@code index} (starting it if needed) with this stage's slot given back, so
     * the stage waited for, or any other, can use it.
     */
    private StageState await(int index) {
        CompletableFuture<StageState> f = stage(index);
        if (f.isDone() || !holdsSlot.get()) {
            return join(f);
        }
        holdsSlot.set(false);
        slots.release();
        takeSlot(f);
        return join(f);
    }

    /**
     * Each stage the target needs, ranked by when the target first needs it: a depth-first walk
     * from the target over each stage's needs in instruction order, a stage after all it needs.
     * Stages only ONBUILD triggers name are not in it.
     */
    static Map<Integer, Integer> needOrder(BuildPlan plan) {
        Map<Integer, Integer> order = new HashMap<>();
        rankFrom(plan, plan.target(), order);
        return order;
    }

    /**
     * The stages whose layers the image has: the target and the stages it is built on ({@code FROM
     * stage}), not those it only copies or mounts from. ONBUILD triggers cannot change this: they
     * run inside a stage and can only name other stages as sources.
     */
    static Set<Integer> imageStages(BuildPlan plan) {
        Set<Integer> stages = new HashSet<>();
        PlannedStage stage = plan.stages().get(plan.target());
        stages.add(stage.index());
        while (stage.base() instanceof PlannedStage.Base.StageBase b && stages.add(b.index())) {
            stage = plan.stages().get(b.index());
        }
        return stages;
    }

    private static void rankFrom(BuildPlan plan, int index, Map<Integer, Integer> order) {
        if (order.containsKey(index)) {
            return;
        }
        for (int dependency : plan.stages().get(index).stageDependencies()) {
            rankFrom(plan, dependency, order);
        }
        order.put(index, order.size());
    }

    private static StageState join(CompletableFuture<StageState> f) {
        try {
            return f.join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    private static RuntimeException unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof RuntimeException r ? r : new SlipwayException(t.toString(), t);
    }

    private String prefix(PlannedStage stage, int i, int n) {
        return "[" + (multiStage ? stage.displayName() + " " : "") + i + "/" + n + "] ";
    }

    private StageState buildStage(PlannedStage stage) {
        int total = stage.stage().instructions().size() + 1;
        StageState state;
        if (stage.base() instanceof PlannedStage.Base.StageBase sb) {
            StageState parent = await(sb.index());
            state = new StageState(parent.image(), parent.layers(), parent.scope().child(), false, parent.cacheKey());
        } else if (stage.base() instanceof PlannedStage.Base.Image img) {
            int n = progress.start(prefix(stage, 1, total) + "FROM " + fromLabel(img.reference()));
            try {
                state = fromImage(images.resolve(img.reference()));
            } catch (RuntimeException e) {
                progress.error(n, e.getMessage());
                throw e;
            }
            progress.done(n);
        } else {
            state = scratch();
        }
        List<String> triggers = state.config().onBuild();
        state = state.withConfig(state.config().toBuilder().onBuild(null).build());
        if (triggers != null) {
            for (String trigger : triggers) {
                Instruction parsed = parseTrigger(trigger, stage);
                state = marked(state, executor.execute(state, new Step(stage.index(), parsed,
                        prefix(stage, 1, total) + "ONBUILD " + trigger, true)), stage, parsed);
            }
        }
        List<Instruction> instructions = stage.stage().instructions();
        for (int i = 0; i < instructions.size(); i++) {
            Instruction ins = instructions.get(i);
            state = marked(state, executor.execute(state, new Step(stage.index(), ins,
                    prefix(stage, i + 2, total) + ins.origin().text().strip(), false)), stage, ins);
        }
        return state;
    }

    /**
     * {@code next} with the history entries its step added marked for {@code slipway analyze}'s
     * share by stage: BuildKit's comment followed by {@code slipway.stage=NAME}, and for
     * {@code COPY --from} also {@code slipway.from=NAME}, the stage (or image) whose bytes the layer
     * holds. Done here, after the executor, so that a step served from the cache is marked for the
     * stage it now runs in.
     */
    private StageState marked(StageState parent, StageState next, PlannedStage stage, Instruction ins) {
        List<ImageConfig.History> before = parent.image().historyOrEmpty();
        List<ImageConfig.History> after = next.image().historyOrEmpty();
        if (after.size() <= before.size()) {
            return next;
        }
        String marks = "slipway.stage=" + stage.displayName();
        if (ins instanceof Instruction.Copy c && c.from() != null && !c.from().isEmpty()) {
            marks += " slipway.from=" + sourceName(c.from());
        }
        List<ImageConfig.History> history = new ArrayList<>(after.subList(0, before.size()));
        for (ImageConfig.History h : after.subList(before.size(), after.size())) {
            history.add(new ImageConfig.History(h.created(), h.createdBy(), h.author(),
                    h.comment() == null || h.comment().isEmpty() ? marks : h.comment() + " " + marks, h.emptyLayer(),
                    h.extra()));
        }
        return next.withImage(next.image().withHistory(history));
    }

    /** A {@code --from} value as marks name it: the stage's display name, else the image as written. */
    private String sourceName(String from) {
        if (from.matches("[0-9]+")) {
            int index = Integer.parseInt(from);
            return index < plan.stages().size() ? plan.stages().get(index).displayName() : from;
        }
        return plan.stage(from).map(PlannedStage::displayName).orElse(from);
    }

    private static String fromLabel(String reference) {
        try {
            return dev.slipway.image.ImageReference.parse(reference).toString();
        } catch (RuntimeException e) {
            return reference;
        }
    }

    /** An ONBUILD trigger, re-parsed on its own with the default escape character. */
    private Instruction parseTrigger(String trigger, PlannedStage stage) {
        Dockerfile df = DockerfileParser.parse("FROM scratch\n" + trigger + "\n", plan.fileName());
        List<Instruction> ins = df.stages().get(0).instructions();
        if (df.stages().size() != 1 || ins.size() != 1) {
            throw new SlipwayException(plan.fileName() + ":" + stage.line() + ": invalid ONBUILD trigger: " + trigger);
        }
        return ins.get(0);
    }

    StageState scratch() {
        ImageConfig config = ImageConfig.empty(platform).withConfig(new ImageConfig.ContainerConfig.Builder()
                .workingDir("/").env(List.of("PATH=" + StageScope.DEFAULT_PATH)).build());
        return new StageState(config, List.of(), StageScope.onImage(plan.globalScope(), null), false,
                CacheKey.of("scratch").add("platform", platform).digest());
    }

    /** A stage on an image: its config without Created and without fields BuildKit does not carry over. */
    StageState fromImage(BaseImages.Resolved image) {
        ImageConfig base = image.config();
        ImageConfig.ContainerConfig c = base.configOrEmpty();
        List<String> env = new ArrayList<>(c.env() == null ? List.of() : c.env());
        if (c.envValue("PATH") == null) {
            env.add("PATH=" + StageScope.DEFAULT_PATH);
        }
        ImageConfig.ContainerConfig clean = new ImageConfig.ContainerConfig(c.user(), c.exposedPorts(), env,
                c.entrypoint(), c.cmd(), c.volumes(), c.workingDir(), c.labels(), c.stopSignal(), c.healthcheck(),
                c.shell(), c.onBuild(), c.argsEscaped(), Map.of());
        ImageConfig config = new ImageConfig(null, base.author(), base.architecture(), base.os(), base.osVersion(),
                base.osFeatures(), base.variant(), clean, base.rootfs(), base.history(), Map.of());
        Map<String, String> envMap = new LinkedHashMap<>();
        for (String e : env) {
            int eq = e.indexOf('=');
            envMap.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        return new StageState(config, image.layers(), StageScope.onImage(plan.globalScope(), envMap), false,
                CacheKey.of("image").add("config", image.id()).add("platform", platform).digest());
    }

    @Override
    public StageState stateOf(String from, Step step) {
        PlannedStage found = null;
        if (from.matches("[0-9]+")) {
            int index = Integer.parseInt(from);
            if (index >= plan.stages().size()) {
                throw new SlipwayException(plan.fileName() + ":" + step.line() + ": invalid stage index " + index);
            }
            found = plan.stages().get(index);
        } else {
            found = plan.stage(from).orElse(null);
        }
        if (found != null && found.index() < step.stageIndex()) {
            return await(found.index());
        }
        if (found != null) {
            throw new SlipwayException(plan.fileName() + ":" + step.line() + ": cannot copy from stage \"" + from
                    + "\", it needs to be defined before current stage \""
                    + plan.stages().get(step.stageIndex()).displayName() + "\"");
        }
        return fromImage(images.resolve(from));
    }

}
