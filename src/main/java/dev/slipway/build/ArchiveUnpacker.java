package dev.slipway.build;

import dev.slipway.layer.Compression;
import dev.slipway.layer.LayerExtractor;
import dev.slipway.layer.LayerReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/**
 * ADD's archive handling: a regular file whose content (once gzip, bzip2, xz or zstd is taken
 * off, told by magic bytes, never by the name) starts with a valid tar header is unpacked into
 * the destination directory; anything else is copied as a file. Both the header check and the
 * unpacking go through {@link LayerReader} (the latter via the layer extractor), the one tar reader,
 * so a hostile archive meets the same checks as a layer and cannot write outside the destination. Entries keep the owners
 * the archive gives them (Docker's ADD does not apply --chown to them), and the archive's own
 * {@code ./} entry does not change the destination directory.
 */
final class ArchiveUnpacker {
    private ArchiveUnpacker() {
    }

    static boolean isArchive(Path file) {
        try (InputStream in = open(file)) {
            return LayerReader.startsWithHeader(in);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static void unpack(Path archive, Path destDir) throws IOException {
        Map<String, Object> before = Files.readAttributes(destDir, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        try (InputStream in = open(archive)) {
            new LayerExtractor(destDir).extract(in);
        }
        Files.setAttribute(destDir, "unix:uid", before.get("uid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(destDir, "unix:gid", before.get("gid"), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(destDir, "unix:mode", (int) before.get("mode") & 07777, LinkOption.NOFOLLOW_LINKS);
        Files.getFileAttributeView(destDir, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes((FileTime) before.get("lastModifiedTime"), null, null);
    }

    private static InputStream open(Path file) throws IOException {
        return Compression.decompressing(new BufferedInputStream(Files.newInputStream(file), 1 << 16));
    }
}
