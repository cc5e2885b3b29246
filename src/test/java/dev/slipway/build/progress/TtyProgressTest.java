package dev.slipway.build.progress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.store.TransferProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TtyProgressTest {
    private static final long MS = 1_000_000L;

    private final StringWriter written = new StringWriter();
    private final AtomicLong clock = new AtomicLong(1_000 * MS);
    private Terminal.Size size = new Terminal.Size(80, 40);

    private TtyProgress view(boolean color) {
        return new TtyProgress(new PrintWriter(written), clock::get, () -> size, color);
    }

    private void advance(long millis) {
        clock.addAndGet(millis * MS);
    }

    private String screen() {
        return VirtualScreen.render(written.toString());
    }

    private List<String> rows() {
        return screen().lines().toList();
    }

    @Test
    void finishedStepsCollapseToOneLineWithTheirTimeOrCached() {
        TtyProgress p = view(false);
        int from = p.start("[1/3] FROM docker.io/library/busybox:latest");
        advance(200);
        p.done(from);
        int copy = p.start("[2/3] COPY app /app");
        p.cached(copy);
        int run = p.start("[3/3] RUN make");
        p.output(run, "cc -o app main.c");
        advance(1_250);
        p.output(run, "linking");
        p.done(run);
        p.tick();

        assertThat(rows()).containsExactly(
                "=> [1/3] FROM docker.io/library/busybox:latest" + " ".repeat(79 - 46 - 4) + "0.2s",
                "=> CACHED [2/3] COPY app /app",
                "=> [3/3] RUN make" + " ".repeat(79 - 17 - 4) + "1.3s",
                "[+] Building 1.5s (3/3)");
        assertThat(screen()).as("a finished step's output is not shown").doesNotContain("linking");
    }

    @Test
    void runningStepsOfParallelStagesShowTimersAndTheirLastSixOutputLines() {
        TtyProgress p = view(false);
        int a = p.start("[builder 2/3] RUN go build");
        advance(1_000);
        int b = p.start("[assets 2/2] RUN npm ci");
        for (int i = 1; i <= 10; i++) {
            p.output(a, "go line " + i);
        }
        p.output(b, "npm line 1");
        p.output(b, "\u001b[32mnpm\u001b[0m line 2\r");
        advance(2_200);
        p.tick();

        List<String> rows = rows();
        assertThat(rows.get(0)).isEqualTo("[+] Building 3.2s (0/2)");
        assertThat(rows.get(1)).startsWith("=> [builder 2/3] RUN go build").endsWith(" 3.2s");
        assertThat(rows.subList(2, 8)).containsExactly("=> => # go line 5", "=> => # go line 6", "=> => # go line 7",
                "=> => # go line 8", "=> => # go line 9", "=> => # go line 10");
        assertThat(rows.get(8)).startsWith("=> [assets 2/2] RUN npm ci").endsWith(" 2.2s");
        assertThat(rows.subList(9, rows.size())).containsExactly("=> => # npm line 1", "=> => # npm line 2");
    }

    @Test
    void redrawsInPlaceSoEachFinishedLineIsPrintedOnceAboveTheLiveStatus() {
        TtyProgress p = view(false);
        int a = p.start("[1/2] RUN sleep 1");
        int b = p.start("[2/2] RUN sleep 2");
        for (int t = 0; t < 25; t++) {
            advance(100);
            p.output(b, "tick " + t);
            if (t == 10) {
                p.done(a);
            }
            p.tick();
        }
        List<String> rows = rows();
        assertThat(rows).filteredOn(r -> r.startsWith("[+] Building")).containsExactly("[+] Building 2.5s (1/2)");
        assertThat(rows).filteredOn(r -> r.startsWith("=> [1/2]")).hasSize(1);
        assertThat(rows.get(0)).startsWith("=> [1/2] RUN sleep 1").endsWith("1.1s");
        assertThat(rows.get(1)).isEqualTo("[+] Building 2.5s (1/2)");
        assertThat(rows.get(2)).startsWith("=> [2/2] RUN sleep 2").endsWith("2.5s");
        assertThat(rows.subList(3, rows.size())).containsExactly("=> => # tick 19", "=> => # tick 20",
                "=> => # tick 21", "=> => # tick 22", "=> => # tick 23", "=> => # tick 24");
        int before = written.toString().length();
        p.tick();
        assertThat(written.toString()).as("an unchanged frame is not written again").hasSize(before);
    }

    @Test
    void linesAreCutToTheTerminalWidthKeepingTheTimer() {
        size = new Terminal.Size(40, 24);
        TtyProgress p = view(false);
        int n = p.start("[builder 3/5] RUN apt-get update && apt-get install -y build-essential");
        p.output(n, "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB] and a lot more");
        advance(4_200);
        p.tick();
        List<String> rows = rows();
        assertThat(rows).allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(39));
        assertThat(rows.get(1)).isEqualTo("=> [builder 3/5] RUN apt-get upda… 4.2s").hasSize(39);
        assertThat(rows.get(2)).startsWith("=> => # Get:1 http://").endsWith("…").hasSize(39);
    }

    @Test
    void anErrorIsShownInFullWithTheStepsOutput() {
        size = new Terminal.Size(40, 24);
        TtyProgress p = view(false);
        int n = p.start("[2/2] RUN make");
        p.output(n, "main.c:3: error: expected ';'");
        advance(300);
        String message = "process \"/bin/sh -c make\" did not complete successfully: exit code: 2";
        p.error(n, message);
        p.close();
        List<String> rows = rows();
        assertThat(rows.get(0)).startsWith("=> ERROR [2/2] RUN make").endsWith("0.3s");
        assertThat(rows.get(1)).isEqualTo("=> => # main.c:3: error: expected ';'");
        assertThat(rows.get(2)).isEqualTo("ERROR: " + message).hasSizeGreaterThan(40);
        assertThat(rows.get(3)).isEqualTo("[+] Building 0.3s (1/1) FINISHED");
    }

    @Test
    void aCanceledStepSettlesAsCanceledWithoutAnErrorOfItsOwn() {
        TtyProgress p = view(false);
        int n = p.start("[slow 2/2] RUN sleep 60");
        p.output(n, "zzz");
        advance(500);
        p.canceled(n);
        p.close();
        List<String> rows = rows();
        assertThat(rows.get(0)).startsWith("=> CANCELED [slow 2/2] RUN sleep 60").endsWith("0.5s");
        assertThat(rows).noneMatch(r -> r.startsWith("ERROR"));
    }

    @Test
    void theFinalFrameStaysAndWhatIsPrintedAfterGoesBelowIt() {
        TtyProgress p = view(false);
        int a = p.start("[1/2] FROM busybox");
        p.done(a);
        int b = p.start("[2/2] RUN sleep 9");
        p.output(b, "zzz");
        advance(1_000);
        p.tick();
        p.note("WARNING: something to know");
        p.close();
        p.close();
        p.note("Successfully built 1234");
        assertThat(rows()).containsExactly(
                "=> [1/2] FROM busybox" + " ".repeat(79 - 21 - 4) + "0.0s",
                "WARNING: something to know",
                "=> CANCELED [2/2] RUN sleep 9" + " ".repeat(79 - 29 - 4) + "1.0s",
                "[+] Building 1.0s (1/2) FINISHED",
                "Successfully built 1234");
    }

    @Test
    void detailsStayUnderTheirStep() {
        TtyProgress p = view(false);
        int n = p.start("exporting to image");
        p.detail(n, "writing image sha256:abc done");
        p.tick();
        assertThat(rows()).contains("=> => writing image sha256:abc done");
        p.detail(n, "naming to docker.io/library/app:1 done");
        p.done(n);
        p.close();
        assertThat(rows()).containsSubsequence("=> exporting to image" + " ".repeat(79 - 21 - 4) + "0.0s",
                "=> => writing image sha256:abc done", "=> => naming to docker.io/library/app:1 done",
                "[+] Building 0.0s (1/1) FINISHED");
    }

    @Test
    void theLivePartNeverTakesTheWholeScreen() {
        size = new Terminal.Size(80, 8);
        TtyProgress p = view(false);
        for (int s = 0; s < 3; s++) {
            int n = p.start("[s" + s + " 2/2] RUN work");
            for (int i = 0; i < 6; i++) {
                p.output(n, "s" + s + " out " + i);
            }
        }
        p.tick();
        List<String> rows = rows();
        assertThat(rows).hasSizeLessThanOrEqualTo(7);
        assertThat(rows).filteredOn(r -> r.contains("RUN work")).hasSize(3);
        assertThat(rows).contains("=> => # s0 out 5", "=> => # s2 out 5").doesNotContain("=> => # s0 out 0");

        for (int s = 3; s < 10; s++) {
            p.start("[s" + s + " 2/2] RUN work");
        }
        written.getBuffer().setLength(0);
        p.tick();
        rows = VirtualScreen.render(written.toString().replaceFirst("^\r\u001b\\[\\d+A", "")).lines().toList();
        assertThat(rows).hasSize(7).last().isEqualTo("=> … 5 more steps running");
    }

    @Test
    void outputIsDimmedAndErrorsRedWhenColorsAreOn() {
        TtyProgress p = view(true);
        int n = p.start("[1/1] RUN false");
        p.output(n, "boom");
        p.tick();
        assertThat(written.toString()).contains("\u001b[2m=> => # boom");
        p.error(n, "exit code: 1");
        p.close();
        assertThat(written.toString()).contains("\u001b[31m=> ERROR [1/1] RUN false").contains("\u001b[31mERROR: exit code: 1");
    }

    @Test
    void blobsOnTheMoveShowAsBarsWithBytesAndRateBelowTheStepsThenOneLineEach() {
        TtyProgress p = view(false);
        String layer = "sha256:3f4a1c2b9d0e" + "7".repeat(52);
        String config = "sha256:aaaabbbbcccc" + "0".repeat(52);
        int from = p.start("[1/2] FROM 127.0.0.1:5000/base:1");
        TransferProgress t = p.transfers();
        t.started(layer, "Downloading", 45_600_000);
        t.started(config, "Downloading", 1_500);
        advance(500);
        t.progressed(layer, 11_400_000);
        p.tick();
        List<String> rows = rows();
        assertThat(rows).hasSize(4);
        assertThat(rows.get(1)).startsWith("=> [1/2] FROM 127.0.0.1:5000/base:1");
        assertThat(rows.get(2)).matches("=> => 3f4a1c2b9d0e: Downloading \\[=+> *\\] 11\\.4MB/45\\.6MB 22\\.8MB/s");
        assertThat(rows.get(3)).matches("=> => aaaabbbbcccc: Downloading \\[> *\\] 0B/1\\.5kB 0B/s");
        assertThat(rows).allSatisfy(r -> assertThat(r.length()).isLessThanOrEqualTo(79));

        t.finished(config, "Pull complete (1.5kB)");
        t.finished(layer, "Pull complete (45.6MB)");
        p.done(from);
        p.close();
        assertThat(rows()).containsExactly(
                "=> => aaaabbbbcccc: Pull complete (1.5kB)",
                "=> => 3f4a1c2b9d0e: Pull complete (45.6MB)",
                "=> [1/2] FROM 127.0.0.1:5000/base:1" + " ".repeat(79 - 35 - 4) + "0.5s",
                "[+] Building 0.5s (1/1) FINISHED");
    }

    @Test
    void manyTransfersTakeAtMostHalfTheLivePart() {
        size = new Terminal.Size(80, 9);
        TtyProgress p = view(false);
        p.start("[1/2] FROM 127.0.0.1:5000/base:1");
        TransferProgress t = p.transfers();
        for (int i = 0; i < 10; i++) {
            t.started("sha256:" + Integer.toString(i).repeat(64), "Downloading", 1_000);
        }
        p.tick();
        List<String> rows = rows();
        assertThat(rows).as("8 rows: 7 live, 3 of them for transfers").hasSize(5)
                .contains("=> => … 8 more transfers");
        assertThat(rows).filteredOn(r -> r.contains(": Downloading")).hasSize(2);
        assertThat(rows.get(1)).startsWith("=> [1/2] FROM");
    }

    @Test
    void parallelStagesReportConcurrentlyWhileItRedraws() throws Exception {
        TtyProgress p = view(false);
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int stage = t;
            Thread w = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                for (int i = 0; i < 50; i++) {
                    int n = p.start("[stage" + stage + " " + i + "/50] RUN x");
                    IntStream.range(0, 20).forEach(l -> p.output(n, "line " + l));
                    p.done(n);
                }
            });
            w.start();
            workers.add(w);
        }
        p.start();
        go.countDown();
        for (Thread w : workers) {
            w.join(60_000);
        }
        p.close();
        List<String> rows = rows();
        assertThat(rows).filteredOn(r -> r.startsWith("=> [stage")).hasSize(threads * 50).doesNotHaveDuplicates();
        assertThat(rows.get(rows.size() - 1)).endsWith("(400/400) FINISHED");
        assertThat(rows).filteredOn(r -> r.startsWith("[+]")).hasSize(1);
    }
}
