package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreRecoverTest {
    @TempDir
    Path dir;

    private final AtomicInteger cleaned = new AtomicInteger();

    private RuntimeLeftovers runtime(boolean present) {
        return new RuntimeLeftovers() {
            @Override
            public boolean present() {
                return present;
            }

            @Override
            public void clean() {
                cleaned.incrementAndGet();
            }
        };
    }

    private Store store() {
        return new Store(new StoreRoot(dir), Clock.systemUTC());
    }

    @Test
    void leftoversOfDeadWritersGoWhenNoSessionIsLive() throws Exception {
        Path area = Files.createDirectories(dir.resolve("tmp/build-run-x/upper/etc"));
        Files.writeString(area.resolve("half"), "half-written");
        Files.writeString(dir.resolve("tmp/blob-1-x"), "partial");
        Store s = store();
        assertThat(s.recover(runtime(true))).isTrue();
        assertThat(cleaned).hasValue(1);
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertThat(left).isEmpty();
        }
        assertThat(s.recover(runtime(false))).as("nothing left to clean").isFalse();
        assertThat(cleaned).hasValue(1);
    }

    @Test
    void aLiveSessionInAnotherThreadKeepsItsTempFilesAndIsNeverWaitedFor() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("tmp/blob-1-live"), "being written");
        Store s = store();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try (Store.Session session = s.session()) {
                held.countDown();
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
        try {
            assertThat(s.recover(runtime(true))).isFalse();
            assertThat(cleaned).hasValue(0);
            assertThat(dir.resolve("tmp/blob-1-live")).exists();
        } finally {
            release.countDown();
        }
        writer.get(60, TimeUnit.SECONDS);
        assertThat(s.recover(runtime(false))).isTrue();
        assertThat(dir.resolve("tmp/blob-1-live")).doesNotExist();
    }

    @Test
    void aSessionInAnotherProcessBlocksRecovery() throws Exception {
        Files.createDirectories(dir.resolve("tmp"));
        Files.writeString(dir.resolve("tmp/blob-2-other"), "being written");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                CrashChild.class.getName(), dir.toString(), "session")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("ready");
            assertThat(store().recover(runtime(true))).isFalse();
            assertThat(dir.resolve("tmp/blob-2-other")).exists();
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        // The kernel dropped the dead child's lock: its leftovers are now garbage.
        assertThat(store().recover(runtime(false))).isTrue();
        assertThat(dir.resolve("tmp/blob-2-other")).doesNotExist();
    }
}
