package dev.slipway.build.exec;

/** Receives a step's output line by line as it is produced (called from reader threads). */
@FunctionalInterface
public interface OutputSink {

    /** Where a line came from; WARNING lines are the executor's own. */
    enum Stream { STDOUT, STDERR, WARNING }

    void line(Stream stream, String text);

    /** Discards everything. */
    OutputSink NONE = (stream, text) -> { };
}
