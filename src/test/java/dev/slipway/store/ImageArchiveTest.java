package dev.slipway.store;

import static dev.slipway.store.ArchiveFixtures.entries;
import static dev.slipway.store.ArchiveFixtures.gzip;
import static dev.slipway.store.ArchiveFixtures.image;
import static dev.slipway.store.ArchiveFixtures.layer;
import static dev.slipway.store.ArchiveFixtures.snapshot;
import static dev.slipway.store.ArchiveFixtures.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageIndex;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageArchiveTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Store store(String name) {
        return new Store(new StoreRoot(dir.resolve(name)), Clock.systemUTC());
    }

    private byte[] save(Store store, ImageSaver.Format format, String... images) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ImageSaver(store).save(List.of(images), format, out);
        return out.toByteArray();
    }

    @Test
    void dockerArchiveHasTheShapeDockerLoadReads() throws Exception {
        Store store = store("a");
        ArchiveFixtures.Image img = image(store, "example.com/app:1.0", true, layer("a", "one"), layer("b", "two"));

        Map<String, byte[]> files = entries(save(store, ImageSaver.Format.DOCKER_ARCHIVE, "example.com/app:1.0"));

        JsonNode manifest = JSON.readTree(files.get("manifest.json"));
        assertThat(manifest).hasSize(1);
        assertThat(manifest.get(0).get("Config").asText()).isEqualTo("blobs/sha256/" + img.imageId().hex());
        assertThat(manifest.get(0).get("RepoTags").get(0).asText()).isEqualTo("example.com/app:1.0");
        for (int i = 0; i < 2; i++) {
            String layerName = manifest.get(0).get("Layers").get(i).asText();
            assertThat(layerName).isEqualTo("blobs/sha256/" + img.diffIds().get(i).hex());
            assertThat(Digest.sha256(files.get(layerName))).as("layers are uncompressed").isEqualTo(img.diffIds().get(i));
        }
        assertThat(Digest.sha256(files.get("blobs/sha256/" + img.imageId().hex()))).isEqualTo(img.imageId());
        assertThat(JSON.readTree(files.get("repositories")).at("/example.com~1app/1.0").asText())
                .isEqualTo(img.diffIds().get(1).hex());
        assertThat(JSON.readTree(files.get("oci-layout")).get("imageLayoutVersion").asText()).isEqualTo("1.0.0");
        ImageIndex index = ImageJson.readIndex(files.get("index.json"));
        assertThat(index.manifests().get(0).annotations()).containsEntry("org.opencontainers.image.ref.name", "1.0")
                .containsEntry("io.containerd.image.name", "example.com/app:1.0");
        Manifest ociManifest = ImageJson.readManifest(files.get("blobs/sha256/" + index.manifests().get(0).digest().hex()));
        assertThat(ociManifest.layers()).extracting(d -> d.mediaType()).containsOnly(MediaTypes.OCI_LAYER);
    }

    @Test
    void savingIsDeterministic() {
        Store store = store("a");
        image(store, "busybox", false, layer("bin/sh", "x"));

        assertThat(save(store, ImageSaver.Format.DOCKER_ARCHIVE, "busybox"))
                .isEqualTo(save(store, ImageSaver.Format.DOCKER_ARCHIVE, "busybox:latest"));
    }

    @Test
    void dockerArchiveRoundTripKeepsImageIdDiffIdsAndTags() {
        Store from = store("from");
        ArchiveFixtures.Image img = image(from, "busybox:1", true, layer("a", "1"), layer("b", "2"));
        image(from, "other:2", false, layer("c", "3"));
        byte[] archive = save(from, ImageSaver.Format.DOCKER_ARCHIVE, "busybox:1", "other:2");
        Store to = store("to");

        ImageLoader.Result result = new ImageLoader(to).load(new ByteArrayInputStream(archive));

        assertThat(result.format()).isEqualTo(ImageLoader.Format.DOCKER_ARCHIVE);
        assertThat(result.images()).hasSize(2);
        assertThat(result.images().get(0).imageId()).isEqualTo(img.imageId());
        assertThat(result.images().get(0).tags()).containsExactly(ImageReference.parse("busybox:1"));
        Digest target = to.references().get(ImageReference.parse("busybox:1")).orElseThrow().target();
        Manifest loaded = ImageJson.readManifest(to.content().read(target));
        ImageConfig config = ImageJson.readConfig(to.content().read(loaded.config().digest()));
        assertThat(config.diffIds()).isEqualTo(img.diffIds());
        assertThat(loaded.layers()).extracting(d -> d.digest()).isEqualTo(img.diffIds());
        assertThat(to.references().get(ImageReference.parse("other:2"))).isPresent();
    }

    @Test
    void ociArchiveAndDirectoryKeepManifestDigests() throws Exception {
        Store from = store("from");
        ArchiveFixtures.Image img = image(from, "app:v1", true, layer("a", "1"));
        byte[] archive = save(from, ImageSaver.Format.OCI_ARCHIVE, "app:v1");
        Path layout = dir.resolve("layout");
        new ImageSaver(from).save(List.of("app:v1"), ImageSaver.Format.OCI_DIR, layout);

        Map<String, byte[]> files = entries(archive);
        assertThat(files).doesNotContainKey("manifest.json").containsKey("blobs/sha256/" + img.manifest().hex());
        assertThat(Files.readString(layout.resolve("oci-layout"))).isEqualTo("{\"imageLayoutVersion\":\"1.0.0\"}");

        Store viaTar = store("viaTar");
        ImageLoader.Result r1 = new ImageLoader(viaTar).load(new ByteArrayInputStream(archive));
        Store viaDir = store("viaDir");
        ImageLoader.Result r2 = new ImageLoader(viaDir).load(layout);

        assertThat(r1.format()).isEqualTo(ImageLoader.Format.OCI_LAYOUT);
        assertThat(r1.images().get(0).manifest()).isEqualTo(img.manifest());
        assertThat(r2.images().get(0).manifest()).isEqualTo(img.manifest());
        assertThat(viaDir.references().get(ImageReference.parse("app:v1")).orElseThrow().target())
                .isEqualTo(img.manifest());
        assertThat(MediaTypes.layerCompression(ImageJson.readManifest(viaTar.content().read(img.manifest()))
                .layers().get(0).mediaType())).isEqualTo(MediaTypes.Compression.GZIP);
    }

    @Test
    void ociDirectoryMustBeNewOrEmpty() throws Exception {
        Store store = store("a");
        image(store, "app", false, layer("a", "1"));
        Files.createDirectories(dir.resolve("full"));
        Files.writeString(dir.resolve("full/x"), "x");

        assertThatThrownBy(() -> new ImageSaver(store).save(List.of("app"), ImageSaver.Format.OCI_DIR, dir.resolve("full")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("is not empty");
        assertThatThrownBy(() -> save(store, ImageSaver.Format.DOCKER_ARCHIVE, "nosuch"))
                .isInstanceOf(SlipwayException.class).hasMessage("No such image: nosuch:latest");
    }

    @Test
    void resolvesImagesByIdPrefix() {
        Store store = store("a");
        ArchiveFixtures.Image img = image(store, "app", false, layer("a", "1"));

        ImageSaver.Selected selected = new ImageSaver(store).resolve(img.imageId().shortHex());

        assertThat(selected.target()).isEqualTo(img.manifest());
        assertThat(selected.tag()).isNull();
        Map<String, byte[]> files = entries(save(store, ImageSaver.Format.DOCKER_ARCHIVE, img.imageId().toString()));
        assertThat(new String(files.get("manifest.json"), StandardCharsets.UTF_8)).contains("\"RepoTags\":[]");
    }

    @Test
    void readsLegacyDockerArchiveWithSymlinkedAndGzippedLayers() throws Exception {
        byte[] layer1 = layer("etc/hostname", "legacy");
        byte[] layer2 = layer("bin/tool", "tool");
        Digest d1 = Digest.sha256(layer1);
        Digest d2 = Digest.sha256(layer2);
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + d1 + "\",\"" + d2 + "\"]}}";
        Digest imageId = Digest.sha256(config.getBytes(StandardCharsets.UTF_8));
        String id1 = "1".repeat(64);
        String id2 = "2".repeat(64);
        byte[] archive = legacyArchive(config, imageId, id1, id2, layer1, gzip(layer2));
        Store store = store("s");

        ImageLoader.Result result = new ImageLoader(store).load(new ByteArrayInputStream(gzip(archive)));

        assertThat(result.images().get(0).imageId()).isEqualTo(imageId);
        assertThat(result.images().get(0).tags()).containsExactly(ImageReference.parse("legacy:old"));
        Manifest m = ImageJson.readManifest(store.content().read(result.images().get(0).manifest()));
        assertThat(m.layers().get(0).digest()).isEqualTo(d1);
        assertThat(m.layers().get(1).mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP);
        assertThat(store.content().read(m.layers().get(1).digest())).isEqualTo(gzip(layer2));

        Map<String, byte[]> resaved = entries(save(store, ImageSaver.Format.DOCKER_ARCHIVE, "legacy:old"));
        assertThat(resaved.get("blobs/sha256/" + d2.hex())).isEqualTo(layer2);
    }

    /** docker 20.10's layout: {@code <id>/layer.tar}; the second layer as containers/image writes it, a symlink. */
    private static byte[] legacyArchive(String config, Digest imageId, String id1, String id2, byte[] layer1,
            byte[] layer2Blob) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(id1 + "/VERSION", "1.0".getBytes());
            files.put(id1 + "/json", ("{\"id\":\"" + id1 + "\"}").getBytes());
            files.put(id1 + "/layer.tar", layer1);
            files.put(Digest.sha256(layer2Blob).hex() + ".tar", layer2Blob);
            files.put(imageId.hex() + ".json", config.getBytes(StandardCharsets.UTF_8));
            files.put("manifest.json", ("[{\"Config\":\"" + imageId.hex() + ".json\",\"RepoTags\":[\"legacy:old\"],"
                    + "\"Layers\":[\"" + id1 + "/layer.tar\",\"" + id2 + "/layer.tar\"]}]").getBytes());
            files.put("repositories", ("{\"legacy\":{\"old\":\"" + id2 + "\"}}").getBytes());
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
            var link = new org.apache.commons.compress.archivers.tar.TarArchiveEntry(id2 + "/layer.tar",
                    org.apache.commons.compress.archivers.tar.TarConstants.LF_SYMLINK);
            link.setLinkName("../" + Digest.sha256(layer2Blob).hex() + ".tar");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void corruptLayerIsRefusedAndStoreUntouched() {
        Store from = store("from");
        ArchiveFixtures.Image img = image(from, "app", false, layer("a", "payload-payload"));
        Map<String, byte[]> files = entries(save(from, ImageSaver.Format.DOCKER_ARCHIVE, "app"));
        byte[] layerBytes = files.get("blobs/sha256/" + img.diffIds().get(0).hex());
        int at = new String(layerBytes, StandardCharsets.ISO_8859_1).indexOf("payload");
        layerBytes[at] = 'X';
        Store to = store("to");
        image(to, "existing", false, layer("z", "z"));
        List<String> before = snapshot(to);

        assertThatThrownBy(() -> new ImageLoader(to).load(new ByteArrayInputStream(tar(files))))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining("does not match the image config")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(snapshot(to)).isEqualTo(before);
    }

    @Test
    void truncatedArchivesAreRefusedAndStoreUntouched() {
        Store from = store("from");
        image(from, "app", false, layer("a", "x".repeat(5000)), layer("b", "y".repeat(5000)));
        for (ImageSaver.Format format : List.of(ImageSaver.Format.DOCKER_ARCHIVE, ImageSaver.Format.OCI_ARCHIVE)) {
            byte[] archive = save(from, format, "app");
            int lastData = archive.length - 1;
            while (archive[lastData] == 0) {
                lastData--;
            }
            for (int cut : new int[] {100, 3000, lastData / 2, lastData - 10}) {
                Store to = store("to-" + format + cut);
                List<String> before = snapshot(to);
                byte[] truncated = Arrays.copyOf(archive, cut);
                assertThatThrownBy(() -> new ImageLoader(to).load(new ByteArrayInputStream(truncated)))
                        .as("%s cut at %d", format, cut)
                        .isInstanceOf(SlipwayException.class)
                        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
                assertThat(snapshot(to)).isEqualTo(before);
            }
        }
    }

    @Test
    void corruptOciBlobIsRefused() throws Exception {
        Store from = store("from");
        ArchiveFixtures.Image img = image(from, "app", true, layer("a", "1"));
        Path layout = dir.resolve("layout");
        new ImageSaver(from).save(List.of("app"), ImageSaver.Format.OCI_DIR, layout);
        Files.writeString(layout.resolve("blobs/sha256/" + img.imageId().hex()), "{\"os\":\"linux\"}");
        Store to = store("to");

        assertThatThrownBy(() -> new ImageLoader(to).load(layout))
                .isInstanceOf(SlipwayException.class)
                .hasMessageContaining("blobs/sha256/" + img.imageId().hex() + " is corrupt");
        assertThat(snapshot(to)).isEmpty();
    }

    @Test
    void somethingElseIsNotAnImageArchive() {
        Store to = store("to");
        byte[] notImage = tar(Map.of("hello.txt", "hi".getBytes()));

        assertThatThrownBy(() -> new ImageLoader(to).load(new ByteArrayInputStream(notImage)))
                .isInstanceOf(SlipwayException.class)
                .hasMessage("stdin: not a docker-archive or OCI image layout (no manifest.json, no oci-layout and index.json)");
        assertThatThrownBy(() -> new ImageLoader(to).load(new ByteArrayInputStream("garbage".getBytes())))
                .isInstanceOf(SlipwayException.class).hasMessageStartingWith("stdin: ");
    }

    @Test
    void ociEntryWithOnlyATagLoadsUntagged() throws Exception {
        Store from = store("from");
        ArchiveFixtures.Image img = image(from, "app:v1", false, layer("a", "1"));
        Path layout = dir.resolve("layout");
        new ImageSaver(from).save(List.of("app:v1"), ImageSaver.Format.OCI_DIR, layout);
        ImageIndex index = ImageJson.readIndex(Files.readAllBytes(layout.resolve("index.json")));
        ImageIndex tagOnly = ImageIndex.of(List.of(index.manifests().get(0)
                .withAnnotations(Map.of("org.opencontainers.image.ref.name", "v1"))));
        Files.write(layout.resolve("index.json"), ImageJson.write(tagOnly));
        Store to = store("to");

        ImageLoader.Result result = new ImageLoader(to).load(layout);

        assertThat(result.images().get(0).tags()).isEmpty();
        assertThat(result.images().get(0).imageId()).isEqualTo(img.imageId());
        assertThat(to.content().has(img.manifest())).isTrue();
    }

    @Test
    void hostileNamesInAnArchiveReachNothingOutsideIt() throws Exception {
        Path outside = dir.resolve("secret");
        Files.writeString(outside, "secret");
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + Digest.sha256("secret".getBytes()) + "\"]}}";
        Store to = store("to");
        for (String layerName : List.of("../secret", "/" + outside, "a/../../secret")) {
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("config.json", config.getBytes(StandardCharsets.UTF_8));
            files.put("manifest.json", ("[{\"Config\":\"config.json\",\"RepoTags\":[\"x:1\"],\"Layers\":[\""
                    + layerName + "\"]}]").getBytes(StandardCharsets.UTF_8));
            byte[] archive = tar(files);

            assertThatThrownBy(() -> new ImageLoader(to).load(new ByteArrayInputStream(archive)))
                    .as(layerName)
                    .isInstanceOf(SlipwayException.class)
                    .satisfies(e -> assertThat(e.getMessage()).containsAnyOf("leaves the archive", "missing"));
        }
        assertThat(snapshot(to)).isEmpty();
    }

    @Test
    void formatNamesAcceptWhatDockerAndSkopeoUsersType() {
        assertThat(ImageSaver.Format.parse("oci")).isEqualTo(ImageSaver.Format.OCI_ARCHIVE);
        assertThat(ImageSaver.Format.parse("docker")).isEqualTo(ImageSaver.Format.DOCKER_ARCHIVE);
        assertThat(ImageSaver.Format.parse("oci-dir")).isEqualTo(ImageSaver.Format.OCI_DIR);
        assertThatThrownBy(() -> ImageSaver.Format.parse("zip")).isInstanceOf(SlipwayException.class);
    }
}
