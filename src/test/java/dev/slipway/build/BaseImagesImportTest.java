package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Platform;
import dev.slipway.store.ImageImporter;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaseImagesImportTest {
    @TempDir
    Path dir;

    private static byte[] rootfsTar(String hostname) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry etc = new TarArchiveEntry("etc/");
            tar.putArchiveEntry(etc);
            tar.closeArchiveEntry();
            byte[] content = hostname.getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry file = new TarArchiveEntry("etc/hostname");
            file.setSize(content.length);
            tar.putArchiveEntry(file);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    private static ImageImporter.Result importTar(Store store, byte[] tar) {
        return new BaseImages(store, Platform.host()).importRootfs(new ImageImporter.Request(new ByteArrayInputStream(tar),
                "rootfs.tar", ImageReference.parse("imported:1"), List.of(), null), Clock.systemUTC());
    }

    @Test
    void importUnpacksTheLayer() throws IOException {
        Store store = new Store(new StoreRoot(dir), Clock.systemUTC());
        ImageImporter.Result result = importTar(store, rootfsTar("box\n"));
        assertThat(result.layerExisted()).isFalse();
        assertThat(store.layers().path(result.diffId()).resolve("etc/hostname")).hasContent("box");
    }

    /** The blob kept from an earlier import is not the one just hashed: it is verified, never unpacked as it is. */
    @Test
    void aCorruptBlobAlreadyStoredIsRefusedNotUnpacked() throws IOException {
        Store store = new Store(new StoreRoot(dir), Clock.systemUTC());
        byte[] tar = rootfsTar("box\n");
        ImageImporter.Result first = importTar(store, tar);
        Path blob = store.content().path(first.diffId());
        byte[] stored = Files.readAllBytes(blob);
        String text = new String(stored, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("box\n");
        assertThat(at).isPositive();
        stored[at] = 'f';
        Files.write(blob, stored);
        Path layer = store.layers().path(first.diffId());
        HostCommand.deleteTree(layer);

        assertThatThrownBy(() -> importTar(store, tar)).isInstanceOf(SlipwayException.class).hasMessageContaining("corrupt");
        assertThat(layer).doesNotExist();
    }
}
