package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReferencesTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @TempDir
    Path dir;

    private Store store() {
        return new Store(new StoreRoot(dir), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void setGetRemoveWithNormalizedNames() {
        Store s = store();
        Digest manifest = s.content().put("{}".getBytes()).digest();
        s.references().set(ImageReference.parse("busybox"), manifest);
        TagRecord r = s.references().get(ImageReference.parse("docker.io/library/busybox:latest")).orElseThrow();
        assertThat(r.target()).isEqualTo(manifest);
        assertThat(r.tagged()).isEqualTo(NOW);
        assertThat(store().references().list()).containsOnlyKeys(ImageReference.parse("busybox:latest"));
        assertThat(s.references().remove(ImageReference.parse("busybox")).map(TagRecord::target)).contains(manifest);
        assertThat(s.references().list()).isEmpty();
        assertThat(s.references().remove(ImageReference.parse("busybox"))).isEmpty();
    }

    @Test
    void fileIsReadableJsonNamingTheFullReference() throws Exception {
        Store s = store();
        Digest manifest = s.content().put("{}".getBytes()).digest();
        s.references().set(ImageReference.parse("user/app:1"), manifest);
        assertThat(Files.readString(dir.resolve("refs.json")))
                .contains("\"docker.io/user/app:1\"", manifest.toString(), "2026-01-02T03:04:05Z");
    }

    @Test
    void tagNeverPointsToAMissingBlob() {
        Digest absent = Digest.sha256("absent".getBytes());
        assertThatThrownBy(() -> store().references().set(ImageReference.parse("x"), absent))
                .isInstanceOf(SlipwayException.class).hasMessageContaining(absent.toString());
        assertThat(store().references().list()).isEmpty();
    }

    @Test
    void referenceNeedsATagOrDigest() {
        Digest manifest = store().content().put("{}".getBytes()).digest();
        assertThatThrownBy(() -> store().references().set(ImageReference.parseWithoutDefaultTag("x"), manifest))
                .isInstanceOf(SlipwayException.class);
    }

    @Test
    void concurrentWritersLoseNoTag() throws Exception {
        Store s = store();
        Digest manifest = s.content().put("{}".getBytes()).digest();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                Store own = store();
                for (int i = 0; i < 25; i++) {
                    own.references().set(ImageReference.parse("app" + thread + ":" + i), manifest);
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(store().references().list()).hasSize(150);
    }

    @Test
    void malformedFileIsAClearError() throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("refs.json"), "{\"references\": [");
        assertThatThrownBy(() -> store().references().list())
                .isInstanceOf(SlipwayException.class).hasMessageContaining("refs.json");
    }
}
