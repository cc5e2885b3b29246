package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.ImageReference;
import dev.slipway.layer.EntryType;
import dev.slipway.layer.LayerEntry;
import dev.slipway.layer.LayerReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageImporterTest {
    @TempDir
    Path dir;

    /** A tar whose regular files hold their name and position, so that copies can be told apart. */
    private static byte[] tar(TarArchiveEntry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < entries.length; i++) {
                TarArchiveEntry e = entries[i];
                byte[] content = e.isFile() && !e.isLink() ? (e.getName() + i).getBytes(StandardCharsets.UTF_8) : new byte[0];
                e.setSize(content.length);
                t.putArchiveEntry(e);
                t.write(content);
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry file(String name) {
        return new TarArchiveEntry(name, TarConstants.LF_NORMAL, true);
    }

    private static TarArchiveEntry link(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        return e;
    }

    /** The imported layer's entries by path, as "TYPE target-or-content". */
    private Map<String, String> importLayer(Store store, byte[] tar) throws IOException {
        ImageImporter.Result result = new ImageImporter(store, Clock.systemUTC()).importRootfs(
                new ImageImporter.Request(new ByteArrayInputStream(tar), "test", ImageReference.parse("t"), List.of(), null));
        Map<String, String> layer = new TreeMap<>();
        List<String> order = new ArrayList<>();
        try (InputStream in = store.content().open(result.diffId(), true); LayerReader r = new LayerReader(in)) {
            for (LayerEntry e; (e = r.next()) != null; ) {
                order.add(e.path());
                layer.put(e.path(), e.type() + " " + (e.type() == EntryType.HARDLINK ? e.linkTarget()
                        : new String(r.content().readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        assertThat(order).isSorted();
        return layer;
    }

    @Test
    void hardLinksAreRegroupedSoTheContentComesFirstInLayerOrder() throws IOException {
        Store store = new Store(new StoreRoot(dir), Clock.systemUTC());
        Map<String, String> layer = importLayer(store, tar(file("z"), link("a", "z"), link("m", "z")));
        assertThat(layer).containsExactly(Map.entry("a", "FILE z0"), Map.entry("m", "HARDLINK a"),
                Map.entry("z", "HARDLINK a"));
    }

    @Test
    void aPathReplacedAfterBeingLinkedKeepsTheLinkOnTheOldContent() throws IOException {
        Store store = new Store(new StoreRoot(dir), Clock.systemUTC());
        Map<String, String> layer = importLayer(store, tar(file("b"), link("a", "b"), file("b")));
        assertThat(layer).containsExactly(Map.entry("a", "FILE b0"), Map.entry("b", "FILE b2"));
    }
}
