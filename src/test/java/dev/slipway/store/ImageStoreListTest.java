package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code images}' rows: newest first, an image without a creation time last, ties by name; sizes of uncompressed layers. */
class ImageStoreListTest {
    @TempDir
    Path dir;

    @Test
    void rowsAreNewestFirstThenByName() {
        Store store = new Store(new StoreRoot(dir.resolve("store")), Clock.systemUTC());
        tag(store, "old:1", image(store, "\"2020-01-01T00:00:00Z\"", 10));
        Digest newer = image(store, "\"2024-06-01T12:00:00.5Z\"", 20);
        tag(store, "zeta:1", newer);
        tag(store, "alpha:1", newer);
        tag(store, "undated:1", image(store, null, 30));
        tag(store, "offset:1", image(store, "\"2022-01-01T00:00:00+02:00\"", 40));

        List<ImageStore.Row> rows = new ImageStore(store, Clock.systemUTC()).list(null);

        assertThat(rows).extracting(r -> r.reference().familiarString())
                .containsExactly("alpha:1", "zeta:1", "offset:1", "old:1", "undated:1");
        assertThat(rows).extracting(ImageStore.Row::size).containsExactly(20L, 20L, 40L, 10L, 30L);
    }

    private static void tag(Store store, String name, Digest target) {
        store.references().set(ImageReference.parse(name), target);
    }

    /** An image of one uncompressed layer of {@code size} bytes, created at {@code created} (JSON, or null for none). */
    private static Digest image(Store store, String created, int size) {
        Digest layer = store.content().put(new byte[size]).digest();
        String config = "{\"architecture\":\"amd64\"," + (created == null ? "" : "\"created\":" + created + ",")
                + "\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[\"" + layer + "\"],\"type\":\"layers\"}}";
        byte[] configBytes = config.getBytes(StandardCharsets.UTF_8);
        Digest configDigest = store.content().put(configBytes).digest();
        String manifest = "{\"config\":{\"digest\":\"" + configDigest + "\",\"mediaType\":\"application/vnd.oci.image.config.v1+json\","
                + "\"size\":" + configBytes.length + "},\"layers\":[{\"digest\":\"" + layer
                + "\",\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":" + size + "}],"
                + "\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"schemaVersion\":2}";
        return store.content().put(manifest.getBytes(StandardCharsets.UTF_8)).digest();
    }
}
