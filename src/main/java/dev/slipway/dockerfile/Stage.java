package dev.slipway.dockerfile;

import java.util.List;

/**
 * A build stage: its FROM and the instructions after it up to the next FROM.
 *
 * @param index position among the stages, from 0
 * @param name  the lower-cased {@code AS} name, or null
 */
public record Stage(int index, String name, Instruction.From from, List<Instruction> instructions) {
    public Stage {
        instructions = List.copyOf(instructions);
    }
}
