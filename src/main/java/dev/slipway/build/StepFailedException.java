package dev.slipway.build;

import dev.slipway.SlipwayException;
import java.util.List;

/** A step that failed: the message names the Dockerfile line; {@code lastLines} is its output tail. */
public class StepFailedException extends SlipwayException {
    private final int exitCode;
    private final List<String> lastLines;

    public StepFailedException(String message, int exitCode, List<String> lastLines) {
        super(message);
        this.exitCode = exitCode;
        this.lastLines = List.copyOf(lastLines);
    }

    /** The process's exit code, or -1 when no process ran. */
    public int processExitCode() {
        return exitCode;
    }

    public List<String> lastLines() {
        return lastLines;
    }
}
