package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.slipway.testing.BusyboxRootfs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway build --progress tty} in a real terminal (a tmux pane): the live view while two
 * parallel stages run, then the final frame. The RUN steps wait for an HTTP server the test starts
 * only after it has seen them running, so the live frame is caught however slow the machine is.
 */
@Tag("integration")
class BuildTtyIntegrationTest {
    @TempDir
    Path tmp;

    private final String session = "slipway-tty-" + ProcessHandle.current().pid();
    private HttpServer release;

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    private String screen(Predicate<String> ready) throws IOException, InterruptedException {
        return screen(session, ready);
    }

    private String screen(String session, Predicate<String> ready) throws IOException, InterruptedException {
        String text = "";
        for (int i = 0; i < 900; i++) {
            text = run("tmux", "capture-pane", "-p", "-t", session);
            if (ready.test(text)) {
                return text;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the pane never showed what was expected:\n" + text);
    }

    @AfterEach
    void cleanUp() throws Exception {
        new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
        new ProcessBuilder("tmux", "kill-session", "-t", session + "-again").start().waitFor();
        if (release != null) {
            release.stop(0);
        }
    }

    private void importBusybox(Path root) throws Exception {
        Path tar = BusyboxRootfs.tar(BusyboxRootfs.create(tmp.resolve("rootfs")), tmp.resolve("rootfs.tar"));
        CliRun r = CliRun.in(root, new String[] {"import", tar.toString(), "busybox:tty"});
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void liveViewOfParallelStagesThenTheFinalFrame() throws Exception {
        Path root = tmp.resolve("root");
        importBusybox(root);
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String wait = "until wget -q -O /dev/null http://127.0.0.1:" + port + "/ 2>/dev/null; do sleep 0.2; done";
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM busybox:tty AS left
                RUN for i in $(seq 1 8); do echo left-line-$i; done; %1$s; echo done > /left
                FROM busybox:tty AS right
                RUN echo right-line; %1$s; echo done > /right
                FROM busybox:tty
                COPY --from=left /left /left
                COPY --from=right /right /right
                """.formatted(wait));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", java, "-cp", "'" + System.getProperty("java.class.path") + "'",
                "dev.slipway.cli.Main", "--root", root.toString(), "build", "--progress", "tty", "-t", "tty:1",
                ctx.toString()) + "; echo EXITED=$?; sleep 120";
        run("tmux", "new-session", "-d", "-s", session, "-x", "100", "-y", "50", command);

        // The output rows, not the RUN line that also names right-line.
        String live = screen(s -> s.contains("# left-line-8") && s.contains("# right-line"));
        List<String> rows = live.lines().toList();
        assertThat(rows).filteredOn(r -> r.startsWith("[+] Building")).singleElement().asString()
                .matches("\\[\\+\\] Building \\d+\\.\\ds \\(\\d+/\\d+\\)");
        assertThat(rows).anySatisfy(r -> assertThat(r).matches("=> \\[left 2/2\\] RUN for i in .* \\d+\\.\\ds"));
        assertThat(rows).anySatisfy(r -> assertThat(r).matches("=> \\[right 2/2\\] RUN echo right-line; .* \\d+\\.\\ds"));
        assertThat(rows).contains("=> => # left-line-3", "=> => # left-line-8", "=> => # right-line")
                .doesNotContain("=> => # left-line-2");
        assertThat(rows).allSatisfy(r -> assertThat(r.length()).isLessThan(100));

        release = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        release.createContext("/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        release.start();

        String end = screen(s -> s.contains("EXITED="));
        rows = end.lines().toList();
        assertThat(end).as(end).contains("EXITED=0");
        assertThat(rows).filteredOn(r -> r.startsWith("[+] Building")).singleElement().asString()
                .matches("\\[\\+\\] Building \\d+\\.\\ds \\((\\d+)/\\1\\) FINISHED");
        assertThat(rows).anySatisfy(r -> assertThat(r).matches("=> \\[left 2/2\\] RUN for i in .* \\d+\\.\\ds"))
                .anySatisfy(r -> assertThat(r).matches("=> \\[stage-2 3/3\\] COPY --from=right /right /right +\\d+\\.\\ds"))
                .anySatisfy(r -> assertThat(r).matches("=> exporting to image +\\d+\\.\\ds"))
                .contains("=> => naming to docker.io/library/tty:1 done");
        assertThat(end).as("a finished step's output goes with it").doesNotContain("=> => # left-line");
        int header = rows.indexOf(rows.stream().filter(r -> r.startsWith("[+] Building")).findFirst().orElseThrow());
        assertThat(rows.subList(0, header)).allSatisfy(r -> assertThat(r).startsWith("=> "));
        assertThat(rows.get(header + 1)).as("the summary follows the final frame")
                .matches("built sha256:[0-9a-f]{12} \\(docker.io/library/tty:1\\) .* in \\d+\\.\\ds: 4 steps executed, 0 cached");
        assertThat(rows.subList(header + 1, rows.size())).as("the image ID comes after the final frame")
                .anySatisfy(r -> assertThat(r).matches("sha256:[0-9a-f]{64}"));

        run("tmux", "new-session", "-d", "-s", session + "-again", "-x", "100", "-y", "50", command);
        String again = screen(session + "-again", s -> s.contains("EXITED="));
        assertThat(again).as(again).contains("EXITED=0")
                .containsPattern("(?m)^=> CACHED \\[left 2/2\\] RUN for i in .*$")
                .containsPattern("(?m)^=> CACHED \\[stage-2 3/3\\] COPY --from=right /right /right$")
                .containsPattern("(?m)^\\[\\+\\] Building \\d+\\.\\ds \\((\\d+)/\\1\\) FINISHED$")
                .contains("0 steps executed, 4 cached");
    }
}
