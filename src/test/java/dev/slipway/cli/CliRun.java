package dev.slipway.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * One in-process run of the slipway command line: its exit code and what it printed. Public for
 * the tests outside this package that drive the CLI (the examples).
 */
public record CliRun(int exit, String out, String err) {

    public static CliRun run(String... args) {
        CommandLine cl = SlipwayCommand.commandLine(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** {@code slipway --root ROOT ARGS...}. */
    public static CliRun in(Path root, String... args) {
        List<String> all = new ArrayList<>(List.of("--root", root.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /**
     * Like {@link #in} with {@code stdin} as the process's standard input for the run. Not an
     * overload of {@code in}: {@code in(root, "build", ".")} would silently take "build" as stdin.
     */
    public static CliRun inWithStdin(Path root, String stdin, String... args) {
        InputStream original = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            return in(root, args);
        } finally {
            System.setIn(original);
        }
    }
}
