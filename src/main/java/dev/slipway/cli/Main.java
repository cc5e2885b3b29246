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
        return SlipwayCommand.commandLine().execute(args);
    }
}
