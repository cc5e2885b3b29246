package dev.slipway.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.MediaTypes;
import dev.slipway.layer.Compression;
import dev.slipway.store.Blob;
import dev.slipway.store.CacheRecord;
import dev.slipway.store.ContentStore;
import dev.slipway.store.Store;
import dev.slipway.store.WriteBehind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The build cache over the store's cache records. Two kinds of record, told by {@code data.type}:
 * <pre>
 * layer:    {"type":"layer","diffID":"sha256:…","layer":{"mediaType":…,"digest":…,"size":…},"created":"…"}
 *           blobs = [the layer blob], layers = [diffID]: the result of one RUN, COPY, ADD or WORKDIR step
 *           A lazy layer's record ({@link LayerDir#lazy()}) names its directory instead:
 *           {"type":"layer","dir":"sha256:…","epoch":N,"created":"…"}, blobs = [], layers = [dir];
 *           once made, it keeps "dir" and gains "diffID" and "layer": blobs = [the blob], layers = [dir]
 * checksum: {"type":"checksum","digest":"sha256:…"}
 *           no blobs: the content checksum of a COPY --from / bind source, memoized by the
 *           source's layer ids so that a warm build does not mount and hash another stage again
 * </pre>
 * A record's key is the step's {@link CacheKey}. Only layer records are exported to and imported
 * from registries, always in the first form (made, named by diffID); see {@link #forExport} and
 * {@link #importRecord}. Every record names only what is on disk before it: a lazy layer's
 * directory is synced before its record is written, a made one's blob before the record that
 * names it, so a build killed at any moment leaves records that hold.
 */
public final class BuildCache {
    private static final String LAYER = "layer";
    private static final String CHECKSUM = "checksum";
    private static final String DIR = "dir";
    private static final String EPOCH = "epoch";

    private final Store store;
    private final Remote remote;
    /** Lazy layers made by this instance, by id: each is made once however many ask. */
    private final Map<Digest, CompletableFuture<LayerDir>> made = new ConcurrentHashMap<>();

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
            String created = data.path("created").isTextual() ? data.get("created").asText() : null;
            if (data.has(DIR)) {
                Digest dirId = Digest.parse(data.get(DIR).asText());
                boolean present = store.layers().has(dirId);
                if (present && !data.has("diffID")) {
                    Long epoch = data.path(EPOCH).canConvertToLong() ? data.get(EPOCH).asLong() : null;
                    return Optional.of(new Entry(key, new LayerDir(dirId, store.layers().path(dirId), null,
                            new LayerDir.Pending(key, epoch, created)), created));
                }
                if (present) {
                    return Optional.of(new Entry(key, new LayerDir(Digest.parse(data.path("diffID").asText()),
                            store.layers().path(dirId), descriptor(data.path("layer"))), created));
                }
                if (!data.has("diffID")) {
                    return Optional.empty();
                }
            }
            Digest diffId = Digest.parse(data.path("diffID").asText());
            Descriptor blob = descriptor(data.path("layer"));
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

    /** The record of the layer a step made, named by its diffID. */
    static CacheRecord layerRecord(Digest key, LayerDir layer, String created) {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("type", LAYER);
        data.put("diffID", layer.diffId().toString());
        putBlob(data, layer.blob());
        if (created != null) {
            data.put("created", created);
        }
        return new CacheRecord(key, List.of(layer.blob().digest()), List.of(layer.diffId()), data);
    }

    /** The record of a lazy layer, from its {@link LayerDir#pending}: its directory, no blob. */
    static CacheRecord lazyRecord(LayerDir layer) {
        LayerDir.Pending p = layer.pending();
        if (!layer.lazy() || p == null) {
            throw new IllegalArgumentException("not a lazy layer of a known step: " + layer);
        }
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("type", LAYER);
        data.put(DIR, layer.id().toString());
        if (p.epoch() != null) {
            data.put(EPOCH, p.epoch());
        }
        if (p.created() != null) {
            data.put("created", p.created());
        }
        return new CacheRecord(p.key(), List.of(), List.of(layer.id()), data);
    }

    /** The record of a lazy layer once made: still its directory, now with its diffID and blob. */
    private static CacheRecord madeRecord(LayerDir lazy, LayerDir made) {
        CacheRecord record = lazyRecord(lazy);
        ObjectNode data = (ObjectNode) record.data();
        data.put("diffID", made.diffId().toString());
        putBlob(data, made.blob());
        return new CacheRecord(record.key(), List.of(made.blob().digest()), record.layers(), data);
    }

    private static void putBlob(ObjectNode data, Descriptor blob) {
        ObjectNode d = data.putObject("layer");
        d.put("mediaType", blob.mediaType());
        d.put("digest", blob.digest().toString());
        d.put("size", blob.size());
    }

    /**
     * {@code state} with every layer made: each lazy one gets its tar, stored as a blob, and its
     * record the diffID; the config names the diffIDs. The tar is the one the step would have stored
     * had it made the layer at once: the directory has not changed since, and its build's
     * SOURCE_DATE_EPOCH comes with it. For use once the build's writes are drained; during a build,
     * {@link #made(StageState, WriteBehind)}.
     */
    StageState made(StageState state) {
        return made(state, null);
    }

    /**
     * {@link #made(StageState)} during a build: the blobs and records go through the build's
     * {@code writes}, queued after the lazy records they complete, which may not be on disk yet.
     */
    StageState made(StageState state, WriteBehind writes) {
        if (state.layers().stream().noneMatch(LayerDir::lazy)) {
            return state;
        }
        return state.withLayers(state.layers().stream().map(l -> make(l, writes)).toList());
    }

    private LayerDir make(LayerDir layer, WriteBehind writes) {
        if (!layer.lazy()) {
            return layer;
        }
        // A future rather than computeIfAbsent: a tar takes long, and must not hold up the stages
        // making other layers whose ids share a bin of the map.
        CompletableFuture<LayerDir> mine = new CompletableFuture<>();
        CompletableFuture<LayerDir> known = made.putIfAbsent(layer.id(), mine);
        if (known != null) {
            try {
                return known.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            LayerDir result = writes == null ? makeNow(layer) : makeBehind(layer, writes);
            mine.complete(result);
            return result;
        } catch (UncheckedIOException e) {
            SlipwayException failure = new SlipwayException("cannot make the layer of " + layer.dir() + ": "
                    + e.getMessage(), e);
            made.remove(layer.id(), mine);
            mine.completeExceptionally(failure);
            throw failure;
        } catch (RuntimeException e) {
            made.remove(layer.id(), mine);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private static LayerDir.Pending pending(LayerDir layer) {
        if (layer.pending() == null) {
            throw new IllegalStateException("lazy layer " + layer.dir() + " does not know its step");
        }
        return layer.pending();
    }

    private static ContentStore.BlobWriter tar(LayerDir layer) {
        LayerDir.Pending p = pending(layer);
        OptionalLong epoch = p.epoch() == null ? OptionalLong.empty() : OptionalLong.of(p.epoch());
        return out -> LayerCommitter.writeTar(layer.dir(), null, epoch, out);
    }

    private static LayerDir madeFrom(LayerDir layer, Blob blob) {
        return new LayerDir(blob.digest(), layer.dir(), new Descriptor(MediaTypes.OCI_LAYER, blob.digest(), blob.size()));
    }

    /**
     * Queued behind the lazy record, which this build may have queued itself: the made record
     * replaces it unread. Should a build elsewhere have rewritten the key meanwhile, the made record
     * still names only what is on disk (the directory, and the blob synced before it).
     */
    private static LayerDir makeBehind(LayerDir layer, WriteBehind writes) {
        LayerDir result = madeFrom(layer, writes.blob(tar(layer)));
        writes.record(madeRecord(layer, result));
        return result;
    }

    private LayerDir makeNow(LayerDir layer) {
        LayerDir.Pending p = pending(layer);
        // The session keeps prune away from the blob until the record names it.
        try (Store.Session session = store.session()) {
            LayerDir result = madeFrom(layer, store.content().write(tar(layer)));
            // Another build may have rewritten the key since (--no-cache): its record stays as it is.
            Optional<CacheRecord> current = store.cache().get(p.key());
            if (current.isPresent() && layer.id().toString().equals(current.get().data().path(DIR).asText())) {
                store.cache().put(madeRecord(layer, result));
            }
            return result;
        }
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
            if (r.isPresent() && r.get().data().path("diffID").isTextual()
                    && diffIds.contains(Digest.parse(r.get().data().get("diffID").asText()))) {
                kept.add(key);
            }
        }
        return kept;
    }

    /** The stored record of a step key; empty when there is none. */
    public Optional<CacheRecord> record(Digest key) {
        return store.cache().get(key);
    }

    /**
     * The layer records of {@code keys} as {@code --cache-to} sends them, in the order given: lazy
     * layers made first, and every record in the form another store imports (named by diffID, its
     * blob, no directory of this store). Keys without a usable record are left out.
     */
    public List<CacheRecord> forExport(List<Digest> keys) {
        List<CacheRecord> records = new ArrayList<>();
        for (Digest key : keys) {
            Optional<Entry> entry = lookupLocal(key);
            if (entry.isPresent()) {
                records.add(layerRecord(key, make(entry.get().layer(), null), entry.get().created()));
            }
        }
        return records;
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
