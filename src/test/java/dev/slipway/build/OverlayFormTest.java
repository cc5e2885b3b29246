package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.layer.Xattrs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OverlayFormTest {
    @TempDir
    Path tmp;

    /** Entries as (name, content); a name ending in / is a directory. */
    private static byte[] tar(String... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (int i = 0; i < entries.length; i += 2) {
                boolean dir = entries[i].endsWith("/");
                TarArchiveEntry e = new TarArchiveEntry(entries[i], dir ? TarConstants.LF_DIR : TarConstants.LF_NORMAL,
                        true);
                byte[] content = entries[i + 1].getBytes(StandardCharsets.UTF_8);
                e.setSize(dir ? 0 : content.length);
                e.setModTime(1_700_000_000_000L);
                t.putArchiveEntry(e);
                if (!dir) {
                    t.write(content);
                }
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A tar source that counts how often it is opened. */
    private static OverlayForm.TarSource counting(byte[] tar, AtomicInteger opens) {
        return () -> {
            opens.incrementAndGet();
            return new ByteArrayInputStream(tar);
        };
    }

    @Test
    void aLayerIsUnpackedFromOneReadOfItsTar() throws IOException {
        AtomicInteger opens = new AtomicInteger();
        Path dir = Files.createDirectories(tmp.resolve("layer"));
        OverlayForm.unpack(dir, counting(tar("etc/", "", "etc/passwd", "root:x:0:0::/root:/bin/sh\n", "a.txt", "a"),
                opens));
        assertThat(opens).hasValue(1);
        assertThat(dir.resolve("etc/passwd")).hasContent("root:x:0:0::/root:/bin/sh");
        assertThat(dir.resolve("a.txt")).hasContent("a");
    }

    @Test
    void markersAreCollectedFromTheEntriesAsTheyPass() throws IOException {
        OverlayForm.MarkerScan scan = new OverlayForm.MarkerScan();
        new dev.slipway.layer.LayerExtractor(Files.createDirectories(tmp.resolve("x")))
                .extract(new ByteArrayInputStream(tar("d/", "", "d/.wh..wh..opq", "", "d/new", "n", ".wh.gone", "",
                        ".wh.back", "", "back", "b")), scan);
        OverlayForm.Markers m = scan.markers();
        assertThat(m.opaqueDirs()).containsExactly("d");
        assertThat(m.whiteouts()).containsExactly("gone", "back");
        assertThat(m.written()).contains("d/new", "back").doesNotContain("gone", "d/.wh..wh..opq");
    }

    /** Whiteouts become 0/0 character devices and opaque markers an xattr: both need root. */
    @Test
    @Tag("integration")
    void whiteoutsAndOpaqueMarkersTakeOverlayFormInTheSamePass() throws IOException {
        AtomicInteger opens = new AtomicInteger();
        Path dir = Files.createDirectories(tmp.resolve("layer"));
        OverlayForm.unpack(dir, counting(tar("d/", "", "d/.wh..wh..opq", "", "d/new", "n", ".wh.gone", "",
                ".wh.back", "", "back", "b"), opens));
        assertThat(opens).hasValue(1);
        int mode = (Integer) Files.getAttribute(dir.resolve("gone"), "unix:mode", LinkOption.NOFOLLOW_LINKS);
        assertThat(mode & 0170000).isEqualTo(0020000);
        assertThat(Files.getAttribute(dir.resolve("gone"), "unix:rdev", LinkOption.NOFOLLOW_LINKS)).isEqualTo(0L);
        assertThat(dir.resolve("back")).hasContent("b");
        assertThat(Xattrs.readTree(dir, "trusted\\.overlay\\..*").get("d").get("trusted.overlay.opaque"))
                .isEqualTo("y".getBytes(StandardCharsets.US_ASCII));
        assertThat(dir.resolve("d/new")).hasContent("n");
    }
}
