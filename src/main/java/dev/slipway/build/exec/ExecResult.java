package dev.slipway.build.exec;

import java.util.List;

/** How a step ended: its exit code and the last lines it printed (stdout and stderr interleaved). */
public record ExecResult(int exitCode, List<String> lastLines) {
    public ExecResult {
        lastLines = List.copyOf(lastLines);
    }

    public boolean succeeded() {
        return exitCode == 0;
    }
}
