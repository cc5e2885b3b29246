package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SlipwayCommandTest {

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("slipway \\d+\\.\\d+\\.\\d+\\S*\\s*");
    }

    @Test
    void helpListsGlobalOptions() {
        CliRun r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--root=DIR", "--debug");
    }

    @Test
    void unknownCommandIsAUsageErrorWithoutStackTrace() {
        CliRun r = run("frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate").doesNotContain("at dev.slipway");
    }
}
