package dev.slipway.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.layer.Compression;
import dev.slipway.store.CacheRecord;
import dev.slipway.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The build cache over the store's cache records. Two kinds of record, told by {@code data.type}:
 * <pre>
 * layer:    {"type":"layer","diffID":"sha256:…","layer":{"mediaType":…,"digest":…,"size":…},"created":"…"}
 *           blobs = [the layer blob], layers = [diffID]: the result of one RUN, COPY, ADD or WORKDIR step
 * checksum: {"type":"checksum","digest":"sha256:…"}
 *           no blobs: the content checksum of a COPY --from / bind source, memoized by the
 *           source's diffIDs so that a warm build does not mount and hash another stage again
 * </pre>
 * A record's key is the step's {@link CacheKey}. Only layer records are exported to and imported
 * from registries; see {@link #record} and {@link #importRecord}.
 */
public final class BuildCache {
    private static final String LAYER = "layer";
    private static final String CHECKSUM = "checksum";

    private final Store store;
    private final Remote remote;

    /**
     * Where records the store lacks may come from ({@code --cache-from}): brings the record for a
     * key, and the blobs it names, into the store; false when it has none.
     */
    @FunctionalInterface
    public interface Remote {
        boolean fetch(Digest key);
    }

    /** A step result from the cache: its layer, unpacked, and when the step first ran (RFC 3339). */
    public record Entry(Digest key, LayerDir layer, String created) {
    }

    public BuildCache(Store store) {
        this(store, null);
    }

    /** A cache that asks {@code remote} (may be null) for the steps the store has no record of. */
    public BuildCache(Store store, Remote remote) {
        this.store = store;
        this.remote = remote;
    }

    /**
     * The cached result of the step {@code key}: one small file read when its layer is unpacked
     * already. A layer known only as a blob (a record imported from a registry cache) is unpacked
     * first, after checking that the blob really holds that diffID. Empty when there is no record
     * or its content is gone. A key the store has no record of is asked of the {@link Remote}.
     */
    public Optional<Entry> lookup(Digest key) {
        Optional<Entry> local = lookupLocal(key);
        if (local.isPresent() || remote == null || !remote.fetch(key)) {
            return local;
        }
        return lookupLocal(key);
    }

    private Optional<Entry> lookupLocal(Digest key) {
        try {
            Optional<CacheRecord> found = store.cache().get(key);
            if (found.isEmpty() || !LAYER.equals(found.get().data().path("type").asText())) {
                return Optional.empty();
            }
            JsonNode data = found.get().data();
            Digest diffId = Digest.parse(data.path("diffID").asText());
            Descriptor blob = descriptor(data.path("layer"));
            String created = data.path("created").isTextual() ? data.get("created").asText() : null;
            if (store.layers().has(diffId)) {
                return Optional.of(new Entry(key, new LayerDir(diffId, store.layers().path(diffId), blob), created));
            }
            if (!store.content().has(blob.digest())) {
                return Optional.empty();
            }
            checkDiffId(blob, diffId);
            return Optional.of(new Entry(key, new LayerDir(diffId, store.layers().unpack(diffId,
                    dir -> OverlayForm.unpack(dir, () -> open(blob))), blob), created));
        } catch (SlipwayException | IllegalArgumentException | UncheckedIOException e) {
            // A damaged or lying record is a miss: the step runs and its record is rewritten.
            return Optional.empty();
        }
    }

    /** The record of the layer a step made. */
    static CacheRecord layerRecord(Digest key, LayerDir layer, String created) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("type", LAYER);
        data.put("diffID", layer.diffId().toString());
        ObjectNode d = data.putObject("layer");
        d.put("mediaType", layer.blob().mediaType());
        d.put("digest", layer.blob().digest().toString());
        d.put("size", layer.blob().size());
        if (created != null) {
            data.put("created", created);
        }
        return new CacheRecord(key, List.of(layer.blob().digest()), List.of(layer.diffId()), data);
    }

    Optional<Digest> checksum(Digest key) {
        try {
            return store.cache().get(key).filter(r -> CHECKSUM.equals(r.data().path("type").asText()))
                    .map(r -> Digest.parse(r.data().path("digest").asText()));
        } catch (SlipwayException | IllegalArgumentException | UncheckedIOException e) {
            return Optional.empty();
        }
    }

    void putChecksum(Digest key, Digest checksum) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("type", CHECKSUM);
        data.put("digest", checksum.toString());
        store.cache().put(new CacheRecord(key, List.of(), List.of(), data));
    }

    /**
     * The keys among {@code keys} whose layer the image {@code config} has: what {@code --cache-to
     * mode=min} exports (BuildKit's default), where {@code mode=max} exports every key of the build.
     */
    public List<Digest> inImage(List<Digest> keys, ImageConfig config) {
        Set<Digest> diffIds = new HashSet<>(config.diffIds());
        List<Digest> kept = new ArrayList<>();
        for (Digest key : keys) {
            Optional<CacheRecord> r = store.cache().get(key);
            if (r.isPresent() && diffIds.containsAll(r.get().layers())) {
                kept.add(key);
            }
        }
        return kept;
    }

    /** The stored record of a step key, for export ({@code --cache-to}); empty when there is none. */
    public Optional<CacheRecord> record(Digest key) {
        return store.cache().get(key);
    }

    /**
     * Stores a layer record fetched from elsewhere ({@code --cache-from}). Its layer blob must be in
     * the store already, and the caller must hold a {@link Store#session()} from writing that blob
     * to this call. The blob is checked against the diffID when a build first uses the record.
     */
    public void importRecord(CacheRecord record) {
        JsonNode data = record.data();
        if (!LAYER.equals(data.path("type").asText())) {
            throw new SlipwayException("cache record " + record.key() + " is not a layer record");
        }
        Digest diffId = Digest.parse(data.path("diffID").asText());
        Descriptor blob = descriptor(data.path("layer"));
        if (!record.blobs().equals(List.of(blob.digest())) || !record.layers().equals(List.of(diffId))) {
            throw new SlipwayException("cache record " + record.key() + " does not name its own layer");
        }
        if (!store.content().has(blob.digest())) {
            throw new SlipwayException("cache record " + record.key() + ": layer blob " + blob.digest() + " is not in the store");
        }
        store.cache().put(record);
    }

    private static Descriptor descriptor(JsonNode node) {
        if (!node.path("mediaType").isTextual() || !node.path("digest").isTextual() || !node.path("size").canConvertToLong()) {
            throw new SlipwayException("malformed layer descriptor in a cache record");
        }
        return new Descriptor(node.get("mediaType").asText(), Digest.parse(node.get("digest").asText()),
                node.get("size").asLong(), null, null, null, null, null);
    }

    private InputStream open(Descriptor blob) throws IOException {
        return Compression.decompressing(store.content().open(blob.digest(), true));
    }

    private void checkDiffId(Descriptor blob, Digest diffId) {
        MessageDigest md = Digest.newSha256();
        try (InputStream in = new DigestInputStream(open(blob), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Digest.fromMessageDigest(md.digest()).equals(diffId)) {
            throw new SlipwayException("layer blob " + blob.digest() + " is not " + diffId);
        }
    }
}
