package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.MediaTypes;
import dev.slipway.layer.LayerWriter;
import dev.slipway.layer.TreeScanner;
import dev.slipway.store.Blob;
import dev.slipway.store.CacheRecord;
import dev.slipway.store.Store;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildCacheTest {
    @TempDir
    Path tmp;

    private LayerDir layer(Store store, String content) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src-" + content));
        Files.writeString(dir.resolve("file.txt"), content);
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new LayerWriter().write(TreeScanner.scanDirectory(dir), tar);
        Blob blob = store.content().put(new ByteArrayInputStream(tar.toByteArray()), null);
        return new LayerDir(blob.digest(), store.layers().adopt(blob.digest(), dir),
                new Descriptor(MediaTypes.OCI_LAYER, blob.digest(), blob.size()));
    }

    @Test
    void aRecordedLayerIsFoundByItsKeyWithItsTime() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        BuildCache cache = new BuildCache(store);
        Digest key = CacheKey.of("run").add("n", 1).digest();
        LayerDir l = layer(store, "one");
        assertThat(cache.lookup(key)).isEmpty();

        store.cache().put(BuildCache.layerRecord(key, l, "2025-01-02T03:04:05Z"));

        BuildCache.Entry e = cache.lookup(key).orElseThrow();
        assertThat(e.layer()).isEqualTo(l);
        assertThat(e.created()).isEqualTo("2025-01-02T03:04:05Z");
        assertThat(cache.lookup(CacheKey.of("run").add("n", 2).digest())).isEmpty();
        assertThat(cache.record(key).orElseThrow().layers()).containsExactly(l.diffId());
    }

    @Test
    void aLayerWhoseDirectoryIsGoneIsUnpackedFromItsBlob() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        BuildCache cache = new BuildCache(store);
        Digest key = CacheKey.of("copy").digest();
        LayerDir l = layer(store, "two");
        store.cache().put(BuildCache.layerRecord(key, l, null));
        dev.slipway.build.snapshot.HostCommand.deleteTree(l.dir());
        assertThat(store.layers().has(l.diffId())).isFalse();

        BuildCache.Entry e = cache.lookup(key).orElseThrow();

        assertThat(Files.readString(e.layer().dir().resolve("file.txt"))).isEqualTo("two");
        assertThat(e.created()).isNull();
    }

    @Test
    void aRecordWhoseBlobIsNotItsDiffIdIsAMiss() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        BuildCache cache = new BuildCache(store);
        LayerDir real = layer(store, "real");
        LayerDir other = layer(store, "other");
        Digest key = CacheKey.of("run").digest();
        store.cache().put(BuildCache.layerRecord(key, new LayerDir(other.diffId(), other.dir(), real.blob()), null));
        dev.slipway.build.snapshot.HostCommand.deleteTree(other.dir());

        assertThat(cache.lookup(key)).isEmpty();
        assertThat(store.layers().has(other.diffId())).isFalse();
    }

    @Test
    void importTakesOnlyLayerRecordsWhoseBlobIsPresent() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        BuildCache cache = new BuildCache(store);
        LayerDir l = layer(store, "exported");
        Digest key = CacheKey.of("run").add("x", "y").digest();
        store.cache().put(BuildCache.layerRecord(key, l, "2025-01-01T00:00:00Z"));
        CacheRecord exported = cache.record(key).orElseThrow();

        Store other = Store.open(tmp.resolve("other"));
        BuildCache imported = new BuildCache(other);
        assertThatThrownBy(() -> imported.importRecord(exported)).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("is not in the store");
        other.content().put(store.content().read(l.blob().digest()));
        imported.importRecord(exported);
        assertThat(Files.readString(imported.lookup(key).orElseThrow().layer().dir().resolve("file.txt")))
                .isEqualTo("exported");

        ObjectNode data = exported.data().deepCopy();
        data.put("diffID", CacheKey.of("other").digest().toString());
        assertThatThrownBy(() -> imported.importRecord(new CacheRecord(key, exported.blobs(), exported.layers(), data)))
                .hasMessageContaining("does not name its own layer");
    }

    @Test
    void aMissIsAskedOfTheRemoteWhichMayBringTheRecord() throws Exception {
        Store exporter = Store.open(tmp.resolve("exporter"));
        LayerDir l = layer(exporter, "remote");
        Digest known = CacheKey.of("run").add("k", 1).digest();
        exporter.cache().put(BuildCache.layerRecord(known, l, "2025-03-03T00:00:00Z"));
        Store store = Store.open(tmp.resolve("root"));
        List<Digest> asked = new java.util.ArrayList<>();
        BuildCache cache = new BuildCache(store, key -> {
            asked.add(key);
            var record = exporter.cache().get(key);
            record.ifPresent(r -> {
                store.content().put(exporter.content().read(l.blob().digest()));
                store.cache().put(r);
            });
            return record.isPresent();
        });
        Digest unknown = CacheKey.of("run").add("k", 2).digest();

        assertThat(cache.lookup(unknown)).isEmpty();
        BuildCache.Entry e = cache.lookup(known).orElseThrow();
        assertThat(cache.lookup(known)).isPresent();

        assertThat(asked).containsExactly(unknown, known);
        assertThat(e.created()).isEqualTo("2025-03-03T00:00:00Z");
        assertThat(Files.readString(e.layer().dir().resolve("file.txt"))).isEqualTo("remote");
    }

    /**
     * A lazy layer as a step of a stage only copied from leaves it: {@code content} in file.txt, its
     * directory under a random id in the store, its record naming that directory and no blob.
     */
    private LayerDir lazyLayer(Store store, Digest key, String content) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("lazy-" + content));
        Files.writeString(dir.resolve("file.txt"), content);
        Files.setLastModifiedTime(dir.resolve("file.txt"), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        Digest id = Digest.sha256(("dir of " + content).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        LayerDir layer = new LayerDir(id, store.layers().adopt(id, dir), null,
                new LayerDir.Pending(key, 1_700_000_000L, "2024-02-02T00:00:00Z"));
        store.cache().put(BuildCache.lazyRecord(layer));
        return layer;
    }

    /** The tar a step making the layer at once would store: the same tree and epoch. */
    private static Digest eagerDiffId(Path dir) throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new LayerWriter(java.util.OptionalLong.of(1_700_000_000L)).write(TreeScanner.scanDirectory(dir), tar);
        return Digest.sha256(tar.toByteArray());
    }

    private static StageState stateOf(LayerDir... layers) {
        ImageConfig config = ImageConfig.empty(dev.slipway.image.Platform.host());
        StageState state = new StageState(config, List.of(), dev.slipway.plan.StageScope.onImage(null, null),
                false);
        for (LayerDir l : layers) {
            state = state.withLayer(l, new ImageConfig.History(null, "RUN x", null));
        }
        return state;
    }

    @Test
    void aLazyLayerIsFoundWithoutATarAndMadeOnDemandAsAnEagerStepWouldHaveMadeIt() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        BuildCache cache = new BuildCache(store);
        Digest key = CacheKey.of("run").add("lazy", 1).digest();
        LayerDir lazy = lazyLayer(store, key, "lazy");
        CacheRecord record = store.cache().get(key).orElseThrow();
        assertThat(record.blobs()).isEmpty();
        assertThat(record.layers()).containsExactly(lazy.id());

        BuildCache.Entry hit = cache.lookup(key).orElseThrow();
        assertThat(hit.layer()).isEqualTo(lazy);
        assertThat(hit.created()).isEqualTo("2024-02-02T00:00:00Z");
        assertThatThrownBy(() -> hit.layer().diffId()).isInstanceOf(IllegalStateException.class);
        Digest expected = eagerDiffId(lazy.dir());

        StageState made = cache.made(stateOf(hit.layer()));

        LayerDir layer = made.layers().get(0);
        assertThat(layer.lazy()).isFalse();
        assertThat(layer.diffId()).isEqualTo(expected);
        assertThat(made.diffIds()).containsExactly(expected);
        assertThat(layer.dir()).isEqualTo(lazy.dir());
        assertThat(store.content().has(expected)).isTrue();
        CacheRecord after = store.cache().get(key).orElseThrow();
        assertThat(after.blobs()).containsExactly(expected);
        assertThat(after.layers()).as("the directory stays what the record keeps").containsExactly(lazy.id());
        assertThat(new BuildCache(store).lookup(key).orElseThrow().layer()).isEqualTo(layer);
        assertThat(cache.made(stateOf(hit.layer())).layers().get(0)).as("made once").isSameAs(layer);
    }

    @Test
    void aLayerMadeWhileItsLazyRecordIsStillQueuedGetsItsRecordAfterIt() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        Digest key = CacheKey.of("run").add("queued", 1).digest();
        Path dir = Files.createDirectories(tmp.resolve("queued"));
        Files.writeString(dir.resolve("file.txt"), "queued");
        Files.setLastModifiedTime(dir.resolve("file.txt"), java.nio.file.attribute.FileTime.fromMillis(1_600_000_000_000L));
        Digest id = Digest.sha256("dir of queued".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        BuildCache cache = new BuildCache(store);
        try (dev.slipway.store.WriteBehind writes = store.writeBehind()) {
            Path adopted = writes.adopt(id, dir, layer -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return false;
            });
            LayerDir lazy = new LayerDir(id, adopted, null,
                    new LayerDir.Pending(key, 1_700_000_000L, "2024-02-02T00:00:00Z"));
            writes.record(BuildCache.lazyRecord(lazy));
            assertThat(store.cache().get(key)).as("the lazy record waits behind the sync").isEmpty();

            LayerDir made = cache.made(stateOf(lazy), writes).layers().get(0);
            release.countDown();
            writes.drain();

            Digest expected = eagerDiffId(adopted);
            assertThat(made.diffId()).isEqualTo(expected);
            CacheRecord record = store.cache().get(key).orElseThrow();
            assertThat(record.data().path("diffID").asText()).isEqualTo(expected.toString());
            assertThat(record.blobs()).containsExactly(expected);
            assertThat(record.layers()).containsExactly(id);
            assertThat(store.content().has(expected)).isTrue();
            List<Blob> blobs = store.content().list();

            assertThat(cache.made(stateOf(lazy), writes).layers().get(0)).isSameAs(made);
            writes.drain();
            assertThat(store.content().list()).isEqualTo(blobs);
            assertThat(new BuildCache(store).lookup(key).orElseThrow().layer()).isEqualTo(made);
        }
    }

    @Test
    void layersOfOneStateAreMadeOnceEvenWhenAskedAtOnce() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        LayerDir lazy = lazyLayer(store, CacheKey.of("run").add("twice", 1).digest(), "twice");
        BuildCache cache = new BuildCache(store);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<LayerDir>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(pool.submit(() -> cache.made(stateOf(lazy)).layers().get(0)));
            }
            LayerDir first = all.get(0).get();
            for (java.util.concurrent.Future<LayerDir> f : all) {
                assertThat(f.get()).isSameAs(first);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aLazyRecordWhoseDirectoryIsGoneIsAMiss() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        Digest key = CacheKey.of("run").add("gone", 1).digest();
        LayerDir lazy = lazyLayer(store, key, "gone");
        dev.slipway.build.snapshot.HostCommand.deleteTree(lazy.dir());

        assertThat(new BuildCache(store).lookup(key)).isEmpty();
    }

    @Test
    void makingALayerLeavesARecordThatNamesAnotherDirectoryAlone() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        Digest key = CacheKey.of("run").add("raced", 1).digest();
        LayerDir first = lazyLayer(store, key, "first");
        LayerDir second = lazyLayer(store, key, "second"); // the key run again elsewhere, --no-cache
        CacheRecord before = store.cache().get(key).orElseThrow();

        LayerDir made = new BuildCache(store).made(stateOf(first)).layers().get(0);

        assertThat(made.diffId()).isEqualTo(eagerDiffId(first.dir()));
        assertThat(store.cache().get(key).orElseThrow()).isEqualTo(before);
        assertThat(new BuildCache(store).lookup(key).orElseThrow().layer()).isEqualTo(second);
    }

    @Test
    void aLayerThatCannotBeMadeLeavesItsRecordLazyAndNoBlob() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        Digest key = CacheKey.of("run").add("broken", 1).digest();
        LayerDir lazy = lazyLayer(store, key, "broken");
        CacheRecord before = store.cache().get(key).orElseThrow();
        int blobs = store.content().list().size();
        LayerDir unreadable = new LayerDir(lazy.id(), lazy.dir().resolve("file.txt"), null, lazy.pending());

        assertThatThrownBy(() -> new BuildCache(store).made(stateOf(unreadable))).isInstanceOf(SlipwayException.class);

        assertThat(store.cache().get(key).orElseThrow()).isEqualTo(before);
        assertThat(store.content().list()).hasSize(blobs);
        assertThat(new BuildCache(store).lookup(key).orElseThrow().layer()).isEqualTo(lazy);
    }

    @Test
    void pruneKeepsALazyLayerWhileItsRecordLivesMadeOrNot() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        Digest lazyKey = CacheKey.of("run").add("kept", 1).digest();
        Digest madeKey = CacheKey.of("run").add("kept", 2).digest();
        LayerDir lazy = lazyLayer(store, lazyKey, "kept");
        LayerDir toMake = lazyLayer(store, madeKey, "made");
        LayerDir made = new BuildCache(store).made(stateOf(toMake)).layers().get(0);

        store.prune();

        assertThat(Files.readString(lazy.dir().resolve("file.txt"))).isEqualTo("kept");
        assertThat(Files.readString(made.dir().resolve("file.txt"))).isEqualTo("made");
        assertThat(store.content().has(made.diffId())).isTrue();
        assertThat(new BuildCache(store).lookup(lazyKey)).isPresent();
        assertThat(new BuildCache(store).lookup(madeKey).orElseThrow().layer()).isEqualTo(made);

        assertThat(store.pruneWithCache().layers()).isEqualTo(2);
        assertThat(Files.exists(lazy.dir())).isFalse();
        assertThat(Files.exists(made.dir())).isFalse();
        assertThat(store.content().has(made.diffId())).isFalse();
    }

    @Test
    void exportMakesLazyLayersAndGivesRecordsAnotherStoreImports() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        Digest lazyKey = CacheKey.of("run").add("export", 1).digest();
        Digest eagerKey = CacheKey.of("run").add("export", 2).digest();
        LayerDir lazy = lazyLayer(store, lazyKey, "shipped");
        LayerDir eager = layer(store, "eager");
        store.cache().put(BuildCache.layerRecord(eagerKey, eager, null));
        Digest absent = CacheKey.of("run").add("export", 3).digest();

        List<CacheRecord> exported = new BuildCache(store).forExport(List.of(lazyKey, absent, eagerKey));

        assertThat(exported).extracting(CacheRecord::key).containsExactly(lazyKey, eagerKey);
        Digest diffId = eagerDiffId(lazy.dir());
        assertThat(exported.get(0).layers()).containsExactly(diffId);
        assertThat(exported.get(0).blobs()).containsExactly(diffId);
        assertThat(exported.get(0).data().has("dir")).isFalse();
        assertThat(exported.get(0).data().path("created").asText()).isEqualTo("2024-02-02T00:00:00Z");
        assertThat(exported.get(1).toString()).as("a made layer's record goes as it is")
                .isEqualTo(store.cache().get(eagerKey).orElseThrow().toString());
        assertThat(new BuildCache(store).inImage(List.of(lazyKey, eagerKey),
                stateOf(eager).image())).containsExactly(eagerKey);

        Store other = Store.open(tmp.resolve("other"));
        other.content().put(store.content().read(diffId));
        BuildCache imported = new BuildCache(other);
        imported.importRecord(exported.get(0));
        BuildCache.Entry e = imported.lookup(lazyKey).orElseThrow();
        assertThat(e.layer().diffId()).isEqualTo(diffId);
        assertThat(Files.readString(e.layer().dir().resolve("file.txt"))).isEqualTo("shipped");
    }

    @Test
    void timesLeftOpenTakeThoseOfTheLayerStepsAround() {
        ImageConfig base = ImageConfig.empty(dev.slipway.image.Platform.host())
                .withLayer(Digest.sha256(new byte[] {1}), new ImageConfig.History("2020-01-01T00:00:00Z", "base", null));
        ImageConfig built = base
                .withEmptyLayerHistory(new ImageConfig.History(null, "ENV A=1", null))
                .withLayer(Digest.sha256(new byte[] {2}), new ImageConfig.History("2025-05-05T00:00:00Z", "RUN a", null))
                .withEmptyLayerHistory(new ImageConfig.History(null, "LABEL x=y", null))
                .withLayer(Digest.sha256(new byte[] {3}), new ImageConfig.History("2025-06-06T00:00:00Z", "RUN b", null))
                .withEmptyLayerHistory(new ImageConfig.History(null, "CMD", null));

        ImageConfig filled = ImageBuilder.withCreatedTimes(built);

        assertThat(filled.history()).extracting(ImageConfig.History::created).containsExactly("2020-01-01T00:00:00Z",
                "2025-05-05T00:00:00Z", "2025-05-05T00:00:00Z", "2025-05-05T00:00:00Z", "2025-06-06T00:00:00Z",
                "2025-06-06T00:00:00Z");
        assertThat(filled.created()).isEqualTo("2025-06-06T00:00:00Z");
        assertThat(ImageBuilder.withCreatedTimes(base.withEmptyLayerHistory(
                new ImageConfig.History(null, "ENV A=1", null))).created()).isEqualTo("2020-01-01T00:00:00Z");
    }
}
