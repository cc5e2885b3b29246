package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SlipwayCommandTest {

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cl = SlipwayCommand.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void versionNamesTheProjectVersion() {
        Result r = run("--version");
        assertThat(r.exit).isZero();
        assertThat(r.out).matches("slipway \\d+\\.\\d+\\.\\d+\\S*\\s*");
    }

    @Test
    void helpListsGlobalOptions() {
        Result r = run("--help");
        assertThat(r.exit).isZero();
        assertThat(r.out).contains("--root=DIR", "--debug");
    }

    @Test
    void unknownCommandIsAUsageErrorWithoutStackTrace() {
        Result r = run("frobnicate");
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("frobnicate").doesNotContain("at dev.slipway");
    }
}
