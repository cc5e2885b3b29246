package dev.slipway.store;

import dev.slipway.image.Digest;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Content digests of a build context's regular files, remembered by each file's stat as BuildKit
 * does, so a warm build re-reads only files whose stat changed. An entry is a hint: it is trusted
 * only while path, size, mtime and ctime (nanoseconds), inode, device, mode, uid and gid all still
 * match. One file per context under the store's cache directory, replaced atomically; concurrent
 * builds may overwrite each other's memo (last writer wins), which only costs re-reading. An
 * unreadable or corrupt memo counts as empty and is rewritten. Stages hashing the context in
 * parallel share one memo, hence the locking.
 */
public final class StatMemo {
    private static final int MAGIC = 0x534c4d31; // "SLM1"
    /** Bounds the file: about 100 bytes an entry, so some 20 MB at most. */
    static final int MAX_ENTRIES = 200_000;

    /** The parts of a file's stat that change whenever its content can have. */
    public record Stat(long size, long mtimeNanos, long ctimeNanos, long inode, long device, int mode, int uid,
            int gid) {
        // Written out: a record's generated equals and hashCode are bootstrapped through method handles
        // on first use, which costs a short command more than all its comparisons.
        @Override
        public boolean equals(Object o) {
            return o instanceof Stat s && size == s.size && mtimeNanos == s.mtimeNanos && ctimeNanos == s.ctimeNanos
                    && inode == s.inode && device == s.device && mode == s.mode && uid == s.uid && gid == s.gid;
        }

        @Override
        public int hashCode() {
            long h = size;
            for (long v : new long[] {mtimeNanos, ctimeNanos, inode, device, mode, uid, gid}) {
                h = h * 31 + v;
            }
            return Long.hashCode(h);
        }
    }

    private record Entry(Stat stat, Digest digest) {
    }

    private final Path file;
    private final Path tmp;
    private final Map<String, Entry> old;
    private final Map<String, Entry> used = new LinkedHashMap<>();
    private boolean dirty;
    private int hits;

    private StatMemo(Path file, Path tmp, Map<String, Entry> old) {
        this.file = file;
        this.tmp = tmp;
        this.old = old;
    }

    /** The memo of the context at {@code contextDir} (an absolute, real path) in the store at {@code root}. */
    public static StatMemo load(StoreRoot root, Path contextDir) {
        String name = Digest.sha256(contextDir.toString().getBytes(StandardCharsets.UTF_8)).hex() + ".memo";
        Path file = directory(root).resolve(name);
        return new StatMemo(file, root.tmp(), read(file));
    }

    private static Path directory(StoreRoot root) {
        return root.cache().resolve("stat-memo");
    }

    /**
     * Removes every memo in the store ({@code prune --cache}) and returns the bytes freed. A build
     * writing one meanwhile is harmless: a memo is replaced whole, and is only a hint.
     */
    static long clearAll(StoreRoot root) {
        return AtomicFiles.clearFiles(directory(root));
    }

    /** The digest remembered for {@code path} if its stat is still {@code stat}. */
    public synchronized Optional<Digest> get(Path path, Stat stat) {
        String key = path.toString();
        Entry e = used.get(key);
        if (e == null) {
            e = old.get(key);
        }
        if (e == null || !e.stat().equals(stat)) {
            return Optional.empty();
        }
        used.put(key, e);
        hits++;
        return Optional.of(e.digest());
    }

    public synchronized void put(Path path, Stat stat, Digest digest) {
        String key = path.toString();
        used.put(key, new Entry(stat, digest));
        // Compared field by field: a record's generated equals is bootstrapped through method
        // handles on first use, tens of milliseconds of a cold build that stores a memo.
        Entry before = old.get(key);
        dirty |= before == null || !before.stat().equals(stat) || !before.digest().hex().equals(digest.hex())
                || !before.digest().algorithm().equals(digest.algorithm());
    }

    /** How many lookups found a still-valid digest. */
    public synchronized int hits() {
        return hits;
    }

    /** The file this memo is kept in. */
    public Path file() {
        return file;
    }

    /**
     * Writes the memo if something new was learned: entries this build used first, then older ones
     * (other Dockerfiles on the same context) up to the bound.
     */
    public synchronized void save() {
        if (!dirty) {
            return;
        }
        Map<String, Entry> all = new LinkedHashMap<>(used);
        for (Map.Entry<String, Entry> e : old.entrySet()) {
            if (all.size() >= MAX_ENTRIES) {
                break;
            }
            all.putIfAbsent(e.getKey(), e.getValue());
        }
        while (all.size() > MAX_ENTRIES) {
            all.remove(all.keySet().iterator().next());
        }
        AtomicFiles.createDirectories(file.getParent());
        Path t = AtomicFiles.tempName(tmp, "stat-memo");
        try {
            try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(t)))) {
                out.writeInt(MAGIC);
                out.writeInt(all.size());
                for (Map.Entry<String, Entry> e : all.entrySet()) {
                    byte[] path = e.getKey().getBytes(StandardCharsets.UTF_8);
                    out.writeInt(path.length);
                    out.write(path);
                    Stat s = e.getValue().stat();
                    out.writeLong(s.size());
                    out.writeLong(s.mtimeNanos());
                    out.writeLong(s.ctimeNanos());
                    out.writeLong(s.inode());
                    out.writeLong(s.device());
                    out.writeInt(s.mode());
                    out.writeInt(s.uid());
                    out.writeInt(s.gid());
                    out.writeUTF(e.getValue().digest().toString());
                }
            }
            // Not synced: the memo is a hint, and a rename lost to a crash costs a re-read, where a
            // directory fsync here is a journal commit on the path of every build whose context changed.
            AtomicFiles.replace(t, file, false);
            dirty = false;
        } catch (IOException | UncheckedIOException e) {
            // Only a hint: a memo that cannot be written makes the next build read the files again.
        } finally {
            try {
                Files.deleteIfExists(t);
            } catch (IOException e) {
                // A leftover temp file is swept with the rest of tmp/.
            }
        }
    }

    private static Map<String, Entry> read(Path file) {
        Map<String, Entry> entries = new HashMap<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                return new HashMap<>();
            }
            int n = in.readInt();
            if (n < 0 || n > MAX_ENTRIES) {
                return new HashMap<>();
            }
            for (int i = 0; i < n; i++) {
                int len = in.readInt();
                if (len < 0 || len > 65536) {
                    return new HashMap<>();
                }
                byte[] raw = in.readNBytes(len);
                if (raw.length != len) {
                    return new HashMap<>();
                }
                String path = new String(raw, StandardCharsets.UTF_8);
                Stat s = new Stat(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong(),
                        in.readInt(), in.readInt(), in.readInt());
                entries.put(path, new Entry(s, Digest.parse(in.readUTF())));
            }
            if (in.read() != -1) {
                return new HashMap<>();
            }
            return entries;
        } catch (IOException | RuntimeException e) {
            // A missing, truncated or garbled memo only means every file is read once more.
            return new HashMap<>();
        }
    }
}
