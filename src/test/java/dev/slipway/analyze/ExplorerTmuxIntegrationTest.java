package dev.slipway.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze --interactive} driven in a real terminal: tmux keys in, screen text out. */
@Tag("integration")
class ExplorerTmuxIntegrationTest {
    @TempDir
    Path tmp;

    private final String session = "slipway-explorer-" + ProcessHandle.current().pid();

    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", cmd), out).isZero();
        return out;
    }

    private void keys(String... keys) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "send-keys", "-t", session));
        cmd.addAll(List.of(keys));
        run(cmd.toArray(String[]::new));
    }

    /**
     * Polls the pane until {@code ready} holds on a whole frame: the status line is drawn last, so
     * a frame without it is still being written.
     */
    private String screen(Predicate<String> ready) throws IOException, InterruptedException {
        String text = "";
        for (int i = 0; i < 150; i++) {
            text = run("tmux", "capture-pane", "-p", "-t", session);
            boolean complete = text.contains("q quit") || text.contains("Filter (regexp") || text.contains("EXITED=");
            if (complete && ready.test(text)) {
                return text;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("screen never became ready:\n" + text);
    }

    /** The tree pane's part of the first line whose tree part has {@code containing} (the pane starts at 2/5). */
    private static String line(String screen, String containing) {
        return screen.lines().skip(2).map(l -> l.length() > 64 ? l.substring(64) : "")
                .filter(l -> l.contains(containing)).findFirst().orElse("");
    }

    /** The tree pane's text. */
    private static String tree(String screen) {
        return String.join("\n", screen.lines().skip(2).map(l -> l.length() > 64 ? l.substring(64) : "").toList());
    }

    @AfterEach
    void kill() throws Exception {
        new ProcessBuilder("tmux", "kill-session", "-t", session).start().waitFor();
    }

    @Test
    void browsesLayersTreeCollapseAndFilter() throws Exception {
        Path archive = AnalyzerTest.fixture().writeDockerArchive(tmp.resolve("fixture.tar"), "fixture:latest");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = String.join(" ", java, "-cp", "'" + System.getProperty("java.class.path") + "'",
                "dev.slipway.cli.Main", "--root", tmp.resolve("root").toString(), "analyze", "--interactive",
                archive.toString()) + "; echo EXITED=$?; sleep 60";
        run("tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "50", command);

        String s = screen(t -> t.contains("Layer 0 contents"));
        assertThat(s).contains("efficiency " + String.format(Locale.ROOT, "%.2f", 100.0 * 15050 / 20950));
        assertThat(line(s, "base.conf")).as(s).contains("+").contains("1kB");

        keys("Down", "Down", "Down");
        s = screen(t -> t.contains("Layer 3 contents"));
        // layer 3: /etc is opaque (base.conf removed, new.conf added), /opt deleted
        assertThat(line(s, "base.conf")).as(s).matches(".*-\\s+1.2kB\\s+base\\.conf.*");
        assertThat(line(s, "new.conf")).as(s).matches(".*\\+\\s+50B\\s+new\\.conf.*");
        assertThat(line(s, "c1")).as(s).matches(".*-\\s+300B\\s+c1.*");
        assertThat(line(s, "libbig.so")).as(s).matches(".*\\s5kB\\s+libbig\\.so.*").doesNotContain("+").doesNotContain("-");
        assertThat(s).contains("+1 ~0 -5"); // etc/base.conf, opt, opt/cache, c1, c2

        keys("Tab");
        screen(t -> t.contains("> Layer 3 contents"));
        keys("Down", "Down", "Down", "Space"); // rows: app/, copy.bin, data.bin, etc/ → collapse etc/
        s = screen(t -> t.contains("▸ etc/"));
        assertThat(tree(s)).doesNotContain("new.conf").contains("libbig.so");

        keys("Space", "/", "c[12]$", "Enter");
        s = screen(t -> t.contains("filter: c[12]$") && !t.contains("Filter (regexp"));
        assertThat(tree(s)).contains("c1").contains("c2").doesNotContain("libbig.so").doesNotContain("new.conf");

        keys("q");
        screen(t -> t.contains("EXITED=0"));
    }
}
