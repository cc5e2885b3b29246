package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.image.Descriptor;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.plan.BuildPlan;
import dev.slipway.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The solver's scheduling with a fake step executor: each step adds a label naming itself, so a
 * state tells which steps made it; {@code RUN meet} waits at a barrier shared by every such step;
 * {@code COPY --from} asks the solver for the source stage, as the real COPY step does.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SolverTest {
    @TempDir
    Path tmp;

    private final List<String> events = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, StageState> copiedFrom = new ConcurrentHashMap<>();
    private final AtomicInteger counter = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();
    /** The most steps that ever worked at the same time. */
    private final AtomicInteger maxRunning = new AtomicInteger();
    private final CountDownLatch copyStarted = new CountDownLatch(1);

    private Solver solver;

    private StageState solve(String dockerfile, int jobs, CyclicBarrier meet) throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        BuildPlan plan = BuildPlan.create(DockerfileParser.parse(dockerfile, "Dockerfile"),
                BuildPlan.PlanOptions.of(Map.of(), null));
        solver = new Solver(plan, new BaseImages(store, Platform.host()), Platform.host(), Progress.QUIET, jobs);
        return solver.solve((parent, step) -> {
            String text = step.instruction().origin().text().strip();
            events.add("start " + text);
            if (step.instruction() instanceof Instruction.Copy c && c.from() != null) {
                copyStarted.countDown();
                copiedFrom.put(text, solver.stateOf(c.from(), step));
            }
            // Counted after the wait for another stage: a stage waiting there does no work.
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (text.equals("RUN meet")) {
                    await(meet);
                } else if (text.equals("RUN until-copy-started")) {
                    awaitCopy();
                } else if (text.startsWith("RUN until-queued ")) {
                    awaitQueued(Integer.parseInt(text.substring("RUN until-queued ".length())));
                }
                events.add("end " + text);
                return parent.withConfig(parent.config().toBuilder()
                        .label(String.format("step.%03d", counter.incrementAndGet()), text).build());
            } finally {
                running.decrementAndGet();
            }
        });
    }

    private static void await(CyclicBarrier meet) {
        try {
            meet.await(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the other stage's step never ran at the same time", e);
        }
    }

    private void awaitCopy() {
        try {
            if (!copyStarted.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the COPY --from never started while this stage ran");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code n} stages wait for a slot, so that they all compete when this step's stage ends. */
    private void awaitQueued(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (solver.waitingForSlots() < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + solver.waitingForSlots() + " stages ever queued, not " + n);
            }
            Thread.onSpinWait();
        }
    }

    private static List<String> steps(StageState state) {
        Map<String, String> labels = state.config().labels();
        return labels == null ? List.of() : labels.keySet().stream().sorted().map(labels::get).toList();
    }

    @Test
    void aStageRunsItsStepsBeforeACopyFromWhileTheOtherStageIsStillRunning() throws Exception {
        String df = """
                FROM scratch AS slow
                RUN meet
                RUN until-copy-started
                FROM scratch
                RUN meet
                COPY --from=slow /out /out
                RUN after
                """;

        StageState result = solve(df, 2, new CyclicBarrier(2));

        assertThat(maxRunning.get()).isEqualTo(2);
        assertThat(events.indexOf("end COPY --from=slow /out /out"))
                .isGreaterThan(events.indexOf("end RUN until-copy-started"));
        assertThat(steps(copiedFrom.get("COPY --from=slow /out /out")))
                .containsExactly("RUN meet", "RUN until-copy-started");
        assertThat(steps(result)).containsExactly("RUN meet", "COPY --from=slow /out /out", "RUN after");
    }

    @RepeatedTest(10)
    void oneJobFinishesADagWhereEveryStageWaitsForAnother() throws Exception {
        String df = """
                FROM scratch AS a
                RUN a1
                FROM scratch AS b
                RUN b1
                COPY --from=a /x /x
                RUN --mount=type=cache,target=/c b2
                FROM b AS c
                RUN c1
                FROM scratch
                RUN final1
                COPY --from=a /x /x
                COPY --from=c /y /y
                """;

        StageState result = solve(df, 1, null);

        assertThat(maxRunning.get()).isEqualTo(1);
        assertThat(steps(result)).containsExactly("RUN final1", "COPY --from=a /x /x", "COPY --from=c /y /y");
        assertThat(steps(copiedFrom.get("COPY --from=c /y /y")))
                .containsExactly("RUN b1", "COPY --from=a /x /x", "RUN --mount=type=cache,target=/c b2", "RUN c1");
    }

    @RepeatedTest(5)
    void freeSlotsGoToStagesInTheOrderTheTargetNeedsThemNotInFileOrder() throws Exception {
        String df = """
                FROM scratch AS base
                RUN until-queued 4
                FROM base AS c
                RUN c1
                FROM base AS a
                RUN a1
                FROM base AS b
                RUN b1
                FROM base
                COPY --from=a /x /x
                COPY --from=b /y /y
                COPY --from=c /z /z
                """;

        solve(df, 1, null);

        List<String> ends = events.stream().filter(e -> e.startsWith("end RUN ")).toList();
        assertThat(ends).containsExactly("end RUN until-queued 4", "end RUN a1", "end RUN b1", "end RUN c1");
    }

    @Test
    void theNeedOrderWalksTheTargetsNeedsDepthFirstInInstructionOrder() {
        String df = """
                FROM scratch AS tools
                FROM scratch AS c
                COPY --from=tools /t /t
                FROM scratch AS a
                FROM scratch AS unused
                FROM a
                COPY --from=c /z /z
                RUN --mount=from=tools,target=/t true
                """;
        BuildPlan plan = BuildPlan.create(DockerfileParser.parse(df, "Dockerfile"), BuildPlan.PlanOptions.of(Map.of(), null));

        assertThat(Solver.needOrder(plan)).containsExactlyInAnyOrderEntriesOf(Map.of(2, 0, 0, 1, 1, 2, 4, 3));
    }

    @Test
    void anOnbuildCopyFromStartsAStageThePlanSkippedEvenWithOneJob() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        ImageConfig config = ImageConfig.empty(Platform.host()).withConfig(new ImageConfig.ContainerConfig.Builder()
                .onBuild(List.of("COPY --from=helper /h /h")).build());
        ImageJson.Encoded<ImageConfig> c = ImageJson.encode(config);
        store.content().put(c.bytes());
        ImageJson.Encoded<Manifest> m = ImageJson.encode(Manifest.of(c.descriptor(MediaTypes.OCI_CONFIG),
                List.<Descriptor>of(), false));
        store.content().put(m.bytes());
        store.references().set(ImageReference.parse("onbuild-base"), m.digest());
        String df = """
                FROM scratch AS helper
                RUN make-h
                FROM onbuild-base
                RUN after
                """;

        StageState result = solve(df, 1, null);

        assertThat(steps(copiedFrom.get("COPY --from=helper /h /h"))).containsExactly("RUN make-h");
        assertThat(steps(result)).containsExactly("COPY --from=helper /h /h", "RUN after");
    }

    @Test
    void aFailingStageFailsTheStageWaitingForIt() throws Exception {
        String df = """
                FROM scratch AS broken
                RUN fail
                FROM scratch
                COPY --from=broken /x /x
                """;
        Store store = Store.open(tmp.resolve("root"));
        BuildPlan plan = BuildPlan.create(DockerfileParser.parse(df, "Dockerfile"),
                BuildPlan.PlanOptions.of(Map.of(), null));
        Solver solver = new Solver(plan, new BaseImages(store, Platform.host()), Platform.host(), Progress.QUIET, 1);

        assertThatThrownBy(() -> solver.solve((parent, step) -> {
            if (step.instruction() instanceof Instruction.Copy c) {
                return solver.stateOf(c.from(), step);
            }
            throw new IllegalStateException("step failed: " + step.instruction().origin().text().strip());
        })).isInstanceOf(IllegalStateException.class).hasMessage("step failed: RUN fail");
    }

    @Test
    void aFailingStageEndsTheBuildWithoutWaitingForStagesStillRunning() throws Exception {
        String df = """
                FROM scratch AS broken
                RUN fail
                FROM scratch
                RUN until-copy-started
                COPY --from=broken /x /x
                """;
        Store store = Store.open(tmp.resolve("root"));
        BuildPlan plan = BuildPlan.create(DockerfileParser.parse(df, "Dockerfile"),
                BuildPlan.PlanOptions.of(Map.of(), null));
        Solver solver = new Solver(plan, new BaseImages(store, Platform.host()), Platform.host(), Progress.QUIET, 2);

        assertThatThrownBy(() -> solver.solve((parent, step) -> {
            String text = step.instruction().origin().text().strip();
            if (text.equals("RUN fail")) {
                throw new IllegalStateException("step failed: RUN fail");
            }
            if (text.equals("RUN until-copy-started")) {
                // Never released: only the end of the build stops this step.
                awaitCopy();
            }
            return parent;
        })).isInstanceOf(IllegalStateException.class).hasMessage("step failed: RUN fail");
        assertThat(copyStarted.getCount()).isEqualTo(1);
    }
}
