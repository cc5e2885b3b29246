package dev.slipway.build.progress;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TransferBarsTest {
    private static final long MS = 1_000_000L;
    private static final String LAYER = "sha256:3f4a1c2b9d0e" + "7".repeat(52);
    private static final String CONFIG = "sha256:aaaabbbbcccc" + "0".repeat(52);

    private final StringWriter written = new StringWriter();
    private final AtomicLong clock = new AtomicLong(5_000 * MS);
    private Terminal.Size size = new Terminal.Size(100, 30);

    private TransferBars bars() {
        return new TransferBars(new PrintWriter(written), clock::get, () -> size, false);
    }

    private List<String> rows() {
        return VirtualScreen.render(written.toString()).lines().toList();
    }

    @Test
    void aBarShowsBytesAndRateAndAFinishedBlobItsStatusLine() {
        TransferBars b = bars();
        b.started(LAYER, "Downloading", 45_600_000);
        b.started(CONFIG, "Downloading", 1_500);
        clock.addAndGet(500 * MS);
        b.progressed(LAYER, 11_400_000);
        b.tick();
        assertThat(rows()).containsExactly(
                "3f4a1c2b9d0e: Downloading [===========>                                   ] 11.4MB/45.6MB 22.8MB/s",
                "aaaabbbbcccc: Downloading [>                                              ] 0B/1.5kB 0B/s");

        b.finished(CONFIG, "Pull complete (1.5kB)");
        clock.addAndGet(1_000 * MS);
        b.progressed(LAYER, 45_600_000);
        b.tick();
        assertThat(rows()).containsExactly(
                "aaaabbbbcccc: Pull complete (1.5kB)",
                "3f4a1c2b9d0e: Downloading [==============================================>] 45.6MB/45.6MB 34.2MB/s");
        b.finished(LAYER, "Pull complete (45.6MB)");
        b.close();
        assertThat(rows()).containsExactly("aaaabbbbcccc: Pull complete (1.5kB)", "3f4a1c2b9d0e: Pull complete (45.6MB)");
    }

    @Test
    void theRateFollowsTheLastTwoSecondsSoAStallShows() {
        TransferBars b = bars();
        b.started(LAYER, "Pushing", 100_000_000);
        for (int i = 1; i <= 10; i++) {
            clock.addAndGet(100 * MS);
            b.progressed(LAYER, i * 5_000_000L);
            b.tick();
        }
        assertThat(rows().get(0)).endsWith(" 50MB/100MB 50MB/s");
        for (int i = 0; i < 30; i++) {
            clock.addAndGet(100 * MS);
            b.tick();
        }
        assertThat(rows().get(0)).endsWith(" 50MB/100MB 0B/s");
    }

    @Test
    void aNarrowTerminalGetsAShorterBarAndNoLineIsWiderThanIt() {
        size = new Terminal.Size(64, 30);
        TransferBars b = bars();
        b.started(LAYER, "Downloading", 2_000_000);
        clock.addAndGet(1_000 * MS);
        b.progressed(LAYER, 1_000_000);
        b.tick();
        String row = rows().get(0);
        assertThat(row).hasSizeLessThanOrEqualTo(63).startsWith("3f4a1c2b9d0e: Downloading [").endsWith("] 1MB/2MB 1MB/s");
        assertThat(row.substring(row.indexOf('[') + 1, row.indexOf(']'))).isEqualTo("=====>     ");
    }

    @Test
    void transfersOfUnknownSizeShowBytesWithoutABar() {
        TransferBars b = bars();
        b.started("layer.tar", "Loading", -1);
        clock.addAndGet(1_000 * MS);
        b.progressed("layer.tar", 3_000_000);
        b.tick();
        assertThat(rows()).containsExactly("layer.tar: Loading 3MB 3MB/s");
    }

    @Test
    void offATerminalOnlyFinishedTransfersPrintAndNoEscapes() {
        StringWriter out = new StringWriter();
        TransferView lines = TransferView.lines(new PrintWriter(out));
        lines.started(LAYER, "Downloading", 10);
        lines.progressed(LAYER, 5);
        lines.finished("blobs/sha256/" + CONFIG.substring(7), null);
        lines.finished(LAYER, "Already exists");
        lines.close();
        assertThat(out.toString()).isEqualTo("3f4a1c2b9d0e: Already exists" + System.lineSeparator());
    }

    @Test
    void barFillsInProportion() {
        assertThat(TransferBars.bar(0, 100, 10)).isEqualTo("[>         ]");
        assertThat(TransferBars.bar(55, 100, 10)).isEqualTo("[=====>    ]");
        assertThat(TransferBars.bar(100, 100, 10)).isEqualTo("[=========>]");
        assertThat(TransferBars.bar(150, 100, 10)).as("a resent chunk never overfills").isEqualTo("[=========>]");
    }
}
