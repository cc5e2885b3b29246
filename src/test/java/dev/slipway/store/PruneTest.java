package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PruneTest {
    @TempDir
    Path dir;

    private Store store() {
        return new Store(new StoreRoot(dir), Clock.systemUTC());
    }

    private void unpack(Store s, Digest diffId) {
        s.layers().unpack(diffId, d -> Files.writeString(d.resolve("f"), diffId.hex()));
    }

    @Test
    void keepsWhatTagsReachAndRemovesTheRest() {
        Store s = store();
        TestImages.Written kept = TestImages.image(s, "base", "shared");
        TestImages.Written dropped = TestImages.image(s, "other", "shared");
        s.references().set(ImageReference.parse("kept:1"), kept.manifest());
        kept.diffIds().forEach(d -> unpack(s, d));
        dropped.diffIds().forEach(d -> unpack(s, d));

        PruneReport report = s.prune();

        Digest other = dropped.layers().get(0);
        assertThat(report.blobs()).extracting(Blob::digest)
                .containsExactlyInAnyOrder(dropped.manifest(), dropped.config(), other);
        assertThat(report.layers()).isEqualTo(1);
        assertThat(s.content().has(kept.manifest())).isTrue();
        assertThat(s.content().has(kept.config())).isTrue();
        kept.layers().forEach(l -> assertThat(s.content().has(l)).isTrue());
        assertThat(s.layers().list()).containsExactlyInAnyOrderElementsOf(kept.diffIds());
        assertThat(s.content().has(other)).isFalse();
        assertThat(report.reclaimedBytes()).isEqualTo(
                report.blobs().stream().mapToLong(Blob::size).sum() + other.hex().length());
    }

    @Test
    void indexKeepsItsChildManifests() {
        Store s = store();
        TestImages.Written amd64 = TestImages.image(s, "a");
        TestImages.Written arm64 = TestImages.image(s, "b");
        Digest index = TestImages.index(s, amd64.manifest(), arm64.manifest());
        s.references().set(ImageReference.parse("multi"), index);
        assertThat(s.prune().blobs()).isEmpty();
        assertThat(s.content().list()).hasSize(7);
    }

    @Test
    void cacheRecordKeepsItsBlobsAndLayers() {
        Store s = store();
        TestImages.Written image = TestImages.image(s, "cached");
        Blob loose = s.content().put("loose layer".getBytes());
        Digest looseDiff = Digest.sha256("unpacked only".getBytes());
        unpack(s, looseDiff);
        unpack(s, image.diffIds().get(0));
        Digest key = Digest.sha256("key".getBytes());
        s.cache().put(new CacheRecord(key, List.of(image.manifest(), loose.digest()), List.of(looseDiff),
                JsonNodeFactory.instance.objectNode().put("step", "RUN x")));

        assertThat(s.prune().blobs()).isEmpty();
        assertThat(s.layers().list()).containsExactlyInAnyOrder(looseDiff, image.diffIds().get(0));
        assertThat(s.cache().get(key).orElseThrow().data().get("step").asText()).isEqualTo("RUN x");

        s.cache().remove(key);
        PruneReport report = s.prune();
        assertThat(report.blobs()).hasSize(4);
        assertThat(report.layers()).isEqualTo(2);
        assertThat(s.content().list()).isEmpty();
    }

    @Test
    void removesTempLeftoversAndStrayLayerEntries() throws IOException {
        Store s = store();
        Files.createDirectories(dir.resolve("tmp/layer-9-x/sub"));
        Files.writeString(dir.resolve("tmp/layer-9-x/sub/file"), "12345");
        Files.writeString(dir.resolve("tmp/blob-9-y"), "123");
        Files.createDirectories(dir.resolve("layers/not-a-digest"));
        Path readOnly = dir.resolve("tmp/layer-9-x/sub");
        readOnly.toFile().setWritable(false);

        PruneReport report = s.prune();

        assertThat(report.tempEntries()).isEqualTo(2);
        assertThat(report.tempBytes()).isEqualTo(8);
        try (Stream<Path> tmp = Files.list(dir.resolve("tmp")); Stream<Path> layers = Files.list(dir.resolve("layers"))) {
            assertThat(tmp).isEmpty();
            assertThat(layers).isEmpty();
        }
    }

    @Test
    void collectRemovesOnlyUnreachableCandidates() {
        Store s = store();
        TestImages.Written a = TestImages.image(s, "a", "common");
        TestImages.Written b = TestImages.image(s, "b", "common");
        s.references().set(ImageReference.parse("b"), b.manifest());
        PruneReport report = s.collect(d -> d.equals(a.manifest()) || d.equals(a.layers().get(1)), d -> true);
        assertThat(report.blobs()).extracting(Blob::digest).containsExactly(a.manifest());
        assertThat(s.content().has(a.config())).isTrue();
    }

    @Test
    void pruneWaitsForOpenSessions() throws Exception {
        Store s = store();
        java.util.concurrent.CompletableFuture<PruneReport> prune;
        TestImages.Written image;
        try (Store.Session session = s.session()) {
            image = TestImages.image(s, "in flight");
            prune = java.util.concurrent.CompletableFuture.supplyAsync(() -> store().prune());
            Thread.sleep(300);
            assertThat(prune).isNotDone();
            s.references().set(ImageReference.parse("fresh"), image.manifest());
        }
        assertThat(prune.get().blobs()).isEmpty();
        assertThat(s.content().has(image.layers().get(0))).isTrue();
    }

    @Test
    void emptyStorePrunesNothing() {
        PruneReport report = store().prune();
        assertThat(report.reclaimedBytes()).isZero();
        assertThat(report.blobs()).isEmpty();
    }

    @Test
    void pruneKeepsCacheRecordsAndWhatTheyNameUntilAskedToDropTheCache() throws IOException {
        Store s = store();
        TestImages.Written cached = TestImages.image(s, "cached-layer");
        Digest diffId = cached.diffIds().get(0);
        unpack(s, diffId);
        Digest key = Digest.sha256("a step".getBytes());
        s.cache().put(new CacheRecord(key, List.of(cached.layers().get(0)), List.of(diffId),
                JsonNodeFactory.instance.objectNode().put("type", "layer")));
        Files.writeString(s.root().cache().resolve("garbage.json"), "not json");

        PruneReport kept = s.prune();
        assertThat(kept.cacheRecords()).isZero();
        assertThat(s.content().has(cached.layers().get(0))).isTrue();
        assertThat(s.layers().has(diffId)).isTrue();
        assertThat(s.content().has(cached.manifest())).isFalse();

        PruneReport dropped = s.pruneWithCache();
        assertThat(dropped.cacheRecords()).isEqualTo(2);
        assertThat(s.cache().list()).isEmpty();
        assertThat(s.content().has(cached.layers().get(0))).isFalse();
        assertThat(s.layers().has(diffId)).isFalse();
        assertThat(dropped.layers()).isEqualTo(1);
        assertThat(dropped.reclaimedBytes()).isPositive();
    }

    @Test
    void onlyDroppingTheCacheRemovesTheStatMemosAndCountsTheirBytes() throws IOException {
        Store s = store();
        StatMemo memo = StatMemo.load(s.root(), Path.of("/some/context"));
        memo.put(Path.of("/some/context/a.txt"), new StatMemo.Stat(5, 1, 2, 3, 4, 0100644, 0, 0),
                Digest.sha256("hello".getBytes()));
        memo.save();
        long memoSize = Files.size(memo.file());

        s.prune();
        assertThat(memo.file()).exists();
        assertThat(StatMemo.load(s.root(), Path.of("/some/context")).get(Path.of("/some/context/a.txt"),
                new StatMemo.Stat(5, 1, 2, 3, 4, 0100644, 0, 0))).isPresent();

        PruneReport dropped = s.pruneWithCache();
        assertThat(memo.file()).doesNotExist();
        assertThat(dropped.cacheBytes()).isEqualTo(memoSize);
        assertThat(dropped.reclaimedBytes()).isGreaterThanOrEqualTo(memoSize);
    }
}
