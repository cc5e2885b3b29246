package dev.slipway.cli;

import picocli.CommandLine;

/** Entry point of the {@code slipway} launcher. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        CommandLine cl = SlipwayCommand.commandLine(args);
        ((SlipwayCommand) cl.getCommand()).processStreams = true;
        int exit = cl.execute(args);
        // Commands print whole tables with print(); System.exit would drop what is still buffered.
        cl.getOut().flush();
        cl.getErr().flush();
        return exit;
    }
}
