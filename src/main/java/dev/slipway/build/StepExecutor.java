package dev.slipway.build;

/**
 * Runs one step: from the parent state and an instruction to the new state. This is the seam for
 * the build cache: a wrapper that knows a step's result from its key can return it without calling
 * the executor it wraps.
 */
@FunctionalInterface
public interface StepExecutor {
    StageState execute(StageState parent, Step step);
}
