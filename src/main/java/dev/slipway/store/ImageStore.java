package dev.slipway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
import dev.slipway.image.Platform;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Images in a {@link Store} as Docker's image commands see them: by tag or by ID. */
public final class ImageStore {

    private final Store store;
    private final Clock clock;

    public ImageStore(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Store store() {
        return store;
    }

    /**
     * An image: what a tag points to ({@code target}, a manifest or an index), the manifest chosen
     * for this platform, its config, and the config digest that is the image ID.
     */
    public record Image(Digest target, Digest manifestDigest, Manifest manifest, Digest id, ImageConfig config,
            List<TagRecord> tags) {
        public Instant created() {
            return parseTime(config.created());
        }
    }

    /** One row of {@code images}: an image under one of its tags. */
    public record Row(ImageReference reference, Image image, long size) {
    }

    /** One row of {@code history}, newest first; {@code imageId} is null where Docker shows {@code <missing>}. */
    public record HistoryRow(Digest imageId, Instant created, String createdBy, long size, String comment) {
    }

    /** A reference, an image ID or a unique ID prefix, as Docker accepts them. */
    public Image resolve(String nameOrId) {
        Map<ImageReference, TagRecord> refs = store.references().list();
        ImageReference ref = tryParse(nameOrId);
        if (ref != null && refs.containsKey(ref)) {
            return load(refs.get(ref).target(), refs);
        }
        if (isIdPrefix(nameOrId)) {
            String prefix = nameOrId.startsWith("sha256:") ? nameOrId.substring(7) : nameOrId;
            Set<Digest> targets = new HashSet<>();
            Set<Digest> ids = new HashSet<>();
            for (TagRecord r : refs.values()) {
                Image image = load(r.target(), refs);
                if (image.id().hex().startsWith(prefix) || image.target().hex().startsWith(prefix)) {
                    targets.add(r.target());
                    ids.add(image.id());
                }
            }
            if (ids.size() > 1) {
                throw new SlipwayException("ambiguous image ID prefix " + nameOrId + ": it matches "
                        + ids.size() + " images");
            }
            if (!targets.isEmpty()) {
                return load(targets.iterator().next(), refs);
            }
        }
        throw new SlipwayException("No such image: " + (ref != null && !nameOrId.contains(":") && !isIdPrefix(nameOrId)
                ? ref.familiarString() : nameOrId));
    }

    /** {@code (?:sha256:)?[0-9a-f]{1,64}}, matched by hand: compiling it cost every command that resolves an image. */
    static boolean isIdPrefix(String text) {
        int start = text.startsWith("sha256:") ? 7 : 0;
        int length = text.length() - start;
        if (length < 1 || length > 64) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    private static ImageReference tryParse(String text) {
        try {
            return ImageReference.parse(text);
        } catch (SlipwayException e) {
            return null;
        }
    }

    private Image load(Digest target, Map<ImageReference, TagRecord> refs) {
        ImageDocument doc = ImageJson.read(store.content().read(target));
        Digest manifestDigest = target;
        if (doc instanceof ImageIndex index) {
            Descriptor chosen = index.manifestFor(Platform.host())
                    .or(() -> index.manifests().stream().filter(d -> MediaTypes.isManifest(d.mediaType())).findFirst())
                    .orElseThrow(() -> new SlipwayException("image index " + target + " lists no image manifest"));
            manifestDigest = chosen.digest();
            doc = ImageJson.read(store.content().read(manifestDigest));
        }
        if (!(doc instanceof Manifest manifest)) {
            throw new SlipwayException("reference target " + target + " is not an image manifest or index");
        }
        Digest id = manifest.config().digest();
        ImageConfig config = ImageJson.readConfig(store.content().read(id));
        // A loop, not a stream: a stream's first use costs a short command a millisecond.
        List<TagRecord> tags = new ArrayList<>();
        for (TagRecord r : refs.values()) {
            if (r.target().equals(target)) {
                tags.add(r);
            }
        }
        return new Image(target, manifestDigest, manifest, id, config, Collections.unmodifiableList(tags));
    }

    /**
     * The rows of {@code images}, newest image first; {@code filter} is {@code REPOSITORY[:TAG]}
     * (all tags of the repository when no tag is given) or null for all.
     */
    public List<Row> list(String filter) {
        ImageReference wanted = filter == null ? null : ImageReference.parseWithoutDefaultTag(filter);
        Map<ImageReference, TagRecord> refs = store.references().list();
        List<Row> rows = new ArrayList<>();
        for (TagRecord r : refs.values()) {
            ImageReference ref = r.reference();
            if (ref.tag() == null || (wanted != null && (!wanted.name().equals(ref.name())
                    || (wanted.tag() != null && !wanted.tag().equals(ref.tag()))))) {
                continue;
            }
            Image image = load(r.target(), refs);
            rows.add(new Row(ref, image, size(image)));
        }
        rows.sort(NEWEST_FIRST);
        return rows;
    }

    /**
     * Newest image first (no creation time counts as the epoch), then by familiar name: a class, not
     * comparator lambdas, whose linking costs {@code images} more than the sorting.
     */
    private static final Comparator<Row> NEWEST_FIRST = new Comparator<>() {
        @Override
        public int compare(Row a, Row b) {
            int byTime = createdOrEpoch(b).compareTo(createdOrEpoch(a));
            return byTime != 0 ? byTime : a.reference().familiarString().compareTo(b.reference().familiarString());
        }
    };

    private static Instant createdOrEpoch(Row row) {
        Instant created = row.image().created();
        return created == null ? Instant.EPOCH : created;
    }

    /** What Docker shows as an image's SIZE: the sum of its layers' uncompressed sizes. */
    public long size(Image image) {
        return image.manifest().layers().stream().mapToLong(this::uncompressedSize).sum();
    }

    private long uncompressedSize(Descriptor layer) {
        if (!store.content().has(layer.digest())) {
            return 0;
        }
        // Media types first: Compression's initialisation loads every codec's classes, which an
        // image of uncompressed layers (all of Slipway's own) never needs.
        if (!MediaTypes.isLayer(layer.mediaType())
                || MediaTypes.layerCompression(layer.mediaType()) == MediaTypes.Compression.NONE) {
            return store.content().size(layer.digest());
        }
        Compression compression = Compression.ofMediaType(layer.mediaType());
        try (InputStream in = compression.decompress(store.content().open(layer.digest(), false))) {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new SlipwayException("layer " + layer.digest() + " is corrupt: " + e.getMessage(), e);
        }
    }

    /** {@code history}: one row per config history entry, newest first. */
    public List<HistoryRow> history(Image image) {
        List<Descriptor> layers = image.manifest().layers();
        List<ImageConfig.History> entries = image.config().historyOrEmpty();
        List<HistoryRow> rows = new ArrayList<>();
        if (entries.isEmpty()) {
            for (Descriptor layer : layers) {
                rows.add(new HistoryRow(null, null, "", uncompressedSize(layer), ""));
            }
        } else {
            int layer = 0;
            for (ImageConfig.History h : entries) {
                long size = 0;
                if (!h.isEmptyLayer() && layer < layers.size()) {
                    size = uncompressedSize(layers.get(layer++));
                }
                rows.add(new HistoryRow(null, parseTime(h.created()), nullToEmpty(h.createdBy()), size,
                        nullToEmpty(h.comment())));
            }
        }
        List<HistoryRow> newestFirst = new ArrayList<>();
        for (int i = rows.size() - 1; i >= 0; i--) {
            HistoryRow r = rows.get(i);
            newestFirst.add(i == rows.size() - 1
                    ? new HistoryRow(image.id(), r.created(), r.createdBy(), r.size(), r.comment()) : r);
        }
        return newestFirst;
    }

    /** One element of {@code inspect}'s array, in the shape of {@code docker image inspect}. */
    public ObjectNode inspect(Image image) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        ImageConfig c = image.config();
        o.put("Id", image.id().toString());
        ArrayNode repoTags = o.putArray("RepoTags");
        ArrayNode repoDigests = o.putArray("RepoDigests");
        for (TagRecord t : image.tags()) {
            if (t.reference().tag() != null) {
                repoTags.add(t.reference().withDigest(null).familiarString());
            }
            if (t.reference().digest() != null) {
                repoDigests.add(t.reference().familiarName() + "@" + t.reference().digest());
            }
        }
        o.put("Parent", "");
        JsonNode comment = c.extra().get("comment");
        o.put("Comment", comment == null ? "" : comment.asText());
        o.put("Created", c.created() == null ? "" : c.created());
        o.put("DockerVersion", "");
        o.put("Author", c.author() == null ? "" : c.author());
        o.set("Config", ImageJson.tree(c.configOrEmpty()));
        o.put("Architecture", c.architecture());
        if (c.variant() != null) {
            o.put("Variant", c.variant());
        }
        o.put("Os", c.os());
        if (c.osVersion() != null) {
            o.put("OsVersion", c.osVersion());
        }
        o.put("Size", size(image));
        ObjectNode rootfs = o.putObject("RootFS");
        rootfs.put("Type", c.rootfs() == null || c.rootfs().type() == null ? "layers" : c.rootfs().type());
        ArrayNode layers = rootfs.putArray("Layers");
        c.diffIds().forEach(d -> layers.add(d.toString()));
        Instant lastTag = image.tags().stream().map(TagRecord::tagged).max(Comparator.naturalOrder()).orElse(null);
        ObjectNode metadata = o.putObject("Metadata");
        if (lastTag != null) {
            metadata.put("LastTagTime", lastTag.toString());
        }
        ObjectNode descriptor = o.putObject("Descriptor");
        descriptor.put("mediaType", mediaTypeOf(image.target()));
        descriptor.put("digest", image.target().toString());
        descriptor.put("size", store.content().size(image.target()));
        return o;
    }

    private String mediaTypeOf(Digest target) {
        ImageDocument doc = ImageJson.read(store.content().read(target));
        return doc instanceof ImageIndex index ? index.effectiveMediaType() : ((Manifest) doc).effectiveMediaType();
    }

    /** {@code tag SRC DST}: DST points at what SRC points at. */
    public ImageReference tag(String source, String destination) {
        Image image = resolve(source);
        ImageReference dst = ImageReference.parse(destination);
        if (dst.digest() != null) {
            throw new SlipwayException("refusing to create a tag with a digest reference: " + destination);
        }
        store.references().set(dst, image.target());
        return dst;
    }

    /**
     * {@code rmi}: untags, and removes the image's blobs and unpacked layers once no tag reaches
     * them. Returns Docker's report lines ({@code Untagged: ...}, {@code Deleted: ...}).
     */
    public List<String> remove(String nameOrId, boolean force) {
        Image image = resolve(nameOrId);
        ImageReference asRef = tryParse(nameOrId);
        List<TagRecord> untag;
        if (asRef != null && image.tags().stream().anyMatch(t -> t.reference().equals(asRef))) {
            untag = image.tags().stream().filter(t -> t.reference().equals(asRef)).toList();
        } else {
            long names = image.tags().stream().map(t -> t.reference().name()).distinct().count();
            if (names > 1 && !force) {
                throw new SlipwayException("conflict: unable to delete " + image.id().shortHex()
                        + " (must be forced) - image is referenced in multiple repositories");
            }
            untag = image.tags();
        }
        List<String> lines = new ArrayList<>();
        for (TagRecord t : untag) {
            store.references().remove(t.reference());
            lines.add("Untagged: " + t.reference().familiarString());
        }
        boolean stillTagged = store.references().list().values().stream()
                .anyMatch(r -> r.target().equals(image.target()));
        if (!stillTagged) {
            Set<Digest> blobs = new HashSet<>(List.of(image.target(), image.manifestDigest(), image.id()));
            image.manifest().layers().forEach(l -> blobs.add(l.digest()));
            Set<Digest> diffIds = new HashSet<>(image.config().diffIds());
            store.collect(blobs::contains, diffIds::contains);
            lines.add("Deleted: " + image.id());
        }
        return lines;
    }

    public PruneReport prune() {
        return store.prune();
    }

    static Instant parseTime(String rfc3339) {
        if (rfc3339 == null || rfc3339.isEmpty()) {
            return null;
        }
        Instant simple = UtcTimes.parseSimple(rfc3339);
        if (simple != null) {
            return simple;
        }
        try {
            return OffsetDateTime.parse(rfc3339).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
