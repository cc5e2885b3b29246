package dev.slipway.plan;

import dev.slipway.dockerfile.Stage;
import java.util.List;

/**
 * One stage of a plan.
 *
 * @param stage        the parsed stage
 * @param base         what the stage starts from, after expanding its FROM line
 * @param platform     the expanded {@code FROM --platform} value, or null
 * @param dependencies everything the stage needs before it can run, in instruction order
 * @param built        whether the target needs this stage
 * @param level        for built stages, the parallel group it belongs to (0-based); -1 when skipped
 */
public record PlannedStage(Stage stage, Base base, String platform, List<Dependency> dependencies, boolean built,
                           int level) {

    public PlannedStage {
        dependencies = List.copyOf(dependencies);
    }

    public int index() {
        return stage.index();
    }

    /** The lower-cased AS name, or null. */
    public String name() {
        return stage.name();
    }

    /** The name, or {@code stage-N} for an unnamed stage (BuildKit's internal name). */
    public String displayName() {
        return stage.name() != null ? stage.name() : "stage-" + stage.index();
    }

    public int line() {
        return stage.from().origin().startLine();
    }

    /** Indexes of the earlier stages this one needs, without repeats, in order of first need. */
    public List<Integer> stageDependencies() {
        return dependencies.stream().filter(d -> d.stage() >= 0).map(Dependency::stage).distinct().toList();
    }

    /** What a stage starts from. */
    public sealed interface Base {
        /** The empty filesystem. */
        record Scratch() implements Base {
        }

        /** An image to pull, as written after expansion. */
        record Image(String reference) implements Base {
        }

        /** An earlier stage of the same Dockerfile. */
        record StageBase(int index) implements Base {
        }
    }

    /**
     * A need of the stage: an earlier stage ({@code stage >= 0}) or an image ({@code image} non-null).
     *
     * @param via  {@code from} (the base), {@code copy} (COPY --from) or {@code mount} (RUN --mount from=)
     * @param line the instruction's first line
     */
    public record Dependency(String via, int line, int stage, String image) {
        public static Dependency onStage(String via, int line, int stage) {
            return new Dependency(via, line, stage, null);
        }

        public static Dependency onImage(String via, int line, String image) {
            return new Dependency(via, line, -1, image);
        }
    }
}
