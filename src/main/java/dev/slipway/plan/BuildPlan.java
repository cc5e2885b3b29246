package dev.slipway.plan;

import dev.slipway.dockerfile.Dockerfile;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a build will do: every stage with its resolved base and dependencies, which stages the
 * target needs (built) and which it does not (skipped), and the order to build them in as groups
 * of stages that can run at the same time.
 *
 * @param fileName        the Dockerfile's name, for messages
 * @param stages          all stages in file order
 * @param target          index of the stage the build produces
 * @param parallelGroups  built stages by level: a stage's dependencies are all in earlier groups
 * @param unusedBuildArgs {@code --build-arg} names that nothing declares (BuildKit warns about them)
 * @param globalScope     the args FROM lines see; the builder starts each stage's scope from it
 */
public record BuildPlan(String fileName, List<PlannedStage> stages, int target, List<List<Integer>> parallelGroups,
                        List<String> unusedBuildArgs, GlobalScope globalScope) {

    public BuildPlan {
        stages = List.copyOf(stages);
        parallelGroups = parallelGroups.stream().map(List::copyOf).toList();
        unusedBuildArgs = List.copyOf(unusedBuildArgs);
    }

    /** Plans a parsed Dockerfile. */
    public static BuildPlan create(Dockerfile dockerfile, PlanOptions options) {
        return new Planner(dockerfile, options).plan();
    }

    public PlannedStage targetStage() {
        return stages.get(target);
    }

    /** Looks a stage up by name, case-insensitively, as {@code --target} and {@code COPY --from} do. */
    public Optional<PlannedStage> stage(String name) {
        return stages.stream().filter(s -> s.name() != null && s.name().equalsIgnoreCase(name)).reduce((a, b) -> b);
    }

    public List<PlannedStage> builtStages() {
        return stages.stream().filter(PlannedStage::built).toList();
    }

    /** The options a plan is made with. */
    public record PlanOptions(Map<String, String> buildArgs, String target, PlatformSpec buildPlatform,
                              PlatformSpec targetPlatform) {
        public PlanOptions {
            buildArgs = Map.copyOf(buildArgs);
        }

        /** Build args and an optional target, for the host platform. */
        public static PlanOptions of(Map<String, String> buildArgs, String target) {
            PlatformSpec host = PlatformSpec.host();
            return new PlanOptions(buildArgs, target, host, host);
        }
    }
}
