package dev.slipway.store;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageDocument;
import dev.slipway.image.ImageIndex;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.layer.Compression;
import dev.slipway.layer.DigestingInputStream;
import dev.slipway.image.Platform;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * {@code save} and {@code export-oci}: writes images from the store as a docker-archive or an OCI
 * image layout (a tar or a directory).
 *
 * <p>The docker-archive is the layout Docker 25+ writes, which Docker 20.10's {@code docker load}
 * also reads: an OCI layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/...}) with
 * uncompressed layers named by their diffIDs, plus {@code manifest.json} (Config, RepoTags, Layers,
 * paths into {@code blobs/}) and {@code repositories}. The OCI layout formats copy the stored blobs
 * as they are, so manifest digests do not change. Tags go into {@code index.json} as
 * {@code org.opencontainers.image.ref.name} (the tag alone, as containerd and Docker write it, which
 * is what {@code skopeo oci:DIR:TAG} and {@code umoci --image DIR:TAG} look up) and
 * {@code io.containerd.image.name} (the full name).
 */
public final class ImageSaver {
    private static final int BUFFER = 1 << 16;
    /** The output formats; names as podman and skopeo spell them, with Docker-ish aliases. */
    public enum Format {
        DOCKER_ARCHIVE("docker-archive"), OCI_ARCHIVE("oci-archive"), OCI_DIR("oci-dir");

        private final String flag;

        Format(String flag) {
            this.flag = flag;
        }

        public String flag() {
            return flag;
        }

