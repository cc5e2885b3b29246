package dev.slipway.store;

import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;

/** Small real images (layer tars, config, manifest) put into a store, and tar helpers for archive tests. */
final class ArchiveFixtures {
    private ArchiveFixtures() {
    }

    record Image(Digest manifest, Digest imageId, List<Digest> diffIds) {
    }

    /** A tar holding the given files ({@code name → content}). */
    static byte[] tar(Map<String, byte[]> files) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(f.getValue().length);
                e.setModTime(0);
                tar.putArchiveEntry(e);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] content) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes)) {
            gz.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] layer(String fileName, String content) {
        return tar(Map.of(fileName, content.getBytes(StandardCharsets.UTF_8)));
    }

    /** Stores an image of the given layer tars (gzipped in the store when {@code gzip}) and tags it. */
    static Image image(Store store, String tag, boolean gzip, byte[]... layers) {
        ImageConfig config = ImageConfig.empty(Platform.host());
        List<Descriptor> descriptors = new ArrayList<>();
        List<Digest> diffIds = new ArrayList<>();
        for (byte[] layer : layers) {
            Digest diffId = Digest.sha256(layer);
            diffIds.add(diffId);
            config = config.withLayer(diffId, new ImageConfig.History("2024-01-01T00:00:00Z", "COPY x /", null));
            byte[] blob = gzip ? gzip(layer) : layer;
            Blob b = store.content().put(blob);
            descriptors.add(new Descriptor(gzip ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.OCI_LAYER, b.digest(), b.size()));
        }
        config = config.withConfig(config.configOrEmpty().toBuilder().cmd(List.of("/bin/sh")).build());
        ImageJson.Encoded<ImageConfig> c = ImageJson.encode(config);
        store.content().put(c.bytes());
        ImageJson.Encoded<Manifest> m = ImageJson.encode(
                Manifest.of(c.descriptor(MediaTypes.OCI_CONFIG), descriptors, false));
        store.content().put(m.bytes());
        if (tag != null) {
            store.references().set(ImageReference.parse(tag), m.digest());
        }
        return new Image(m.digest(), c.digest(), diffIds);
    }

    /** The regular files of a tar, by name. */
    static Map<String, byte[]> entries(byte[] tar) {
        Map<String, byte[]> files = new TreeMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.isFile()) {
                    files.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** Every file under the store's blobs and its refs file: what "the store is untouched" compares. */
    static List<String> snapshot(Store store) {
        List<String> state = new ArrayList<>();
        try {
            if (Files.isDirectory(store.root().blobs())) {
                try (Stream<Path> blobs = Files.list(store.root().blobs())) {
                    blobs.map(p -> p.getFileName().toString()).sorted().forEach(state::add);
                }
            }
            if (Files.exists(store.root().refsFile())) {
                state.add(Files.readString(store.root().refsFile()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return state;
    }
}
