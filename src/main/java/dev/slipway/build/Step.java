package dev.slipway.build;

import dev.slipway.dockerfile.Instruction;

/**
 * One instruction of a stage, as the solver hands it to a {@link StepExecutor}.
 *
 * @param stageIndex the stage's index in the Dockerfile
 * @param label      the progress label, {@code [builder 3/6] RUN npm ci}
 * @param trigger    true for an ONBUILD trigger inherited from the base
 */
public record Step(int stageIndex, Instruction instruction, String label, boolean trigger) {

    /** The instruction's first line in the Dockerfile. */
    public int line() {
        return instruction.origin().startLine();
    }
}
