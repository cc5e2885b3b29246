package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway build} of files only (no RUN step, no registry), through the command line. */
class BuildCommandTest {
    @TempDir
    Path tmp;

    private Path context() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM scratch\nCOPY f /f\n");
        Files.writeString(ctx.resolve("f"), "file");
        return ctx;
    }

    @Test
    void aBrokenRegistryConfigFailsABuildThatNeverTalksToARegistry() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(root.resolve("registries.json"), "[]");
        CliRun b = CliRun.in(root, "build", "-q", context().toString());
        assertThat(b.exit()).isEqualTo(1);
        assertThat(b.err()).isEqualTo("error: " + root.resolve("registries.json") + ": expected a JSON object\n");
    }

    @Test
    void aBuildFromScratchNeedsNoRegistryClient() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.writeString(root.resolve("registries.json"), "{\"insecure-registries\": [\"localhost:5999\"]}");
        CliRun b = CliRun.in(root, "build", "-q", "-t", "files:1", context().toString());
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out()).matches("sha256:[0-9a-f]{64}\n");
        assertThat(CliRun.in(root, "images", "-q").out()).isEqualTo(b.out().substring(7, 19) + "\n");
    }
}
