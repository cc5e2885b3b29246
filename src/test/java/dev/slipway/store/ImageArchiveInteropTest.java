package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slipway's archives against the real Docker engine, skopeo and umoci. */
@Tag("integration")
class ImageArchiveInteropTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOCKER_HOST = System.getenv().getOrDefault("SLIPWAY_TEST_DOCKER_HOST",
            "unix:///var/tmp/slipway-oracle/docker.sock");

    @TempDir
    Path dir;

    private Store store;
    private String name;
    private final List<String> dockerImages = new ArrayList<>();

    @BeforeEach
    void setUp() {
        store = new Store(new StoreRoot(dir.resolve("store")), Clock.systemUTC());
        name = "slipway-it/busybox:" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void removeDockerImages() throws Exception {
        for (String image : dockerImages) {
            run(List.of("/usr/bin/docker", "rmi", "-f", image), false);
        }
    }

    private record Result(int exit, String out) {
    }

    private static Result run(List<String> command, boolean check) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", DOCKER_HOST);
        Process p = pb.start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        String text = out.toString(StandardCharsets.UTF_8);
        if (check) {
            assertThat(p.exitValue()).as(String.join(" ", command) + ": " + text).isZero();
        }
        return new Result(p.exitValue(), text);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        return run(List.of(command), true).out();
    }

    /** A two-layer image: busybox-static as /bin/busybox, then a file, tagged {@link #name}. */
    private ArchiveFixtures.Image busyboxImage() throws IOException {
        ByteArrayOutputStream base = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(base)) {
            TarArchiveEntry binDir = new TarArchiveEntry("bin/");
            binDir.setMode(040755);
            tar.putArchiveEntry(binDir);
            tar.closeArchiveEntry();
            byte[] busybox = Files.readAllBytes(Path.of("/bin/busybox"));
            TarArchiveEntry entry = new TarArchiveEntry("bin/busybox");
            entry.setMode(0100755);
            entry.setSize(busybox.length);
            tar.putArchiveEntry(entry);
            tar.write(busybox);
            tar.closeArchiveEntry();
        }
        byte[] top = ArchiveFixtures.layer("etc/motd", "built by slipway\n");
        ImageConfig config = ImageConfig.empty(Platform.host());
        List<Descriptor> layers = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        boolean gzip = false;
        for (byte[] layer : List.of(base.toByteArray(), top)) {
            Digest diffId = Digest.sha256(layer);
            diffIds.add(diffId);
            config = config.withLayer(diffId, new ImageConfig.History("2024-01-01T00:00:00Z", "COPY / /", null));
            byte[] blob = gzip ? ArchiveFixtures.gzip(layer) : layer;
            Blob b = store.content().put(blob);
            layers.add(new Descriptor(gzip ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER, b.digest(), b.size()));
            gzip = true;
        }
        config = config.withCreated("2024-01-01T00:00:00Z")
                .withConfig(config.configOrEmpty().toBuilder().cmd(List.of("/bin/busybox", "sh")).build());
        ImageJson.Encoded<ImageConfig> c = ImageJson.encode(config);
        store.content().put(c.bytes());
        ImageJson.Encoded<Manifest> m = ImageJson.encode(Manifest.of(c.descriptor(MediaTypes.OCI_CONFIG), layers, false));
        store.content().put(m.bytes());
        store.references().set(ImageReference.parse(name), m.digest());
        return new ArchiveFixtures.Image(m.digest(), c.digest(), diffIds);
    }

    @Test
    void slipwaySaveLoadsIntoDockerAndRunsAndDockerSaveLoadsBack() throws Exception {
        ArchiveFixtures.Image img = busyboxImage();
        Path archive = dir.resolve("busybox.tar");
        new ImageSaver(store).save(List.of(name), ImageSaver.Format.DOCKER_ARCHIVE, archive);

        dockerImages.add(name);
        assertThat(run("/usr/bin/docker", "load", "-i", archive.toString())).contains("Loaded image: " + name);
        assertThat(run("/usr/bin/docker", "run", "--rm", "--network=none", name, "/bin/busybox", "echo", "hi"))
                .isEqualTo("hi\n");
        JsonNode inspect = JSON.readTree(run("/usr/bin/docker", "image", "inspect", name)).get(0);
        assertThat(inspect.get("Id").asText()).isEqualTo(img.imageId().toString());
        List<String> dockerDiffIds = new ArrayList<>();
        inspect.at("/RootFS/Layers").forEach(n -> dockerDiffIds.add(n.asText()));
        assertThat(dockerDiffIds).isEqualTo(img.diffIds().stream().map(Digest::toString).toList());

        Path dockerSaved = dir.resolve("docker-saved.tar");
        run("/usr/bin/docker", "save", "-o", dockerSaved.toString(), name);
        Store other = new Store(new StoreRoot(dir.resolve("other")), Clock.systemUTC());
        ImageLoader.Result result = new ImageLoader(other).load(dockerSaved);

        assertThat(result.format()).isEqualTo(ImageLoader.Format.DOCKER_ARCHIVE);
        assertThat(result.images().get(0).tags()).containsExactly(ImageReference.parse(name));
        assertThat(result.images().get(0).imageId().toString()).isEqualTo(inspect.get("Id").asText());
        ImageConfig loaded = ImageJson.readConfig(other.content().read(result.images().get(0).imageId()));
        assertThat(loaded.diffIds().stream().map(Digest::toString).toList()).isEqualTo(dockerDiffIds);
    }

    @Test
    void skopeoAndUmociReadTheOciLayout() throws Exception {
        ArchiveFixtures.Image img = busyboxImage();
        String tag = ImageReference.parse(name).tag();
        Path layout = dir.resolve("layout");
        new ImageSaver(store).save(List.of(name), ImageSaver.Format.OCI_DIR, layout);

        JsonNode inspect = JSON.readTree(run("skopeo", "inspect", "oci:" + layout + ":" + tag));
        assertThat(inspect.get("Digest").asText()).isEqualTo(img.manifest().toString());
        assertThat(inspect.get("Layers")).hasSize(2);

        Path bundle = dir.resolve("bundle");
        run("umoci", "unpack", "--image", layout + ":" + tag, bundle.toString());
        assertThat(bundle.resolve("rootfs/bin/busybox")).hasSameBinaryContentAs(Path.of("/bin/busybox"));
        assertThat(bundle.resolve("rootfs/etc/motd")).hasContent("built by slipway");
    }

    @Test
    void skopeoCopiesOfTheLayoutLoadBack() throws Exception {
        ArchiveFixtures.Image img = busyboxImage();
        String tag = ImageReference.parse(name).tag();
        Path layout = dir.resolve("layout");
        new ImageSaver(store).save(List.of(name), ImageSaver.Format.OCI_ARCHIVE, dir.resolve("oci.tar"));
        new ImageSaver(store).save(List.of(name), ImageSaver.Format.OCI_DIR, layout);

        Path dockerArchive = dir.resolve("skopeo-docker.tar");
        run("skopeo", "copy", "oci-archive:" + dir.resolve("oci.tar") + ":" + tag,
                "docker-archive:" + dockerArchive + ":" + name);
        Path ociArchive = dir.resolve("skopeo-oci.tar");
        run("skopeo", "copy", "oci:" + layout + ":" + tag, "oci-archive:" + ociArchive + ":" + name);

        Store viaDocker = new Store(new StoreRoot(dir.resolve("viaDocker")), Clock.systemUTC());
        ImageLoader.Result fromDocker = new ImageLoader(viaDocker).load(dockerArchive);
        assertThat(fromDocker.format()).isEqualTo(ImageLoader.Format.DOCKER_ARCHIVE);
        assertThat(fromDocker.images().get(0).tags()).containsExactly(ImageReference.parse(name));
        assertThat(ImageJson.readConfig(viaDocker.content().read(fromDocker.images().get(0).imageId())).diffIds())
                .isEqualTo(img.diffIds());

        Store viaOci = new Store(new StoreRoot(dir.resolve("viaOci")), Clock.systemUTC());
        ImageLoader.Result fromOci = new ImageLoader(viaOci).load(ociArchive);
        assertThat(fromOci.format()).isEqualTo(ImageLoader.Format.OCI_LAYOUT);
        assertThat(fromOci.images().get(0).tags()).containsExactly(ImageReference.parse(name));
        Manifest m = ImageJson.readManifest(viaOci.content().read(fromOci.images().get(0).manifest()));
        assertThat(ImageJson.readConfig(viaOci.content().read(m.config().digest())).diffIds()).isEqualTo(img.diffIds());

        Path resaved = dir.resolve("resaved.tar");
        new ImageSaver(viaOci).save(List.of(name), ImageSaver.Format.DOCKER_ARCHIVE, resaved);
        Map<String, byte[]> files = ArchiveFixtures.entries(Files.readAllBytes(resaved));
        assertThat(files).containsKey("blobs/sha256/" + img.diffIds().get(1).hex());
    }
}
