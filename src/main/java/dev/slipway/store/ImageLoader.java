package dev.slipway.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageIndex;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.layer.Compression;
import dev.slipway.layer.DigestingInputStream;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code load}: reads a docker-archive (what {@code docker save} writes, the legacy
 * {@code <id>/layer.tar} layout as well as Docker 25's OCI-layout-inside layout) or an OCI image
 * layout (a tar or a directory) into the store.
 *
 * <p>Everything is verified before anything is stored: every blob against its digest and size,
 * every layer's uncompressed content against the config's diffID. Only then are blobs written and
 * tags set, so a truncated or corrupt archive leaves the store as it was.
 */
public final class ImageLoader {
    static final long MAX_JSON = 8L << 20;
    private static final int BUFFER = 1 << 16;
    static final String DOCKER_MANIFEST = "manifest.json";
    static final String OCI_LAYOUT = "oci-layout";
    static final String OCI_INDEX = "index.json";
    static final String CONTAINERD_NAME = "io.containerd.image.name";

    /** What kind of archive was read. */
    public enum Format {
        DOCKER_ARCHIVE, OCI_LAYOUT
    }

    /**
     * One image read: the manifest (or index) stored, the image ID (config digest; null for an
     * index) and the tags set, none when the archive names none.
     */
    public record Loaded(Digest manifest, Digest imageId, List<ImageReference> tags) {
    }

    public record Result(Format format, List<Loaded> images) {
    }

    private final Store store;
    private final TransferProgress progress;

    public ImageLoader(Store store) {
        this(store, TransferProgress.NONE);
    }

    /** A loader reporting the blobs it verifies and stores to {@code progress}. */
    public ImageLoader(Store store, TransferProgress progress) {
        this.store = store;
        this.progress = progress;
    }

    /** Loads a tar (plain or gzip/zstd-compressed) or an OCI layout directory. */
    public Result load(Path input) {
        if (!Files.exists(input)) {
            throw new SlipwayException("open " + input + ": no such file or directory");
        }
        try (Store.Session session = store.session()) {
            if (Files.isDirectory(input)) {
                try (ArchiveSource source = new ArchiveSource.DirectorySource(input)) {
                    return load(source);
                }
            }
            try (BufferedInputStream in = new BufferedInputStream(Files.newInputStream(input), BUFFER)) {
                if (Compression.detect(in) == Compression.NONE) {
                    try (ArchiveSource source = new ArchiveSource.TarSource(input)) {
                        return load(source);
                    }
                }
                return loadSpooled(in, input.toString());
            }
        } catch (IOException e) {
            throw new SlipwayException(input + ": " + ArchiveSource.oneLine(e), e);
        }
    }

    /** Loads a tar from a stream (stdin); it is spooled into the store's temp directory first. */
    public Result load(InputStream in) {
        try (Store.Session session = store.session()) {
            return loadSpooled(new BufferedInputStream(in, BUFFER), "stdin");
        } catch (IOException e) {
            throw new SlipwayException("stdin: " + ArchiveSource.oneLine(e), e);
        }
    }

    private Result loadSpooled(BufferedInputStream in, String description) throws IOException {
        Path spool = AtomicFiles.tempName(store.root().tmp(), "load");
        try {
            try (InputStream decompressed = Compression.decompressing(in);
                    OutputStream out = Files.newOutputStream(spool)) {
                decompressed.transferTo(out);
            } catch (IOException e) {
                throw new SlipwayException(description + ": cannot read archive: " + ArchiveSource.oneLine(e), e);
            }
            try (ArchiveSource source = new ArchiveSource.TarSource(spool, description)) {
                return load(source);
            }
        } finally {
            Files.deleteIfExists(spool);
        }
    }

    private Result load(ArchiveSource source) {
        Plan plan = new Plan(source);
        Result result;
        if (source.has(DOCKER_MANIFEST)) {
            result = new Result(Format.DOCKER_ARCHIVE, plan.dockerArchive());
        } else if (source.has(OCI_INDEX) && source.has(OCI_LAYOUT)) {
            result = new Result(Format.OCI_LAYOUT, plan.ociLayout());
        } else {
            throw new SlipwayException(source.description()
                    + ": not a docker-archive or OCI image layout (no manifest.json, no oci-layout and index.json)");
        }
        plan.commit(result.images());
        return result;
    }

    /** A blob to store: from the archive by name, or bytes Slipway made (a docker-archive's manifest). */
    private record Planned(String name, byte[] bytes) {
    }

    private final class Plan {
        private final ArchiveSource source;
        private final Map<Digest, Planned> blobs = new LinkedHashMap<>();
        private final Map<String, Digests> hashedLayers = new HashMap<>();

        Plan(ArchiveSource source) {
            this.source = source;
        }

        List<Loaded> dockerArchive() {
            JsonNode entries = ImageJson.readTree(source.read(DOCKER_MANIFEST, MAX_JSON));
            if (!entries.isArray() || entries.isEmpty()) {
                throw error("manifest.json: expected a non-empty list of images");
            }
            List<Loaded> loaded = new ArrayList<>();
            for (JsonNode entry : entries) {
                String configName = text(entry, "Config");
                byte[] configBytes = source.read(configName, MAX_JSON);
                ImageConfig config = config(configName, configBytes);
                Digest imageId = Digest.sha256(configBytes);
                JsonNode layerNames = entry.path("Layers");
                List<Digest> diffIds = config.diffIds();
                if (!layerNames.isArray() || layerNames.size() != diffIds.size()) {
                    throw error("manifest.json lists " + layerNames.size() + " layers for " + configName
                            + " but its config has " + diffIds.size());
                }
                List<Descriptor> layers = new ArrayList<>();
                for (int i = 0; i < diffIds.size(); i++) {
                    String name = source.require(layerNames.get(i).asText());
                    Digests d = hashedLayers.computeIfAbsent(name, n -> hash(n, null));
                    checkDiffId(name, d, diffIds.get(i));
                    layers.add(new Descriptor(d.compression().layerMediaType(false), d.digest(), d.size()));
                    blobs.putIfAbsent(d.digest(), new Planned(name, null));
                }
                blobs.putIfAbsent(imageId, new Planned(null, configBytes));
                Descriptor configDescriptor = new Descriptor(MediaTypes.OCI_CONFIG, imageId, configBytes.length);
                ImageJson.Encoded<Manifest> manifest = ImageJson.encode(Manifest.of(configDescriptor, layers, false));
                blobs.putIfAbsent(manifest.digest(), new Planned(null, manifest.bytes()));
                List<ImageReference> tags = new ArrayList<>();
                for (JsonNode tag : entry.path("RepoTags")) {
                    tags.add(reference(tag.asText()));
                }
                loaded.add(new Loaded(manifest.digest(), imageId, List.copyOf(tags)));
            }
            return loaded;
        }

        List<Loaded> ociLayout() {
            JsonNode layout = ImageJson.readTree(source.read(OCI_LAYOUT, 4096));
            if (!layout.path("imageLayoutVersion").isTextual()) {
                throw error("oci-layout: no imageLayoutVersion");
            }
            ImageIndex index;
            try {
                index = ImageJson.readIndex(source.read(OCI_INDEX, MAX_JSON));
            } catch (SlipwayException e) {
                throw error("index.json: " + e.getMessage());
            }
            List<Loaded> loaded = new ArrayList<>();
            for (Descriptor d : index.manifests()) {
                Digest imageId;
                if (MediaTypes.isManifest(d.mediaType())) {
                    imageId = manifest(d);
                } else if (MediaTypes.isIndex(d.mediaType())) {
                    index(d);
                    imageId = null;
                } else {
                    continue;
                }
                loaded.add(new Loaded(d.digest(), imageId, tags(d)));
            }
            if (loaded.isEmpty()) {
                throw error("index.json names no image");
            }
            return loaded;
        }

        /** Plans an image manifest and everything it references; returns the image ID. */
        private Digest manifest(Descriptor d) {
            Manifest manifest = ImageJson.readManifest(blob(d));
            byte[] configBytes = blob(manifest.config());
            ImageConfig config = config(blobName(manifest.config().digest()), configBytes);
            List<Digest> diffIds = config.diffIds();
            if (manifest.layers().size() != diffIds.size()) {
                throw error("manifest " + d.digest() + " has " + manifest.layers().size()
                        + " layers but its config has " + diffIds.size());
            }
            for (int i = 0; i < diffIds.size(); i++) {
                Descriptor layer = manifest.layers().get(i);
                if (!MediaTypes.isLayer(layer.mediaType())) {
                    throw error("manifest " + d.digest() + ": unsupported layer media type " + layer.mediaType());
                }
                String name = blobName(layer.digest());
                Digests hashed = hashedLayers.computeIfAbsent(name,
                        n -> hash(n, Compression.ofMediaType(layer.mediaType())));
                if (!hashed.digest().equals(layer.digest()) || hashed.size() != layer.size()) {
                    throw corrupt(name, layer.digest(), hashed.digest());
                }
                checkDiffId(name, hashed, diffIds.get(i));
                blobs.putIfAbsent(layer.digest(), new Planned(name, null));
            }
            blobs.putIfAbsent(manifest.config().digest(), new Planned(null, configBytes));
            return manifest.config().digest();
        }

        /** Plans an index and those of its children the layout holds (a layout may omit some). */
        private void index(Descriptor d) {
            ImageIndex index = ImageJson.readIndex(blob(d));
            int present = 0;
            for (Descriptor child : index.manifests()) {
                if (!source.has(blobName(child.digest()))) {
                    continue;
                }
                if (MediaTypes.isManifest(child.mediaType())) {
                    manifest(child);
                    present++;
                } else if (MediaTypes.isIndex(child.mediaType())) {
                    index(child);
                    present++;
                }
            }
            if (present == 0) {
                throw error("index " + d.digest() + ": none of its manifests is in the layout");
            }
        }

        /** Reads a small blob, checks it and plans to store it. */
        private byte[] blob(Descriptor d) {
            String name = blobName(d.digest());
            byte[] bytes = source.read(name, MAX_JSON);
            Digest actual = Digest.sha256(bytes);
            if (!actual.equals(d.digest()) || bytes.length != d.size()) {
                throw corrupt(name, d.digest(), actual);
            }
            blobs.putIfAbsent(d.digest(), new Planned(null, bytes));
            return bytes;
        }

        private List<ImageReference> tags(Descriptor d) {
            String name = d.annotation(CONTAINERD_NAME);
            if (name == null) {
                String refName = d.annotation(Descriptor.REF_NAME);
                name = refName != null && (refName.contains(":") || refName.contains("/")) ? refName : null;
            }
            return name == null ? List.of() : List.of(reference(name));
        }

        private Digests hash(String name, Compression compression) {
            progress.started(name, "Verifying", source.size(name));
            try (InputStream in = TransferProgress.counting(source.open(name), progress, name, 0)) {
                Digests d = digests(in, compression);
                progress.finished(name, null);
                if (d.size() != source.size(name)) {
                    throw error(name + " is truncated (" + d.size() + " of " + source.size(name) + " bytes)");
                }
                return d;
            } catch (IOException e) {
                throw error(name + ": " + ArchiveSource.oneLine(e));
            }
        }

        private void checkDiffId(String name, Digests d, Digest diffId) {
            if (!d.uncompressed().equals(diffId)) {
                throw error("layer " + name + " does not match the image config: its content hashes to "
                        + d.uncompressed() + ", the config says " + diffId);
            }
        }

        private ImageConfig config(String name, byte[] bytes) {
            try {
                ImageConfig config = ImageJson.readConfig(bytes);
                if (config.rootfs() == null) {
                    throw new SlipwayException("no rootfs");
                }
                return config;
            } catch (SlipwayException e) {
                throw error(name + ": " + e.getMessage());
            }
        }

        private ImageReference reference(String text) {
            try {
                return ImageReference.parse(text);
            } catch (SlipwayException e) {
                throw error("invalid image name " + text + ": " + e.getMessage());
            }
        }

        private String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value == null || !value.isTextual()) {
                throw error("manifest.json: an entry has no " + field);
            }
            return value.asText();
        }

        private SlipwayException corrupt(String name, Digest expected, Digest actual) {
            return error(name + " is corrupt: expected " + expected + ", content hashes to " + actual);
        }

        private SlipwayException error(String message) {
            return new SlipwayException(source.description() + ": " + message);
        }

        /** Stores the verified blobs, then sets the tags. */
        void commit(List<Loaded> images) {
            for (Map.Entry<Digest, Planned> blob : blobs.entrySet()) {
                Planned p = blob.getValue();
                if (p.bytes() != null) {
                    store.content().put(new ByteArrayInputStream(p.bytes()), blob.getKey());
                } else {
                    String id = blob.getKey().toString();
                    long size = source.size(p.name());
                    progress.started(id, "Loading", size);
                    try (InputStream in = TransferProgress.counting(source.open(p.name()), progress, id, 0)) {
                        store.content().put(in, blob.getKey());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    progress.finished(id, "Loaded (" + DockerFormat.humanSize(size) + ")");
                }
            }
            for (Loaded image : images) {
                for (ImageReference tag : image.tags()) {
                    store.references().set(tag, image.manifest());
                }
            }
        }
    }

    /** The digest and size of a whole blob, and of its decompressed content. */
    private record Digests(Digest digest, long size, Digest uncompressed, long uncompressedSize, Compression compression) {
    }

    /**
     * Reads a blob to its end, hashing it as it is and as it decompresses, in one pass; the
     * compression is the given one or, when null, detected.
     */
    private static Digests digests(InputStream raw, Compression compression) throws IOException {
        DigestingInputStream outer = new DigestingInputStream(raw);
        BufferedInputStream buffered = new BufferedInputStream(outer, BUFFER);
        Compression actual = compression != null ? compression : Compression.detect(buffered);
        DigestingInputStream inner;
        try (InputStream decompressed = actual.decompress(buffered)) {
            inner = new DigestingInputStream(decompressed);
            inner.drain();
            buffered.transferTo(OutputStream.nullOutputStream());
        }
        return new Digests(outer.digest(), outer.count(), inner.digest(), inner.count(), actual);
    }

    private static String blobName(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }
}
