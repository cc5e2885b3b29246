package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.registry.TestRegistry;
import dev.slipway.testing.BusyboxRootfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway pull} in a real terminal (a tmux pane) from a local docker-registry: bars, then one line per blob. */
@Tag("integration")
class TransferTtyIntegrationTest {
    @TempDir
    Path tmp;

    private final String session = "slipway-pull-" + ProcessHandle.current().pid();
    private TestRegistry registry;

    @AfterEach
    void cleanUp() throws Exception {
        new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
        if (registry != null) {
            registry.close();
        }
    }

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    private static void slipway(Path root, String... args) {
        CliRun r = CliRun.in(root, args);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void pullOnATerminalEndsWithOneLinePerBlobAndNoBarLeft() throws Exception {
        registry = TestRegistry.start(tmp.resolve("registry"), TestRegistry.Options.plain());
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        byte[] noise = new byte[24 << 20];
        new Random(5).nextBytes(noise);
        Files.write(rootfs.resolve("noise.bin"), noise);
        Path tar = BusyboxRootfs.tar(rootfs, tmp.resolve("rootfs.tar"));
        Path source = tmp.resolve("source");
        String ref = registry.host() + "/tty/app:1";
        slipway(source, "import", tar.toString(), ref);
        slipway(source, "push", ref);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", java, "-cp", "'" + System.getProperty("java.class.path") + "'",
                "dev.slipway.cli.Main", "--root", tmp.resolve("target").toString(), "pull", ref)
                + "; echo EXITED=$?; sleep 120";
        run("tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40", command);
        String screen = "";
        for (int i = 0; i < 900 && !screen.contains("EXITED="); i++) {
            Thread.sleep(200);
            screen = run("tmux", "capture-pane", "-p", "-t", session);
        }
        List<String> rows = screen.lines().filter(r -> !r.isBlank()).toList();
        assertThat(screen).as(screen).contains("EXITED=0");
        assertThat(rows).as(screen).containsSubsequence("1: Pulling from " + registry.host() + "/tty/app", "Status: Downloaded newer image for " + ref);
        assertThat(rows).filteredOn(r -> r.matches("[0-9a-f]{12}: Pull complete \\(.*\\)")).as(screen).hasSize(2);
        assertThat(screen).as("bars are gone once their blob is done").doesNotContain("Downloading");
    }
}
