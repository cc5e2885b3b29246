package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Digest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kills a child JVM with SIGKILL in the middle of a write and checks the store it leaves. */
class CrashSafetyTest {
    @TempDir
    Path dir;

    private void runAndKill(String mode) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("ready");
            Thread.sleep(50);
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void concurrentProcessesLoseNoTag() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process[] children = new Process[3];
        for (int i = 0; i < children.length; i++) {
            children[i] = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), dir.toString(), "tag-many", "proc" + i, "40")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        }
        for (Process p : children) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        }
        assertThat(store().references().list()).hasSize(120);
    }

    private Store store() {
        return new Store(new StoreRoot(dir), Clock.systemUTC());
    }

    private static long count(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void killedBlobWriteLeavesOnlyATempFile() throws Exception {
        runAndKill("blob");
        assertThat(store().content().list()).isEmpty();
        assertThat(count(dir.resolve("tmp"))).isEqualTo(1);
        PruneReport report = store().prune();
        assertThat(report.tempEntries()).isEqualTo(1);
        assertThat(report.tempBytes()).isGreaterThanOrEqualTo(1 << 20);
        assertThat(count(dir.resolve("tmp"))).isZero();
    }

    @Test
    void killedTaggingLeavesEveryTagOnAWholeManifest() throws Exception {
        runAndKill("tags");
        Store s = store();
        assertThat(s.references().list()).isNotEmpty();
        for (TagRecord r : s.references().list().values()) {
            assertThat(Digest.sha256(s.content().read(r.target()))).isEqualTo(r.target());
        }
        s.prune();
        for (TagRecord r : s.references().list().values()) {
            TestImagesCheck.assertWhole(s, r.target());
        }
        for (var blob : s.content().list()) {
            assertThat(Digest.sha256(s.content().read(blob.digest()))).isEqualTo(blob.digest());
        }
        assertThat(count(dir.resolve("tmp"))).isZero();
    }

    @Test
    void killedUnpackIsNeverTakenForALayer() throws Exception {
        runAndKill("unpack");
        Store s = store();
        assertThat(s.layers().list()).isEmpty();
        assertThat(s.layers().has(Digest.sha256("l".getBytes()))).isFalse();
        assertThat(count(dir.resolve("tmp"))).isEqualTo(1);
        assertThat(s.prune().tempEntries()).isEqualTo(1);
        assertThat(count(dir.resolve("tmp"))).isZero();
    }
}
