package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.BusyboxRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway build} and {@code slipway run} through the command line, on an imported busybox. */
@Tag("integration")
class BuildRunCommandTest {
    @TempDir
    Path tmp;

    private CliRun slipway(String... args) {
        return CliRun.in(tmp.resolve("root"), args);
    }

    @BeforeEach
    void importBusybox() throws Exception {
        Path tar = BusyboxRootfs.tar(BusyboxRootfs.create(tmp.resolve("rootfs")), tmp.resolve("rootfs.tar"));
        assertThat(slipway("import", tar.toString(), "busybox:cli").exit()).isZero();
    }

    @Test
    void buildTagsWritesTheIidfileAndRunSeesTheResult() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM busybox:cli AS builder
                RUN echo built > /artifact
                FROM builder
                ARG GREETING=hi
                ENV GREETING=$GREETING
                WORKDIR /work
                CMD ["sh", "-c", "echo $GREETING from $(pwd); cat /artifact"]
                """);
        Path iid = tmp.resolve("iid");
        CliRun b = slipway("build", "-t", "app:1", "-t", "app:2", "--build-arg", "GREETING=hello", "--label", "k=v",
                "--iidfile", iid.toString(), ctx.toString());
        assertThat(b.exit()).as(b.err()).isZero();
        String id = Files.readString(iid);
        assertThat(id).matches("sha256:[0-9a-f]{64}");
        assertThat(b.out().strip()).isEqualTo(id);
        assertThat(b.err()).containsPattern("#\\d+ \\[builder 2/2\\] RUN echo built > /artifact")
                .containsPattern("#\\d+ DONE \\d+\\.\\ds").contains("naming to docker.io/library/app:2");

        CliRun r = slipway("run", "--rm", "app:2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("hello from /work\nbuilt\n");

        CliRun over = slipway("run", "-e", "GREETING=bye", "-w", "/tmp", "app:1", "sh", "-c", "echo $GREETING $(pwd) $(id -u)");
        assertThat(over.out()).isEqualTo("bye /tmp 0\n");
        assertThat(slipway("run", "-u", "app", "app:1", "id", "-u").out()).isEqualTo("1000\n");
        assertThat(slipway("run", "--entrypoint", "cat", "app:1", "/artifact").out()).isEqualTo("built\n");
    }

    @Test
    void runPropagatesTheExitCodeAndDiscardsWrites() {
        assertThat(slipway("run", "busybox:cli", "sh", "-c", "echo x > /written; exit 7").exit()).isEqualTo(7);
        assertThat(slipway("run", "busybox:cli", "test", "-e", "/written").exit()).isEqualTo(1);
    }

    @Test
    void aFailingStageCancelsTheStepsOfOthersAsBuildkitPrintsIt() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("cancel"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM busybox:cli AS slow
                RUN sleep 60
                FROM busybox:cli AS bad
                RUN sleep 1; exit 3
                FROM busybox:cli
                COPY --from=slow /bin/busybox /a
                COPY --from=bad /bin/busybox /b
                """);
        long start = System.nanoTime();
        CliRun b = slipway("build", "--progress", "plain", "--jobs", "2", ctx.toString());
        assertThat(b.exit()).isEqualTo(1);
        assertThat((System.nanoTime() - start) / 1_000_000_000).as("seconds until the build ended").isLessThan(50);
        assertThat(b.err()).containsPattern("(?m)^#(\\d+) \\[slow 2/2\\] RUN sleep 60$")
                .containsPattern("(?m)^#\\d+ CANCELED$")
                .contains("error: Dockerfile:4: process \"/bin/sh -c sleep 1; exit 3\" did not complete successfully: exit code: 3")
                .doesNotContain("step interrupted");
        String slowStep = b.err().replaceAll("(?s).*?#(\\d+) \\[slow 2/2\\] RUN sleep 60.*", "$1");
        assertThat(b.err()).containsPattern("(?m)^#" + slowStep + " CANCELED$");
    }

    @Test
    void aFailingBuildIsOneErrorLineAndTagsNothing() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("bad"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox:cli\nRUN echo oops; exit 4\n");
        CliRun b = slipway("build", "-t", "bad:1", ctx.toString());
        assertThat(b.exit()).isEqualTo(1);
        assertThat(b.err()).contains("error: Dockerfile:2: process \"/bin/sh -c echo oops; exit 4\" did not complete "
                + "successfully: exit code: 4").doesNotContain("at dev.slipway");
        assertThat(slipway("images").out()).doesNotContainPattern("(?m)^bad\\s");

        CliRun missing = slipway("build", ctx.resolve("nope").toString());
        assertThat(missing.exit()).isEqualTo(1);
        Files.writeString(ctx.resolve("Dockerfile"), "FROM nosuch:image\n");
        assertThat(slipway("build", ctx.toString()).err())
                .contains("error: image \"nosuch:image\" not found in the store");
    }
}
