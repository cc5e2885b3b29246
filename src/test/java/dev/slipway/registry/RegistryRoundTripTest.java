package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.Platform;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Push and pull against a real docker-registry without auth, and interoperation with skopeo and umoci. */
@Tag("integration")
class RegistryRoundTripTest {
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

    /** Records what the client reports for each blob. */
    static final class Recorder implements TransferListener {
        final Map<Digest, Outcome> outcomes = new ConcurrentHashMap<>();
        final Map<Digest, String> details = new ConcurrentHashMap<>();

        @Override
        public void blobDone(dev.slipway.image.Descriptor blob, Outcome outcome, String detail) {
            outcomes.put(blob.digest(), outcome);
            if (detail != null) {
                details.put(blob.digest(), detail);
            }
        }
    }

    private static RegistryClient client(RegistryConfig config, TransferListener listener) {
        return new RegistryClient(config, r -> Optional.empty(), listener);
    }

    private static RegistryConfig config() {
        return RegistryConfig.defaults().withRetries(3, Duration.ofMillis(50));
    }

    @Test
    void pushThenPullGivesIdenticalDigestsAndBytes() throws IOException {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/roundtrip:1", 3, 200_000, 1, false);
        Recorder pushed = new Recorder();
        RegistryClient.PushResult push = client(config(), pushed).push(source, image.reference(), image.reference());
        assertThat(push.digest()).isEqualTo(image.manifest());
        assertThat(pushed.outcomes).hasSize(4).containsValue(TransferListener.Outcome.PUSHED)
                .doesNotContainValue(TransferListener.Outcome.ALREADY_EXISTS);

        Store target = store("b");
        Recorder pulled = new Recorder();
        RegistryClient.PullResult pull = client(config(), pulled).pull(image.reference(), Platform.host(), target);
        assertThat(pull.digest()).isEqualTo(image.manifest());
        assertThat(pull.manifestDigest()).isEqualTo(image.manifest());
        assertThat(pull.downloaded()).isEqualTo(4);
        assertThat(target.references().get(image.reference()).orElseThrow().target()).isEqualTo(image.manifest());
        for (Digest blob : image.blobs()) {
            assertThat(target.content().read(blob)).isEqualTo(source.content().read(blob));
        }
        assertThat(target.content().read(image.manifest())).isEqualTo(image.manifestBytes());

        RegistryClient.PullResult again = client(config(), TransferListener.NONE).pull(image.reference(), Platform.host(), target);
        assertThat(again.downloaded()).isZero();
        assertThat(again.changed()).isFalse();

        Recorder repush = new Recorder();
        client(config(), repush).push(source, image.reference(), image.reference());
        assertThat(repush.outcomes.values()).containsOnly(TransferListener.Outcome.ALREADY_EXISTS);
    }

    @Test
    void chunkedUploadOfBigBlobs() throws IOException {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/chunked:1", 2, 700_000, 2, false);
        RegistryConfig chunky = config().withChunkSize(128 << 10);
        client(chunky, TransferListener.NONE).push(source, image.reference(), image.reference());
        Store target = store("b");
        client(config(), TransferListener.NONE).pull(image.reference(), Platform.host(), target);
        for (Digest blob : image.blobs()) {
            assertThat(target.content().read(blob)).isEqualTo(source.content().read(blob));
        }
    }

    @Test
    void pushToAnotherRepositoryMountsBlobsAlreadyThere() throws IOException {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/mount-src:1", 2, 50_000, 3, false);
        client(config(), TransferListener.NONE).push(source, image.reference(), image.reference());
        Recorder recorder = new Recorder();
        ImageReference dest = ImageReference.parse(registry.host() + "/mount-dst:1");
        RegistryClient.PushResult result = client(config(), recorder).push(source, image.reference(), dest);
        assertThat(result.digest()).isEqualTo(image.manifest());
        assertThat(recorder.outcomes.values()).containsOnly(TransferListener.Outcome.MOUNTED);
        assertThat(recorder.details.values()).containsOnly("mount-src");
        Store target = store("b");
        assertThat(client(config(), TransferListener.NONE).pull(dest, Platform.host(), target).manifestDigest())
                .isEqualTo(image.manifest());
    }

    @Test
    void pullByDigestStoresTheDigestReference() throws IOException {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/bydigest:1", 1, 1000, 4, true);
        client(config(), TransferListener.NONE).push(source, image.reference(), image.reference());
        ImageReference byDigest = ImageReference.parse(registry.host() + "/bydigest@" + image.manifest());
        Store target = store("b");
        RegistryClient.PullResult r = client(config(), TransferListener.NONE).pull(byDigest, Platform.host(), target);
        assertThat(r.manifestDigest()).isEqualTo(image.manifest());
        assertThat(target.references().get(byDigest)).isPresent();
        Manifest m = ImageJson.readManifest(target.content().read(image.manifest()));
        assertThat(m.mediaType()).isEqualTo(image.document().mediaType());
    }

