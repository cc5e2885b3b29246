package dev.slipway.build;

import dev.slipway.testing.BusyboxRootfs;
import dev.slipway.image.Descriptor;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.layer.LayerWriter;
import dev.slipway.layer.TreeScanner;
import dev.slipway.store.Blob;
import dev.slipway.store.Store;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A busybox image in a test store, made the way {@code slipway import} makes one: one layer, no history command. */
public final class TestBaseImage {
    private TestBaseImage() {
    }

    public static void create(Store store, Path scratch, String tag) throws Exception {
        Path rootfs = BusyboxRootfs.create(Files.createDirectories(scratch.resolve("busybox-rootfs")));
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.setAttribute(rootfs.resolve("tmp"), "unix:mode", 01777);
        Files.createDirectories(rootfs.resolve("home"));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        new LayerWriter().write(TreeScanner.scanDirectory(rootfs), tar);
        Blob layer = store.content().put(new ByteArrayInputStream(tar.toByteArray()), null);
        ImageConfig config = ImageConfig.empty(Platform.host())
                .withLayer(layer.digest(), new ImageConfig.History("2024-01-01T00:00:00Z", null, "Imported"))
                .withCreated("2024-01-01T00:00:00Z");
        ImageJson.Encoded<ImageConfig> c = ImageJson.encode(config);
        store.content().put(c.bytes());
        Manifest m = Manifest.of(c.descriptor(MediaTypes.OCI_CONFIG),
                List.of(new Descriptor(MediaTypes.OCI_LAYER, layer.digest(), layer.size())), false);
        ImageJson.Encoded<Manifest> em = ImageJson.encode(m);
        store.content().put(em.bytes());
        store.references().set(ImageReference.parse(tag), em.digest());
    }
}
