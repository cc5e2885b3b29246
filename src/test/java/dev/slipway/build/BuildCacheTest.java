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
