package dev.slipway.scan;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Builds layer tars in memory for catalogue tests. */
final class TestLayers {
    private final List<Object[]> entries = new ArrayList<>();

    TestLayers file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    TestLayers file(String path, byte[] content, int mode) {
        entries.add(new Object[] {path, content, mode});
        return this;
    }

    TestLayers whiteout(String path) {
        int slash = path.lastIndexOf('/');
        return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), "");
    }

    byte[] tar(boolean gzip) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var sink = gzip ? new GzipCompressorOutputStream(bytes) : bytes;
                TarArchiveOutputStream t = new TarArchiveOutputStream(sink)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Object[] e : entries) {
                byte[] content = (byte[]) e[1];
                TarArchiveEntry entry = new TarArchiveEntry((String) e[0]);
                entry.setMode((Integer) e[2]);
                entry.setSize(content.length);
                t.putArchiveEntry(entry);
                t.write(content);
                t.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    LayerInput input(String diffId) {
        byte[] tar = tar(true);
        return new LayerInput(diffId, "RUN test", () -> new ByteArrayInputStream(tar));
    }
}