    @Test
    void missingImageIsAClearError() {
        ImageReference ref = ImageReference.parse(registry.host() + "/does-not-exist:1");
        assertThatThrownBy(() -> client(config(), TransferListener.NONE).pull(ref, Platform.host(), store("b")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("not found").hasMessageContaining(registry.host())
                .hasMessageContaining("does-not-exist");
    }

    @Test
    void ensureUsesTheStoreUnlessAskedToPull() throws IOException {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/ensure:1", 1, 1000, 5, false);
        client(config(), TransferListener.NONE).push(source, image.reference(), image.reference());
        Store target = store("b");
        Recorder first = new Recorder();
        assertThat(client(config(), first).ensure(image.reference(), Platform.host(), target, false))
                .isEqualTo(image.manifest());
        assertThat(first.outcomes).hasSize(2);
        Recorder second = new Recorder();
        assertThat(client(config(), second).ensure(image.reference(), Platform.host(), target, false))
                .isEqualTo(image.manifest());
        assertThat(second.outcomes).isEmpty();
        Recorder forced = new Recorder();
        client(config(), forced).ensure(image.reference(), Platform.host(), target, true);
        assertThat(forced.outcomes.values()).containsOnly(TransferListener.Outcome.ALREADY_EXISTS).hasSize(2);
    }

    @Test
    void skopeoCopiesWhatSlipwayPushed() throws Exception {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/toskopeo:1", 2, 30_000, 6, false);
        client(config(), TransferListener.NONE).push(source, image.reference(), image.reference());
        Path layout = work.resolve("oci");
        TestRegistry.run(List.of("skopeo", "copy", "--src-tls-verify=false",
                "docker://" + registry.host() + "/toskopeo:1", "oci:" + layout + ":t"), work);
        JsonNode index = new ObjectMapper().readTree(layout.resolve("index.json").toFile());
        assertThat(index.path("manifests").get(0).path("digest").asText()).isEqualTo(image.manifest().toString());
        for (Digest blob : image.blobs()) {
            Path copied = layout.resolve("blobs/sha256/" + blob.hex());
            assertThat(Digest.sha256(Files.readAllBytes(copied))).isEqualTo(blob);
        }
    }

    @Test
    void slipwayPullsWhatSkopeoPushedFromAnUmociImage() throws Exception {
        Path layout = work.resolve("umoci");
        Path rootfs = Files.createDirectories(work.resolve("content/etc"));
        Files.writeString(rootfs.resolve("hello.txt"), "hello from umoci\n");
        TestRegistry.run(List.of("umoci", "init", "--layout", layout.toString()), work);
        TestRegistry.run(List.of("umoci", "new", "--image", layout + ":t"), work);
        TestRegistry.run(List.of("umoci", "insert", "--image", layout + ":t", work.resolve("content/etc").toString(),
                "/etc"), work);
        for (String format : List.of("oci", "v2s2")) {
            String dest = registry.host() + "/fromskopeo-" + format + ":t";
            TestRegistry.run(List.of("skopeo", "copy", "--dest-tls-verify=false", "--format", format,
                    "oci:" + layout + ":t", "docker://" + dest), work);
            String raw = TestRegistry.run(List.of("skopeo", "inspect", "--raw", "--tls-verify=false",
                    "docker://" + dest), work);
            Digest registryDigest = Digest.sha256(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Store target = store("pulled-" + format);
            RegistryClient.PullResult r = client(config(), TransferListener.NONE)
                    .pull(ImageReference.parse(dest), Platform.host(), target);
            assertThat(r.digest()).isEqualTo(registryDigest);
            Manifest m = ImageJson.readManifest(target.content().read(r.manifestDigest()));
            assertThat(m.effectiveMediaType()).isEqualTo(format.equals("oci")
                    ? dev.slipway.image.MediaTypes.OCI_MANIFEST : dev.slipway.image.MediaTypes.DOCKER_MANIFEST);
            assertThat(target.content().has(m.config().digest())).isTrue();
            assertThat(m.layers()).isNotEmpty().allSatisfy(l -> assertThat(target.content().has(l.digest())).isTrue());
        }
    }

    @Test
    void multiPlatformIndexIsPushedWholeAndPulledPerPlatform() throws IOException {
        Store source = store("a");
        Platform amd64 = Platform.parse("linux/amd64");
        Platform arm64 = Platform.parse("linux/arm64/v8");
        TestImage.Written a = TestImage.create(source, registry.host() + "/multi:amd64", 1, 2000, 20, false, amd64);
        TestImage.Written b = TestImage.create(source, registry.host() + "/multi:arm64", 1, 2000, 21, false, arm64);
        dev.slipway.image.ImageIndex index = dev.slipway.image.ImageIndex.of(List.of(
                new dev.slipway.image.Descriptor(dev.slipway.image.MediaTypes.OCI_MANIFEST, a.manifest(),
                        a.manifestBytes().length).withPlatform(amd64),
                new dev.slipway.image.Descriptor(dev.slipway.image.MediaTypes.OCI_MANIFEST, b.manifest(),
                        b.manifestBytes().length).withPlatform(arm64)));
        byte[] indexBytes = ImageJson.write(index);
        Digest indexDigest = source.content().put(indexBytes).digest();
        ImageReference ref = ImageReference.parse(registry.host() + "/multi:1");
        source.references().set(ref, indexDigest);
        assertThat(client(config(), TransferListener.NONE).push(source, ref, ref).digest()).isEqualTo(indexDigest);

        Store target = store("b");
        RegistryClient.PullResult arm = client(config(), TransferListener.NONE).pull(ref, arm64, target);
        assertThat(arm.digest()).isEqualTo(indexDigest);
        assertThat(arm.manifestDigest()).isEqualTo(b.manifest());
        assertThat(target.content().has(b.document().layers().get(0).digest())).isTrue();
        assertThat(target.content().has(a.document().layers().get(0).digest())).isFalse();
        RegistryClient.PullResult amd = client(config(), TransferListener.NONE).pull(ref, amd64, store("c"));
        assertThat(amd.manifestDigest()).isEqualTo(a.manifest());
        assertThatThrownBy(() -> client(config(), TransferListener.NONE).pull(ref, Platform.parse("linux/s390x"),
                store("d")))
                .hasMessageContaining("no image for platform linux/s390x")
                .hasMessageContaining("linux/amd64").hasMessageContaining("linux/arm64/v8");
    }
}
