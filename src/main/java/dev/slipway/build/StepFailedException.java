package dev.slipway.build;

import dev.slipway.SlipwayException;
import java.util.List;

/** A step that failed: the message names the Dockerfile line; {@code lastLines} is its output tail. */
public class StepFailedException extends SlipwayException {
    private final int exitCode;
    private final List<String> lastLines;
    private final String step;
    private final int line;

    /**
     * @param step the step's progress label ({@code [2/3] RUN make})
     * @param line the instruction's first line in the Dockerfile
     */
    public StepFailedException(String message, int exitCode, List<String> lastLines, String step, int line) {
        super(message);
        this.exitCode = exitCode;
        this.lastLines = List.copyOf(lastLines);
        this.step = step;
        this.line = line;
    }

    public String step() {
        return step;
    }

    public int line() {
        return line;
    }

    /** The process's exit code, or -1 when no process ran. */
    public int processExitCode() {
        return exitCode;
    }

    public List<String> lastLines() {
        return lastLines;
    }
}
