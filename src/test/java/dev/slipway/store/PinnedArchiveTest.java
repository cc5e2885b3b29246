package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exact bytes of a save, pinned: two images of fixed bytes (the same on every host: the layers
 * need not be tars for a save) under three tags, saved as a docker-archive to a file (blobs copied by
 * the kernel), to a stream, and as an OCI archive. The digests are those the save wrote before its
 * start-up work was cut down; any change to what a save writes shows here.
 */
class PinnedArchiveTest {
    private static final String DOCKER_ARCHIVE = "sha256:5c1fed8c428ce7f4591d821b3be0e3bb75febd57bdcfd2835e8dd20554e6208d";
    private static final String OCI_ARCHIVE = "sha256:e27c2bb55e430b59ebac7837986fb8940a27b73e5381d2949d59cdab9500848a";

    @TempDir
    Path dir;

    @Test
    void aSaveWritesThePinnedBytes() throws Exception {
        Store store = new Store(new StoreRoot(dir.resolve("store")), Clock.systemUTC());
        populate(store);

        Path file = dir.resolve("out.tar");
        new ImageSaver(store).save(NAMES, ImageSaver.Format.DOCKER_ARCHIVE, file);
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        new ImageSaver(store).save(NAMES, ImageSaver.Format.DOCKER_ARCHIVE, stream);
        Path oci = dir.resolve("oci.tar");
        new ImageSaver(store).save(NAMES, ImageSaver.Format.OCI_ARCHIVE, oci);

        assertThat(Digest.sha256(Files.readAllBytes(file))).hasToString(DOCKER_ARCHIVE);
        assertThat(Digest.sha256(stream.toByteArray())).hasToString(DOCKER_ARCHIVE);
        assertThat(Digest.sha256(Files.readAllBytes(oci))).hasToString(OCI_ARCHIVE);
    }

    private static final List<String> NAMES = List.of("example.com/app:1.0", "example.com/app:2.0", "other:latest");

    /** Stores the images in {@code store} and tags them as {@link #NAMES}. */
    private static void populate(Store store) {
        byte[][] layers = {blob("a", 4096), blob("b", 700), blob("c", 100_000), blob("d", 512)};
        Digest first = image(store, List.of(layers[0], layers[1], layers[2]));
        Digest second = image(store, List.of(layers[0], layers[3]));
        store.references().set(ImageReference.parse(NAMES.get(0)), first);
        store.references().set(ImageReference.parse(NAMES.get(1)), first);
        store.references().set(ImageReference.parse(NAMES.get(2)), second);
    }

    private static byte[] blob(String seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed.charAt(0) * 31 + i * 7 + i / 251);
        }
        return b;
    }

    private static Digest image(Store store, List<byte[]> layers) {
        List<String> diffIds = new ArrayList<>();
        StringBuilder layerDescriptors = new StringBuilder();
        StringBuilder history = new StringBuilder();
        for (byte[] layer : layers) {
            Digest d = store.content().put(layer).digest();
            diffIds.add("\"" + d + "\"");
            layerDescriptors.append(layerDescriptors.length() == 0 ? "" : ",")
                    .append("{\"digest\":\"").append(d).append("\",\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":")
                    .append(layer.length).append('}');
            history.append(history.length() == 0 ? "" : ",")
                    .append("{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"RUN /bin/sh -c \\\"echo \\\\u00e9 > /x\\\" # buildkit\"}");
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"config\":{\"Cmd\":[\"/bin/sh\"],\"Env\":[\"PATH=/bin\"],"
                + "\"Labels\":{\"k\":\"v\"}},\"created\":\"2024-01-01T00:00:00Z\",\"history\":[" + history + "],"
                + "\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[" + String.join(",", diffIds) + "],\"type\":\"layers\"}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest configDigest = store.content().put(config).digest();
        byte[] manifest = ("{\"config\":{\"digest\":\"" + configDigest + "\",\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                + "\"size\":" + config.length + "},\"layers\":[" + layerDescriptors + "],"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"schemaVersion\":2}").getBytes(StandardCharsets.UTF_8);
        return store.content().put(manifest).digest();
    }

}