        public static Format parse(String text) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "docker-archive", "docker" -> DOCKER_ARCHIVE;
                case "oci-archive", "oci" -> OCI_ARCHIVE;
                case "oci-dir", "oci-layout" -> OCI_DIR;
                default -> throw new SlipwayException("unknown format: " + text
                        + " (expected docker-archive, oci-archive or oci-dir)");
            };
        }
    }

    /**
     * An image named on the command line: its tag (null when named by ID), what the store holds for
     * it, and the image as {@link ImageStore#resolve} read it (kept so that its documents are not read
     * and parsed again: parsing a manifest or config in the interpreter costs a short command
     * milliseconds each time).
     */
    public record Selected(ImageReference tag, Digest target, ImageStore.Image image) {
    }

    private final Store store;
    private final TransferProgress progress;

    public ImageSaver(Store store) {
        this(store, TransferProgress.NONE);
    }

    /** A saver reporting each blob it writes to {@code progress}. */
    public ImageSaver(Store store, TransferProgress progress) {
        this.store = store;
        this.progress = progress;
    }

    /**
     * Finds an image as {@link ImageStore#resolve} does (reference, image ID or unique ID prefix);
     * the tag is the reference when the image was named by one.
     */
    public Selected resolve(String name) {
        ImageStore.Image image = new ImageStore(store, Clock.systemUTC()).resolve(name);
        ImageReference tag = null;
        try {
            ImageReference ref = ImageReference.parse(name);
            for (TagRecord t : image.tags()) {
                if (t.reference().equals(ref)) {
                    tag = ref;
                    break;
                }
            }
        } catch (SlipwayException namedById) {
            tag = null;
        }
        return new Selected(tag, image.target(), image);
    }

    private List<Selected> resolveAll(List<String> names) {
        List<Selected> selected = new ArrayList<>(names.size());
        for (String name : names) {
            selected.add(resolve(name));
        }
        return selected;
    }

    /** Writes the images to a file (a tar, written atomically) or, for {@link Format#OCI_DIR}, a new directory. */
    public void save(List<String> images, Format format, Path output) {
        List<Selected> selected = resolveAll(images);
        Path parent = output.toAbsolutePath().getParent();
        Path temp = parent.resolve("." + output.getFileName() + ".tmp-" + AtomicFiles.pid());
        boolean moved = false;
        try {
            if (format == Format.OCI_DIR) {
                checkEmptyOrAbsent(output);
                Files.createDirectory(temp);
                try (ArchiveSink sink = new ArchiveSink.Directory(temp)) {
                    write(selected, format, sink);
                }
                if (Files.exists(output)) {
                    Files.delete(output);
                }
                Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE);
            } else {
                if (Files.isDirectory(output)) {
                    throw new SlipwayException(output + " is a directory (use --format oci-dir to write a layout directory)");
                }
                // As Files.newOutputStream: a leftover of a crashed save that had this pid is overwritten.
                try (FileChannel file = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING);
                        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(file), BUFFER)) {
                    ArchiveSink.Tar sink = new ArchiveSink.Tar(out, file);
                    write(selected, format, sink);
                    sink.commit();
                }
                // rename(2), as Files.move with ATOMIC_MOVE does, through java.io, whose few lines the
                // interpreter runs faster than NIO's copy-or-move set-up; on failure Files.move tells why.
                if (!temp.toFile().renameTo(output.toFile())) {
                    Files.move(temp, output, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
                moved = true;
            }
        } catch (IOException e) {
            throw new SlipwayException("cannot write " + output + ": " + ArchiveSource.oneLine(e), e);
        } finally {
            if (!moved) {
                deleteQuietly(temp);
            }
        }
    }

    /** Writes a tar format to a stream (stdout). */
    public void save(List<String> images, Format format, OutputStream out) {
        if (format == Format.OCI_DIR) {
            throw new SlipwayException("the oci-dir format needs an output directory (-o DIR)");
        }
        try {
            writeTar(resolveAll(images), format, out);
        } catch (IOException e) {
            throw new SlipwayException("cannot write archive: " + ArchiveSource.oneLine(e), e);
        }
    }

    private void writeTar(List<Selected> selected, Format format, OutputStream out) throws IOException {
        ArchiveSink.Tar sink = new ArchiveSink.Tar(out);
        write(selected, format, sink);
        sink.commit();
    }

    private void write(List<Selected> selected, Format format, ArchiveSink sink) throws IOException {
        try (Store.Session session = store.session()) {
            sink.directory("blobs");
            sink.directory("blobs/sha256");
            Map<Digest, List<ImageReference>> targets = new LinkedHashMap<>();
            Map<Digest, ImageStore.Image> images = new HashMap<>();
            for (Selected s : selected) {
                List<ImageReference> tags = targets.get(s.target());
                if (tags == null) {
                    tags = new ArrayList<>();
                    targets.put(s.target(), tags);
                    images.put(s.target(), s.image());
                }
                if (s.tag() != null && s.tag().tag() != null && !tags.contains(s.tag())) {
                    tags.add(s.tag());
                }
            }
            if (format == Format.DOCKER_ARCHIVE) {
                writeDockerArchive(targets, images, sink);
            } else {
                writeOciLayout(targets, sink);
            }
        }
    }

    private void writeDockerArchive(Map<Digest, List<ImageReference>> targets, Map<Digest, ImageStore.Image> images,
            ArchiveSink sink) throws IOException {
        JsonNodeFactory json = JsonNodeFactory.instance;
        List<Descriptor> indexEntries = new ArrayList<>();
        ArrayNode manifestJson = json.arrayNode();
        Map<String, Map<String, String>> repositories = new TreeMap<>();
        for (Map.Entry<Digest, List<ImageReference>> target : targets.entrySet()) {
            ImageStore.Image image = images.get(target.getKey());
            Manifest manifest;
            ImageConfig config;
            Digest manifestDigest;
            byte[] configBytes;
            if (image != null && image.manifestDigest().equals(target.getKey())) {
                // The target is itself a manifest, the one platformManifest would choose, and the
                // resolved image holds it and its config as they would be parsed here again.
                manifestDigest = target.getKey();
                manifest = image.manifest();
                configBytes = store.content().read(manifest.config().digest());
                config = image.config();
            } else {
                manifestDigest = platformManifest(target.getKey());
                manifest = ImageJson.readManifest(store.content().read(manifestDigest));
                configBytes = store.content().read(manifest.config().digest());
                config = ImageJson.readConfig(configBytes);
            }
            List<Digest> diffIds = config.diffIds();
            if (diffIds.size() != manifest.layers().size()) {
                throw new SlipwayException("image " + manifestDigest + ": manifest has " + manifest.layers().size()
                        + " layers but its config has " + diffIds.size());
            }
            List<Descriptor> layers = new ArrayList<>();
            ArrayNode layerNames = json.arrayNode();
            boolean reusable = MediaTypes.OCI_MANIFEST.equals(manifest.effectiveMediaType())
                    && MediaTypes.OCI_CONFIG.equals(manifest.config().mediaType());
            for (int i = 0; i < diffIds.size(); i++) {
                Descriptor layer = manifest.layers().get(i);
                String name = blobName(diffIds.get(i));
                long size = writeUncompressedLayer(layer, diffIds.get(i), name, sink);
                reusable &= MediaTypes.OCI_LAYER.equals(layer.mediaType());
                layers.add(new Descriptor(MediaTypes.OCI_LAYER, diffIds.get(i), size));
                layerNames.add(name);
            }
            Digest imageId = manifest.config().digest();
            sink.file(blobName(imageId), configBytes);
            ImageJson.Encoded<?> ociManifest = reusable
                    ? new ImageJson.Encoded<>(manifest, store.content().read(manifestDigest), manifestDigest)
                    : ImageJson.encode(Manifest.of(new Descriptor(MediaTypes.OCI_CONFIG, imageId, configBytes.length),
                            layers, false));
            sink.file(blobName(ociManifest.digest()), ociManifest.bytes());

            ObjectNode entry = manifestJson.addObject();
            entry.put("Config", blobName(imageId));
            ArrayNode repoTags = entry.putArray("RepoTags");
            entry.set("Layers", layerNames);
            Descriptor descriptor = ociManifest.descriptor(MediaTypes.OCI_MANIFEST);
            if (target.getValue().isEmpty()) {
                indexEntries.add(descriptor);
            }
            for (ImageReference tag : target.getValue()) {
                repoTags.add(tag.familiarString());
                indexEntries.add(descriptor.withAnnotations(refAnnotations(tag)));
                if (!diffIds.isEmpty()) {
                    Map<String, String> repository = repositories.get(tag.familiarName());
                    if (repository == null) {
                        repository = new TreeMap<>();
                        repositories.put(tag.familiarName(), repository);
                    }
                    repository.put(tag.tag(), diffIds.get(diffIds.size() - 1).hex());
                }
            }
        }
        sink.file("index.json", ImageJson.write(ImageIndex.of(indexEntries)));
        sink.file("manifest.json", ImageJson.write(manifestJson));
        sink.file("oci-layout", ociLayout());
        sink.file("repositories", ImageJson.write(repositories));
    }

    /** Writes a layer uncompressed under its diffID's name, once; returns its uncompressed size. */
    private long writeUncompressedLayer(Descriptor layer, Digest diffId, String name, ArchiveSink sink)
            throws IOException {
        // Compared as media types first: initialising Compression loads every codec's classes, which
        // a save of uncompressed layers (all of Slipway's own) never uses.
        if (MediaTypes.layerCompression(layer.mediaType()) == MediaTypes.Compression.NONE) {
            if (!layer.digest().equals(diffId)) {
                throw new SlipwayException("layer " + layer.digest() + " does not match its diffID " + diffId);
            }
            return copyBlob(layer.digest(), sink);
        }
        Compression compression = Compression.ofMediaType(layer.mediaType());
        String id = layer.digest().toString();
        long compressedSize = store.content().size(layer.digest());
        progress.started(id, "Decompressing", compressedSize);
        Path temp = AtomicFiles.tempName(store.root().tmp(), "layer");
        try {
            DigestingInputStream hashing;
            try (InputStream in = compression.decompress(TransferProgress.counting(
                            store.content().open(layer.digest(), true), progress, id, 0));
                    OutputStream out = Files.newOutputStream(temp)) {
                hashing = new DigestingInputStream(in);
                hashing.transferTo(out);
            }
            if (!hashing.digest().equals(diffId)) {
                throw new SlipwayException("layer " + layer.digest() + " decompresses to " + hashing.digest()
                        + ", not to its diffID " + diffId);
            }
            progress.started(id, "Writing", hashing.count());
            if (!progress.shown()) {
                sink.file(name, hashing.count(), temp);
            } else {
                try (InputStream in = TransferProgress.counting(Files.newInputStream(temp), progress, id, 0)) {
                    sink.file(name, hashing.count(), in);
                }
                progress.finished(id, "Saved (" + DockerFormat.humanSize(hashing.count()) + ")");
            }
            return hashing.count();
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private void writeOciLayout(Map<Digest, List<ImageReference>> targets, ArchiveSink sink) throws IOException {
        List<Descriptor> indexEntries = new ArrayList<>();
        for (Map.Entry<Digest, List<ImageReference>> target : targets.entrySet()) {
            Descriptor descriptor = copyTree(target.getKey(), sink);
            if (target.getValue().isEmpty()) {
                indexEntries.add(descriptor);
            }
            for (ImageReference tag : target.getValue()) {
                indexEntries.add(descriptor.withAnnotations(refAnnotations(tag)));
            }
        }
        sink.file("oci-layout", ociLayout());
        sink.file("index.json", ImageJson.write(ImageIndex.of(indexEntries)));
    }

    /** Copies a manifest or index and everything it references; returns its descriptor. */
    private Descriptor copyTree(Digest digest, ArchiveSink sink) throws IOException {
        byte[] bytes = store.content().read(digest);
        ImageDocument doc = ImageJson.read(bytes);
        String mediaType;
        if (doc instanceof Manifest manifest) {
            mediaType = manifest.effectiveMediaType();
            copyBlob(manifest.config().digest(), sink);
            for (Descriptor layer : manifest.layers()) {
                copyBlob(layer.digest(), sink);
            }
        } else if (doc instanceof ImageIndex index) {
            mediaType = index.effectiveMediaType();
            for (Descriptor child : index.manifests()) {
                if (store.content().has(child.digest())) {
                    copyTree(child.digest(), sink);
                }
            }
        } else {
            throw new SlipwayException(digest + " is an image config, not a manifest");
        }
        sink.file(blobName(digest), bytes);
        return new Descriptor(mediaType, digest, bytes.length);
    }

    /** Copies a blob once under its name; returns its size. */
    private long copyBlob(Digest digest, ArchiveSink sink) throws IOException {
        String name = blobName(digest);
        if (sink.contains(name)) {
            return store.content().size(digest);
        }
        long size = store.content().size(digest);
        // Not hashed again: the store checked the digest when the blob came in and names it only
        // once whole, and whoever reads the archive checks it (docker load: the diffIDs; OCI tools:
        // the blob names). Hashing here was a third of the CPU of a small save (docker save does not).
        if (!progress.shown()) {
            // No one watches: the file itself, which a tar file copies in the kernel.
            sink.file(name, size, store.content().path(digest));
            return size;
        }
        String id = digest.toString();
        progress.started(id, "Writing", size);
        try (InputStream in = TransferProgress.counting(store.content().open(digest, false), progress, id, 0)) {
            sink.file(name, size, in);
        }
        progress.finished(id, "Saved (" + DockerFormat.humanSize(size) + ")");
        return size;
    }

    /** The manifest to save for a target: itself, or the host platform's from an index. */
    private Digest platformManifest(Digest target) {
        ImageDocument doc = ImageJson.read(store.content().read(target));
        if (doc instanceof ImageIndex index) {
            Platform host = Platform.host();
            return index.manifests().stream()
                    .filter(d -> d.platform() != null && host.matches(d.platform()) && store.content().has(d.digest()))
                    .findFirst()
                    .map(d -> platformManifest(d.digest()))
                    .orElseThrow(() -> new SlipwayException("image " + target + " has no manifest for " + host));
        }
        if (!(doc instanceof Manifest)) {
            throw new SlipwayException(target + " is not an image manifest");
        }
        return target;
    }

    private static Map<String, String> refAnnotations(ImageReference tag) {
        Map<String, String> annotations = new TreeMap<>();
        annotations.put(ImageLoader.CONTAINERD_NAME, tag.toString());
        annotations.put(Descriptor.REF_NAME, tag.tag());
        return annotations;
    }

    private static byte[] ociLayout() {
        return ImageJson.write(Map.of("imageLayoutVersion", "1.0.0"));
    }

    static String blobName(Digest digest) {
        return "blobs/" + digest.algorithm() + "/" + digest.hex();
    }

    private static void checkEmptyOrAbsent(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        if (!Files.isDirectory(dir)) {
            throw new SlipwayException(dir + " exists and is not a directory");
        }
        try (Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isPresent()) {
                throw new SlipwayException(dir + " is not empty; choose a new or empty directory");
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            if (Files.isDirectory(path)) {
                AtomicFiles.deleteTree(path);
            } else {
                Files.deleteIfExists(path);
            }
        } catch (IOException ignored) {
            // a leftover dot-file next to the output is harmless and named after its process
        }
    }
}
