package dev.slipway.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.image.Digest;
import dev.slipway.image.JsonTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A Slipway store: blobs, unpacked layers, references and cache records under one root, and the
 * garbage collection that keeps only what a reference or a cache record reaches.
 *
 * <p>Writers that create blobs before the reference or cache record that will keep them alive hold
 * a {@link #session()} throughout; garbage collection waits for all sessions (in every process) to
 * end, so it never removes something about to be referenced, nor a temp file being written.
 */
public final class Store {
    /** Manifests, indexes and configs are small; anything bigger is a layer and is not parsed. */
    private static final long MAX_METADATA_BYTES = 8L << 20;

    private final StoreRoot root;
    private final ContentStore content;
    private final References references;
    private final LayerStore layers;
    private final CacheRecords cache;
    /** Temp entries and bytes {@link #recover} removed, reported by the next {@link #collect}. */
    private long recoveredEntries;
    private long recoveredBytes;

    public Store(StoreRoot root, Clock clock) {
        this.root = root;
        this.content = new ContentStore(root);
        this.references = new References(root, content, clock);
        this.layers = new LayerStore(root);
        this.cache = new CacheRecords(root);
    }

    /** The store at {@code --root} (or its default), cleaned of what killed processes left; see {@link #recover}. */
    public static Store open(Path optionRoot) {
        return open(StoreRoot.resolve(optionRoot), RuntimeLeftovers.NONE);
    }

    /** {@link #open(Path)} of a resolved root whose recovery cleans up {@code runtime}'s leftovers too. */
    public static Store open(StoreRoot root, RuntimeLeftovers runtime) {
        Store store = new Store(root, Clock.systemUTC());
        store.recover(runtime);
        return store;
    }

    /**
     * Cleans up after processes killed mid-write (a build killed during a RUN step): the runtime's
     * leftovers, overlay mounts still attached under tmp/ or exec/, and half-written temp entries.
     * It runs only when the exclusive GC lock is free at once: every writer holds a {@link #session()}
     * (a shared lock the kernel drops when its process dies), so a free lock proves that whoever made
     * these leftovers is gone. While a session is live it does nothing and never waits. Returns
     * whether it cleaned.
     */
    public boolean recover(RuntimeLeftovers runtime) {
        try {
            if (!runtime.present() && StaleMounts.under(scratchDirs()).isEmpty() && emptyOrAbsent(root.tmp())) {
                return false;
            }
            StoreLock.Held gc = StoreLock.of(root.gcLock()).tryExclusive();
            if (gc == null) {
                return false;
            }
            try (gc) {
                runtime.clean();
                long[] removed = removeTemp();
                synchronized (this) {
                    recoveredEntries += removed[0];
                    recoveredBytes += removed[1];
                }
                return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean up after an interrupted build: " + e.getMessage(), e);
        }
    }

    private List<Path> scratchDirs() {
        return List.of(root.tmp(), root.exec());
    }

    /**
     * Detaches the mounts left under tmp/ and exec/, then deletes tmp/'s entries; an entry holding a
     * mount that would not come off is kept, since deleting it would reach through the mount.
     * Returns {count, bytes} of what was deleted. Callers hold the exclusive GC lock.
     */
    private long[] removeTemp() throws IOException {
        List<Path> stuck = new ArrayList<>();
        for (Path mount : StaleMounts.under(scratchDirs())) {
            if (!StaleMounts.unmount(mount)) {
                stuck.add(mount);
            }
        }
        Path realTmp = Files.isDirectory(root.tmp()) ? root.tmp().toRealPath() : root.tmp();
        long count = 0;
        long bytes = 0;
        for (Path leftover : list(root.tmp())) {
            Path real = realTmp.resolve(leftover.getFileName().toString());
            if (stuck.stream().anyMatch(m -> m.startsWith(real))) {
                continue;
            }
            bytes += AtomicFiles.treeSize(leftover);
            AtomicFiles.deleteTree(leftover);
            count++;
        }
        return new long[] {count, bytes};
    }

    public StoreRoot root() {
        return root;
    }

    public ContentStore content() {
        return content;
    }

    public References references() {
        return references;
    }

    public LayerStore layers() {
        return layers;
    }

    public CacheRecords cache() {
        return cache;
    }

    /**
     * A new empty directory in tmp/ for one step's trees (a RUN's snapshot, a COPY's new layer): on the
     * store's file system, so that it can become a layer by a rename, and placed apart from other
     * steps' trees on disk ({@link TopDirs}). Deleting it is the caller's job; recovery sweeps leftovers.
     */
    public Path newScratchDir(String prefix) {
        TopDirs.prepare(root);
        Path dir = AtomicFiles.tempName(root.tmp(), prefix);
        try {
            Files.createDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return dir;
    }

    /** Held while writing things that become reachable only at the end (a tag, a cache record). */
    public Session session() {
        StoreLock.Held held = StoreLock.of(root.gcLock()).shared();
        return held::close;
    }

    /** Writes that sync in the background, holding a session until closed; see {@link WriteBehind}. */
    public WriteBehind writeBehind() {
        return new WriteBehind(root, content, layers, cache);
    }

    /** A write session; see {@link Store#session()}. */
    public interface Session extends AutoCloseable {
        @Override
        void close();
    }

    /** Removes every blob, unpacked layer and temp leftover that no reference or cache record reaches. */
    public PruneReport prune() {
        return collect(d -> true, d -> true);
    }

    /**
     * Drops the whole build cache (every cache record, stat memo and build record), then prunes:
     * the layers only the cache kept are removed too. {@code docker builder prune --all} in one step with {@link #prune()}.
     */
    public PruneReport pruneWithCache() {
        try (StoreLock.Held gc = StoreLock.of(root.gcLock()).exclusive()) {
            int dropped = cache.clear();
            long memoBytes = StatMemo.clearAll(root);
            long recordBytes = BuildRecordFiles.clearAll(root);
            return collect(d -> true, d -> true).withCache(dropped, memoBytes + recordBytes);
        }
    }

    /**
     * Removes, among the blobs and layers the predicates pick, those nothing reaches; temp leftovers
     * always go. {@code rmi} uses this to drop only the image it untagged.
     */
    public PruneReport collect(Predicate<Digest> blobCandidates, Predicate<Digest> layerCandidates) {
        try (StoreLock.Held gc = StoreLock.of(root.gcLock()).exclusive();
                StoreLock.Held refs = StoreLock.of(root.refsLock()).exclusive()) {
            Set<Digest> liveBlobs = new HashSet<>();
            Set<Digest> liveLayers = new HashSet<>();
            Deque<Digest> roots = new ArrayDeque<>();
            references.list().values().forEach(r -> roots.add(r.target()));
            for (CacheRecord record : cache.list()) {
                roots.addAll(record.blobs());
                liveLayers.addAll(record.layers());
            }
            mark(roots, liveBlobs, liveLayers);

            List<Blob> removed = new ArrayList<>();
            for (Blob blob : content.list()) {
                if (!liveBlobs.contains(blob.digest()) && blobCandidates.test(blob.digest())) {
                    content.delete(blob.digest());
                    removed.add(blob);
                }
            }
            int layerCount = 0;
            long layerBytes = 0;
            for (Path entry : layers.entries()) {
                Digest diffId = ContentStore.parseHex(entry.getFileName().toString());
                boolean garbage = diffId == null || !Files.isDirectory(entry)
                        || (!liveLayers.contains(diffId) && layerCandidates.test(diffId));
                if (garbage) {
                    layerBytes += layers.delete(entry);
                    layerCount += diffId == null ? 0 : 1;
                }
            }
            long[] temp = removeTemp();
            synchronized (this) {
                // What opening the store already cleaned up counts as reclaimed by this collection too.
                temp[0] += recoveredEntries;
                temp[1] += recoveredBytes;
                recoveredEntries = 0;
                recoveredBytes = 0;
            }
            if (!removed.isEmpty() && Files.isDirectory(root.blobs())) {
                AtomicFiles.fsyncDirectory(root.blobs());
            }
            return new PruneReport(removed, layerCount, layerBytes, (int) temp[0], temp[1]);
        } catch (IOException e) {
            throw new UncheckedIOException("prune failed: " + e.getMessage(), e);
        }
    }

    /** Marks everything reachable from {@code pending}: index children, manifest configs and layers. */
    private void mark(Deque<Digest> pending, Set<Digest> liveBlobs, Set<Digest> liveLayers) {
        while (!pending.isEmpty()) {
            Digest d = pending.pop();
            if (!liveBlobs.add(d)) {
                continue;
            }
            JsonNode tree = readMetadata(d);
            if (tree == null) {
                continue;
            }
            for (JsonNode child : tree.path("manifests")) {
                pending.push(descriptorDigest(child));
            }
            JsonNode config = tree.path("config");
            if (config.isObject() && config.has("digest")) {
                Digest configDigest = descriptorDigest(config);
                liveBlobs.add(configDigest);
                JsonNode configTree = readMetadata(configDigest);
                if (configTree != null) {
                    for (JsonNode diffId : configTree.path("rootfs").path("diff_ids")) {
                        liveLayers.add(Digest.parse(diffId.asText()));
                    }
                }
            }
            for (JsonNode layer : tree.path("layers")) {
                liveBlobs.add(descriptorDigest(layer));
            }
        }
    }

    private static Digest descriptorDigest(JsonNode descriptor) {
        return Digest.parse(descriptor.path("digest").asText());
    }

    /** The blob parsed as JSON when it is a small JSON object; null for layers and absent blobs. */
    private JsonNode readMetadata(Digest d) {
        if (!content.has(d) || content.size(d) > MAX_METADATA_BYTES) {
            return null;
        }
        try (InputStream in = content.open(d, false)) {
            if (in.read() != '{') {
                return null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            JsonNode tree = JsonTrees.read(content.read(d));
            return tree != null && tree.isObject() ? tree : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether {@code dir} has no entries (or is no directory), read without a stream's set-up. */
    private static boolean emptyOrAbsent(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
