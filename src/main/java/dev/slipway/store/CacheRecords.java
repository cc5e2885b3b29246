package dev.slipway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import dev.slipway.image.JsonTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code cache/} directory: one JSON file per {@link CacheRecord}, each written atomically.
 * <pre>{"key": "sha256:…", "blobs": ["sha256:…"], "layers": ["sha256:…"], "data": {…}}</pre>
 * A writer holds a {@link Store#session()} from writing the blobs to writing the record, so that
 * {@code prune} never sees the blobs without the record that keeps them.
 */
public final class CacheRecords {
    private static final String VERSION_ATTRIBUTES = "unix:ino,ctime";
    private final StoreRoot root;
    /**
     * The version of each record file this instance read or wrote, by key; {@link #CONFLICT} when
     * it saw two. A build's up-to-date record checks its records are still these, without reading
     * them all again at the build's end.
     */
    private final Map<Digest, Version> seen = new ConcurrentHashMap<>();
    private static final Version CONFLICT = new Version(-1, -1);

    /**
     * One version of a record file. Record files are only ever replaced whole (a rename of a new
     * file), and a rename changes the ctime, so the inode and ctime name one content.
     */
    public record Version(long inode, long ctimeNanos) {
    }

    public CacheRecords(StoreRoot root) {
        this.root = root;
    }

    private Path path(Digest key) {
        return root.cache().resolve(key.hex() + ".json");
    }

    public void put(CacheRecord record) {
        try (StoreLock.Held session = StoreLock.of(root.gcLock()).shared()) {
            write(record);
        }
    }

    /** Writes the record atomically and durably; the caller holds a session. */
    void write(CacheRecord record) {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("key", record.key().toString());
        ArrayNode blobs = tree.putArray("blobs");
        record.blobs().forEach(d -> blobs.add(d.toString()));
        ArrayNode layers = tree.putArray("layers");
        record.layers().forEach(d -> layers.add(d.toString()));
        tree.set("data", record.data());
        Path tmp = AtomicFiles.tempName(root.tmp(), "cache");
        try {
            AtomicFiles.createDirectories(root.cache());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(JsonTrees.write(tree)));
                ch.force(true);
            }
            Version written = version(tmp);
            AtomicFiles.replace(tmp, path(record.key()));
            // Stat'ed again after the rename (which moves the ctime); another inode there is another writer's.
            Version now = version(path(record.key()));
            if (written != null && now != null && written.inode() == now.inode()) {
                saw(record.key(), now);
            } else {
                seen.put(record.key(), CONFLICT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write cache record " + record.key(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // prune removes what is left in tmp/
            }
        }
    }

    public Optional<CacheRecord> get(Digest key) {
        try {
            // Stat'ed before the read: a file replaced in between shows as another version later.
            Version before = version(path(key));
            byte[] bytes = Files.readAllBytes(path(key));
            if (before != null) {
                saw(key, before);
            }
            return Optional.of(parse(bytes));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read cache record " + key, e);
        }
    }

    /**
     * The version of {@code key}'s record file that this instance read or wrote, or null when it
     * did neither, or saw two versions.
     */
    public Version seen(Digest key) {
        Version v = seen.get(key);
        return v == CONFLICT ? null : v;
    }

    private void saw(Digest key, Version v) {
        seen.merge(key, v, (old, now) -> old.equals(now) ? old : CONFLICT);
    }

    private static Version version(Path file) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(file, VERSION_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        return new Version((Long) a.get("ino"), ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS));
    }

    public boolean remove(Digest key) {
        seen.put(key, CONFLICT);
        try {
            return Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove cache record " + key, e);
        }
    }

    /** Removes every record, readable or not; returns how many files went. */
    public int clear() {
        if (!Files.isDirectory(root.cache())) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(root.cache())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (p.getFileName().toString().endsWith(".json") && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + root.cache(), e);
        }
        return removed;
    }

    /** All readable records, sorted by key. */
    public List<CacheRecord> list() {
        List<CacheRecord> records = new ArrayList<>();
        if (!Files.isDirectory(root.cache())) {
            return records;
        }
        try (Stream<Path> files = Files.list(root.cache())) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                if (p.getFileName().toString().endsWith(".json")) {
                    try {
                        records.add(parse(Files.readAllBytes(p)));
                    } catch (SlipwayException | IllegalArgumentException | IOException e) {
                        // An unreadable record keeps nothing alive; prune --cache removes it.
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.cache(), e);
        }
        return records;
    }

    private static CacheRecord parse(byte[] json) throws IOException {
        JsonNode tree = JsonTrees.read(json);
        if (tree == null || !tree.path("key").isTextual()) {
            throw new SlipwayException("malformed cache record: " + new String(json, 0, Math.min(json.length, 80)));
        }
        return new CacheRecord(Digest.parse(tree.get("key").asText()), digests(tree.path("blobs")),
                digests(tree.path("layers")), tree.path("data").isObject() ? tree.get("data") : null);
    }

    private static List<Digest> digests(JsonNode array) {
        List<Digest> out = new ArrayList<>();
        array.forEach(n -> out.add(Digest.parse(n.asText())));
        return out;
    }
}
