package dev.slipway.registry;

import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.store.Blob;
import dev.slipway.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/** Real images (gzipped tar layers, config, manifest) written into a store and tagged, for registry tests. */
public final class TestImage {
    private TestImage() {
    }

    public record Written(ImageReference reference, Digest manifest, Manifest document, byte[] manifestBytes) {
        public List<Digest> blobs() {
            List<Digest> all = new ArrayList<>();
            all.add(document.config().digest());
            document.layers().forEach(l -> all.add(l.digest()));
            return all;
        }
    }

    /** An image of {@code layers} layers, each one file of {@code bytesPerLayer} random (incompressible) bytes. */
    public static Written create(Store store, String reference, int layers, int bytesPerLayer, long seed, boolean docker)
            throws IOException {
        return create(store, reference, layers, bytesPerLayer, seed, docker, Platform.host());
    }

    public static Written create(Store store, String reference, int layers, int bytesPerLayer, long seed, boolean docker,
            Platform platform) throws IOException {
        Random random = new Random(seed);
        ImageConfig config = ImageConfig.empty(platform).withCreated("2026-01-01T00:00:00Z");
        List<Descriptor> layerDescriptors = new ArrayList<>();
        Path tmp = Files.createTempFile("slipway-test-layer", ".tgz");
        try {
            for (int i = 0; i < layers; i++) {
                byte[] data = new byte[bytesPerLayer];
                random.nextBytes(data);
                Digest diffId;
                try (OutputStream file = Files.newOutputStream(tmp)) {
                    diffId = writeLayer(file, "layer" + i + ".bin", data);
                }
                Blob blob;
                try (var in = Files.newInputStream(tmp)) {
                    blob = store.content().put(in, null);
                }
                layerDescriptors.add(new Descriptor(
                        docker ? MediaTypes.DOCKER_LAYER_GZIP : MediaTypes.OCI_LAYER_GZIP, blob.digest(), blob.size()));
                config = config.withLayer(diffId, new ImageConfig.History("2026-01-01T00:00:00Z",
                        "test layer " + i, null));
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
        byte[] configBytes = ImageJson.write(config);
        Blob configBlob = store.content().put(configBytes);
        Manifest manifest = Manifest.of(new Descriptor(docker ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG,
                configBlob.digest(), configBlob.size()), layerDescriptors, docker);
        byte[] manifestBytes = ImageJson.write(manifest);
        Digest manifestDigest = store.content().put(manifestBytes).digest();
        ImageReference ref = ImageReference.parse(reference);
        store.references().set(ref, manifestDigest);
        return new Written(ref, manifestDigest, manifest, manifestBytes);
    }

    /** Writes a tar.gz with one file; returns the digest of the uncompressed tar. */
    private static Digest writeLayer(OutputStream out, String name, byte[] data) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream(data.length + 4096);
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar)) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setSize(data.length);
            e.setModTime(0);
            e.setMode(0644);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        byte[] tarBytes = tar.toByteArray();
        GzipParameters p = new GzipParameters();
        p.setCompressionLevel(1);
        try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out, p)) {
            gz.write(tarBytes);
        }
        return Digest.sha256(tarBytes);
    }
}
