package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.store.CacheRecord;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry build cache: records written to a store, exported to a real registry, imported into another store. */
@Tag("integration")
class RegistryCacheTest {
    @TempDir
    static Path registryDir;
    static TestRegistry registry;

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestRegistry.start(registryDir, TestRegistry.Options.plain());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private Store store(String name) {
        return new Store(new StoreRoot(work.resolve(name)), Clock.systemUTC());
    }

    private static RegistryClient client(TransferListener listener) {
        return new RegistryClient(RegistryConfig.defaults().withRetries(3, Duration.ofMillis(50)), r -> Optional.empty(),
                listener);
    }

    /** An uncompressed layer tar of one file: compressible text when {@code text}, else random bytes. */
    private static byte[] tar(String name, int size, long seed, boolean text) throws IOException {
        byte[] data = new byte[size];
        Random random = new Random(seed);
        if (text) {
            for (int i = 0; i < size; i++) {
                data[i] = (byte) ('a' + random.nextInt(4));
            }
        } else {
            random.nextBytes(data);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(out)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(size);
            e.setModTime(0);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static ObjectNode data(String command) {
        ObjectNode node = ImageJson.emptyObject();
        node.put("command", command);
        node.putArray("history").add("RUN " + command);
        return node;
    }

    /** Three records in store A: two to export (one with two blobs), one left out. */
    private record Fixture(CacheRecord first, CacheRecord second, CacheRecord unexported, byte[] tar1, byte[] tar2,
            byte[] json) {
    }

    private Fixture fixture(Store a) throws IOException {
        byte[] tar1 = tar("a.txt", 400_000, 1, true);
        byte[] tar2 = tar("b.bin", 300_000, 2, false);
        byte[] json = "{\"note\":\"a config-like blob\"}".getBytes(StandardCharsets.UTF_8);
        byte[] other = tar("c.txt", 1000, 3, true);
        Digest d1 = a.content().put(tar1).digest();
        Digest d2 = a.content().put(tar2).digest();
        Digest dj = a.content().put(json).digest();
        Digest d3 = a.content().put(other).digest();
        CacheRecord first = new CacheRecord(Digest.sha256("key one".getBytes(StandardCharsets.UTF_8)),
                List.of(d1, dj), List.of(d1), data("echo one"));
        CacheRecord second = new CacheRecord(Digest.sha256("key two".getBytes(StandardCharsets.UTF_8)),
                List.of(d2), List.of(d2), data("echo two"));
        CacheRecord unexported = new CacheRecord(Digest.sha256("key three".getBytes(StandardCharsets.UTF_8)),
                List.of(d3), List.of(d3), data("echo three"));
        a.cache().put(first);
        a.cache().put(second);
        a.cache().put(unexported);
        return new Fixture(first, second, unexported, tar1, tar2, json);
    }

    private Manifest remoteManifest(ImageReference ref) {
        RegistryClient c = client(TransferListener.NONE);
        return (Manifest) c.fetchManifest(c.transport().endpoint(ref.registry()), ref.repository(), ref.tag(), null,
                List.of("repository:" + ref.repository() + ":pull")).document();
    }

    @Test
    void exportThenLazyImportIntoAnEmptyStore() throws IOException {
        Store a = store("a");
        Fixture f = fixture(a);
        ImageReference ref = ImageReference.parse(registry.host() + "/app:cache");

        RegistryCache.ExportResult exported = new RegistryCache(client(TransferListener.NONE))
                .exportRecords(a, List.of(f.second(), f.first()), ref);
        assertThat(exported.records()).isEqualTo(2);
        assertThat(exported.blobs()).isEqualTo(3);

        Manifest manifest = remoteManifest(ref);
        assertThat(manifest.artifactType()).isEqualTo(RegistryCache.CONFIG_MEDIA_TYPE);
        assertThat(manifest.config().mediaType()).isEqualTo(RegistryCache.CONFIG_MEDIA_TYPE);
        Map<String, Descriptor> byStoreDigest = new java.util.HashMap<>();
        manifest.layers().forEach(l -> byStoreDigest.put(l.annotation(RegistryCache.STORE_DIGEST), l));
        assertThat(byStoreDigest).containsOnlyKeys(Digest.sha256(f.tar1()).toString(),
                Digest.sha256(f.tar2()).toString(), Digest.sha256(f.json()).toString());
        Descriptor textLayer = byStoreDigest.get(Digest.sha256(f.tar1()).toString());
        assertThat(textLayer.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        assertThat(textLayer.size()).isLessThan(f.tar1().length / 2);
        Descriptor jsonBlob = byStoreDigest.get(Digest.sha256(f.json()).toString());
        assertThat(jsonBlob.digest()).isEqualTo(Digest.sha256(f.json()));

        Store b = store("b");
        RegistryCache.Imported imported = new RegistryCache(client(TransferListener.NONE)).open(ref);
        assertThat(imported.keys()).containsExactlyInAnyOrder(f.first().key(), f.second().key());
        assertThat(b.content().list()).isEmpty();

        CacheRecord got = imported.fetch(f.first().key(), b).orElseThrow();
        assertThat(got).isEqualTo(f.first());
        assertThat(b.cache().get(f.first().key())).contains(f.first());
        assertThat(b.content().read(Digest.sha256(f.tar1()))).isEqualTo(f.tar1());
        assertThat(b.content().read(Digest.sha256(f.json()))).isEqualTo(f.json());
        assertThat(b.content().has(Digest.sha256(f.tar2()))).as("only the record asked for is fetched").isFalse();
        assertThat(b.cache().get(f.second().key())).isEmpty();
        assertThat(imported.fetch(f.unexported().key(), b)).isEmpty();

        // The records keep their blobs alive in the new store.
        b.prune();
        assertThat(b.content().read(Digest.sha256(f.tar1()))).isEqualTo(f.tar1());
    }

    @Test
    void reExportingTheSameRecordsGivesTheSameManifestAndSendsNothingAgain() throws IOException {
        Store a = store("a");
        Fixture f = fixture(a);
        ImageReference ref = ImageReference.parse(registry.host() + "/again:cache");
        List<CacheRecord> records = List.of(f.first(), f.second());
        RegistryCache.ExportResult once = new RegistryCache(client(TransferListener.NONE)).exportRecords(a, records, ref);

        Store fresh = store("fresh");
        for (CacheRecord r : List.of(f.first(), f.second())) {
            for (Digest blob : r.blobs()) {
                fresh.content().put(a.content().read(blob));
            }
            fresh.cache().put(r);
        }
        RegistryRoundTripTest.Recorder recorder = new RegistryRoundTripTest.Recorder();
        RegistryCache.ExportResult twice = new RegistryCache(client(recorder)).exportRecords(fresh, records, ref);
        assertThat(twice.digest()).isEqualTo(once.digest());
        assertThat(recorder.outcomes).hasSize(4);
        assertThat(recorder.outcomes.values()).containsOnly(TransferListener.Outcome.ALREADY_EXISTS);
    }

    @Test
    void aReferenceWithoutCacheIsAnEmptyCache() {
        RegistryCache.Imported none = new RegistryCache(client(TransferListener.NONE))
                .open(ImageReference.parse(registry.host() + "/nothing-here:cache"));
        assertThat(none.keys()).isEmpty();
    }

    @Test
    void anImageIsNotACache() throws IOException {
        Store a = store("a");
        TestImage.Written image = TestImage.create(a, registry.host() + "/plain-image:1", 1, 1000, 5, false);
        client(TransferListener.NONE).push(a, image.reference(), image.reference());
        assertThatThrownBy(() -> new RegistryCache(client(TransferListener.NONE)).open(image.reference()))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("is not a Slipway build cache");
    }

    @Test
    void aBlobThatIsNotWhatTheCacheSaysIsRefusedAndNothingIsStored() throws IOException {
        Store a = store("a");
        Fixture f = fixture(a);
        ImageReference ref = ImageReference.parse(registry.host() + "/liar:cache");
        new RegistryCache(client(TransferListener.NONE)).exportRecords(a, List.of(f.first(), f.second()), ref);

        // Swap the store digests of the two tar layers: each layer now claims to be the other one.
        Manifest manifest = remoteManifest(ref);
        String d1 = Digest.sha256(f.tar1()).toString();
        String d2 = Digest.sha256(f.tar2()).toString();
        List<Descriptor> swapped = manifest.layers().stream().map(l -> {
            String stored = l.annotation(RegistryCache.STORE_DIGEST);
            if (!stored.equals(d1) && !stored.equals(d2)) {
                return l;
            }
            String other = stored.equals(d1) ? d2 : d1;
            byte[] otherBytes = stored.equals(d1) ? f.tar2() : f.tar1();
            return l.withAnnotations(Map.of(RegistryCache.STORE_DIGEST, other,
                    RegistryCache.STORE_SIZE, Long.toString(otherBytes.length)));
        }).toList();
        byte[] lying = ImageJson.write(new Manifest(2, manifest.mediaType(), manifest.artifactType(),
                manifest.config(), swapped, null, null, Map.of()));
        RegistryClient c = client(TransferListener.NONE);
        c.putManifest(c.transport().endpoint(ref.registry()), ref.repository(), "lying", lying,
                MediaTypes.OCI_MANIFEST, List.of("repository:" + ref.repository() + ":pull,push"));

        Store b = store("b");
        RegistryCache.Imported imported = new RegistryCache(client(TransferListener.NONE))
                .open(ref.withTag("lying"));
        assertThatThrownBy(() -> imported.fetch(f.first().key(), b))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("refused");
        assertThat(b.cache().list()).isEmpty();
        assertThat(b.content().has(Digest.sha256(f.tar1()))).isFalse();
        assertThat(b.content().has(Digest.sha256(f.tar2()))).isFalse();
    }

    @Test
    void pushGzipsUncompressedLayersAndThePulledImageHasTheSameContent() throws IOException {
        Store a = store("a");
        byte[] layer = tar("big.txt", 500_000, 9, true);
        Digest diffId = a.content().put(layer).digest();
        dev.slipway.image.ImageConfig config = dev.slipway.image.ImageConfig.empty(Platform.host())
                .withCreated("2026-01-01T00:00:00Z")
                .withLayer(diffId, new dev.slipway.image.ImageConfig.History("2026-01-01T00:00:00Z", "built", null));
        ImageJson.Encoded<dev.slipway.image.ImageConfig> encodedConfig = ImageJson.encode(config);
        a.content().put(encodedConfig.bytes());
        Manifest built = Manifest.of(encodedConfig.descriptor(MediaTypes.OCI_CONFIG),
                List.of(new Descriptor(MediaTypes.OCI_LAYER, diffId, layer.length)), false);
        Digest builtDigest = a.content().put(ImageJson.write(built)).digest();
        ImageReference ref = ImageReference.parse(registry.host() + "/built:1");
        a.references().set(ref, builtDigest);

        RegistryClient.PushResult pushed = client(TransferListener.NONE).push(a, ref, ref);
        assertThat(pushed.digest()).isNotEqualTo(builtDigest);
        Manifest remote = remoteManifest(ref);
        assertThat(remote.config().digest()).isEqualTo(encodedConfig.digest());
        assertThat(remote.layers()).singleElement().satisfies(l -> {
            assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
            assertThat(l.size()).isLessThan(layer.length / 2);
        });

        Store b = store("b");
        client(TransferListener.NONE).pull(ref, Platform.host(), b);
        Digest gz = remote.layers().get(0).digest();
        try (var in = dev.slipway.layer.Compression.GZIP.decompress(b.content().open(gz, true))) {
            assertThat(in.readAllBytes()).isEqualTo(layer);
        }
        RegistryClient.PushResult again = client(TransferListener.NONE).push(a, ref, ref);
        assertThat(again.digest()).as("compression is deterministic").isEqualTo(pushed.digest());
    }
}
