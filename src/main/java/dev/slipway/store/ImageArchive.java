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
import dev.slipway.image.Platform;
import dev.slipway.layer.Compression;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One image of a docker-archive or an OCI image layout, read in place without loading it into
 * the store: its config and its layers, which are streamed from the archive on demand. For
 * analysis, which only reads; {@link ImageLoader} is what verifies and stores.
 */
public final class ImageArchive implements Closeable {
    /** A layer: where it is in the archive, its blob digest (null where the archive names none) and size. */
    public record Layer(String name, String mediaType, Digest digest, long size, Digest diffId) {
    }

    private final ArchiveSource source;
    private Path tarPath;
    private final ImageConfig config;
    private final Digest id;
    private final List<Layer> layers;
    private final List<ImageReference> tags;

    private ImageArchive(ArchiveSource source, ImageConfig config, Digest id, List<Layer> layers,
            List<ImageReference> tags) {
        this.source = source;
        this.config = config;
        this.id = id;
        this.layers = layers;
        this.tags = tags;
    }

    /** Whether {@code path} looks like an archive or layout rather than an image name. */
    public static boolean looksLikeArchive(Path path) {
        return Files.isRegularFile(path) || (Files.isDirectory(path) && Files.exists(path.resolve(ImageLoader.OCI_INDEX)));
    }

    /**
     * Opens the first image of the archive (a docker-archive's first manifest.json entry, an OCI
     * layout's first image manifest, for an index the host platform's).
     */
    public static ImageArchive open(Path path) {
        if (Files.isRegularFile(path)) {
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
                if (Compression.detect(in) != Compression.NONE) {
                    throw new SlipwayException(path + ": a compressed archive cannot be read in place; "
                            + "decompress it first or `slipway load` it");
                }
            } catch (IOException e) {
                throw new SlipwayException(path + ": " + ArchiveSource.oneLine(e), e);
            }
        }
        ArchiveSource source = ArchiveSource.open(path);
        try {
            ImageArchive archive = null;
            if (source.has(ImageLoader.DOCKER_MANIFEST)) {
                archive = dockerArchive(source);
            } else if (source.has(ImageLoader.OCI_INDEX) && source.has(ImageLoader.OCI_LAYOUT)) {
                archive = ociLayout(source);
            }
            if (archive != null) {
                archive.tarPath = Files.isRegularFile(path) ? path : null;
                return archive;
            }
            throw new SlipwayException(source.description()
                    + ": not a docker-archive or OCI image layout (no manifest.json, no oci-layout and index.json)");
        } catch (RuntimeException e) {
            try {
                source.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static ImageArchive dockerArchive(ArchiveSource source) {
        JsonNode entries = ImageJson.readTree(source.read(ImageLoader.DOCKER_MANIFEST, ImageLoader.MAX_JSON));
        if (!entries.isArray() || entries.isEmpty()) {
            throw new SlipwayException(source.description() + ": manifest.json: expected a non-empty list of images");
        }
        JsonNode entry = entries.get(0);
        String configName = entry.path("Config").asText();
        byte[] configBytes = source.read(configName, ImageLoader.MAX_JSON);
        ImageConfig config = ImageJson.readConfig(configBytes);
        List<Digest> diffIds = config.diffIds();
        JsonNode names = entry.path("Layers");
        if (!names.isArray() || names.size() != diffIds.size()) {
            throw new SlipwayException(source.description() + ": manifest.json lists " + names.size()
                    + " layers but the config has " + diffIds.size());
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String name = source.require(names.get(i).asText());
            Digest digest = name.startsWith("blobs/sha256/") ? Digest.parse("sha256:" + name.substring(13)) : null;
            layers.add(new Layer(name, MediaTypes.DOCKER_LAYER, digest, source.size(name), diffIds.get(i)));
        }
        List<ImageReference> tags = new ArrayList<>();
        for (JsonNode tag : entry.path("RepoTags")) {
            tags.add(ImageReference.parse(tag.asText()));
        }
        return new ImageArchive(source, config, Digest.sha256(configBytes), List.copyOf(layers), List.copyOf(tags));
    }

    private static ImageArchive ociLayout(ArchiveSource source) {
        ImageIndex index = ImageJson.readIndex(source.read(ImageLoader.OCI_INDEX, ImageLoader.MAX_JSON));
        Descriptor chosen = null;
        for (Descriptor d : index.manifests()) {
            if (MediaTypes.isManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType())) {
                chosen = d;
                break;
            }
        }
        if (chosen == null) {
            throw new SlipwayException(source.description() + ": index.json names no image");
        }
        List<ImageReference> tags = new ArrayList<>();
        String name = chosen.annotation(ImageLoader.CONTAINERD_NAME);
        if (name == null) {
            String ref = chosen.annotation(Descriptor.REF_NAME);
            name = ref != null && (ref.contains(":") || ref.contains("/")) ? ref : null;
        }
        if (name != null) {
            tags.add(ImageReference.parse(name));
        }
        while (MediaTypes.isIndex(chosen.mediaType())) {
            ImageIndex inner = ImageJson.readIndex(blob(source, chosen.digest()));
            chosen = inner.manifestFor(Platform.host())
                    .or(() -> inner.manifests().stream().filter(d -> MediaTypes.isManifest(d.mediaType())).findFirst())
                    .orElseThrow(() -> new SlipwayException(source.description() + ": index lists no image manifest"));
        }
        Manifest manifest = ImageJson.readManifest(blob(source, chosen.digest()));
        ImageConfig config = ImageJson.readConfig(blob(source, manifest.config().digest()));
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != manifest.layers().size()) {
            throw new SlipwayException(source.description() + ": manifest has " + manifest.layers().size()
                    + " layers but its config has " + diffIds.size());
        }
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < diffIds.size(); i++) {
            Descriptor d = manifest.layers().get(i);
            layers.add(new Layer(source.require(blobName(d.digest())), d.mediaType(), d.digest(), d.size(),
                    diffIds.get(i)));
        }
        return new ImageArchive(source, config, manifest.config().digest(), List.copyOf(layers), List.copyOf(tags));
    }

    private static byte[] blob(ArchiveSource source, Digest digest) {
        byte[] bytes = source.read(blobName(digest), ImageLoader.MAX_JSON);
        digest.verify(bytes, source.description() + " " + blobName(digest));
        return bytes;
    }

    private static String blobName(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    public ImageConfig config() {
        return config;
    }

    /** The config digest: the image ID. */
    public Digest id() {
        return id;
    }

    public List<Layer> layers() {
        return layers;
    }

    public List<ImageReference> tags() {
        return tags;
    }

    /**
     * A layer's bytes as the archive holds them (possibly compressed). Streams of a tar archive
     * each read through their own handle, so several layers can be read at once.
     */
    public InputStream open(Layer layer) {
        if (tarPath == null) {
            return source.open(layer.name());
        }
        ArchiveSource own = new ArchiveSource.TarSource(tarPath);
        return new java.io.FilterInputStream(own.open(layer.name())) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    own.close();
                }
            }
        };
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
