package dev.slipway.build.uptodate;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.List;

/**
 * What a finished build read and printed, kept so the next identical invocation can check that
 * nothing it read changed and print the same thing without building: the invocation (argv, working
 * directory, store), the Slipway jar, the environment variables the build consulted, the stat of
 * every file it read or looked for (the Dockerfile, ignore and lint config files, the context's
 * whole tree), the store entries it depended on (tags, blobs, cache records) and its output.
 *
 * <p>Binary and flat, read in one pass with nothing but {@code java.lang}: the check runs before
 * anything heavy has loaded. A CRC-32 ends the file, so a record cut short by a crash or garbled on
 * disk is seen as no record. Plain arrays rather than collections of records:
 * the check of a 20,000-file context compares them in a tight loop.
 */
final class BuildRecord {
    private static final int MAGIC = 0x534c4252; // "SLBR"
    /** Bumped whenever the layout or the meaning of a field changes; an old record is then no record. */
    private static final int VERSION = 1;

    /** How the build's progress was shown. */
    static final byte QUIET = 0;
    static final byte PLAIN = 1;
    /** {@code --progress auto} (or none) with stderr not a terminal: plain, while it stays no terminal. */
    static final byte AUTO_PLAIN = 2;

    /** Transcript events: a step starts (its label), ends cached, ends done, a note, a step's detail line. */
    static final byte START = 1;
    static final byte CACHED = 2;
    static final byte DONE = 3;
    static final byte NOTE = 4;
    static final byte DETAIL = 5;

    String[] argv;
    String cwd;
    String root;
    String jar;
    byte mode;
    String[] envNames;
    /** null where the variable was unset. */
    String[] envValues;

    /** Single paths: absolute, looked up as the build did ({@code follow}: through symlinks). */
    String[] paths;
    boolean[] follow;
    long[] pathStats;

    /**
     * The context, absolute, and its tree: entry 0 is the context itself, every other names its
     * parent (an earlier entry), whether it is a directory, and its {@link FileStat#hash stat hash}.
     */
    String context;
    int[] parents;
    String[] names;
    byte[] directories;
    long[] treeHashes;

    /** refs.json entries: normalized name → target digest. */
    String[] refNames;
    String[] refTargets;
    /** Blobs that must still be there: hex of the sha256 digest, size. */
    String[] blobs;
    long[] blobSizes;
    /**
     * Cache records the build's steps came from: hex of the key and the file's stat. The store only
     * ever replaces a record by renaming a new file over it, so a record rewritten since has
     * another inode and ctime.
     */
    String[] cacheKeys;
    long[] cacheStats;

    String imageId;
    byte[] eventTypes;
    int[] eventSteps;
    String[] eventTexts;
    /** The summary line around its elapsed time: {@code BEFORE + " in 1.2s: " + AFTER}. */
    String summaryBefore;
    String summaryAfter;
    /** The lint warnings printed after the summary (may be empty). */
    String lint;

    /**
     * This Slipway's identity: its version, the machine's architecture and the one jar it runs from
     * (path, size, times, inode), so that a record is trusted only by the very jar that wrote it.
     * Null when the class path is not a single jar (tests, an IDE): then no record is written or
     * trusted.
     */
    static String jarIdentity() {
        String classPath = System.getProperty("java.class.path");
        if (classPath == null || !classPath.endsWith(".jar") || classPath.indexOf(File.pathSeparatorChar) >= 0) {
            return null;
        }
        Path jar = Path.of(classPath).toAbsolutePath();
        long[] stat = new long[FileStat.FIELDS];
        try {
            FileStat.read(jar, true, stat, 0);
        } catch (IOException e) {
            return null;
        }
        if (stat[FileStat.MODE] == FileStat.ABSENT) {
            return null;
        }
        Package p = BuildRecord.class.getPackage();
        // The architecture too: a store and a jar shared between machines build for each one's platform.
        StringBuilder id = new StringBuilder().append(p == null ? null : p.getImplementationVersion()).append(' ')
                .append(System.getProperty("os.arch")).append(' ').append(jar);
        for (long v : stat) {
            id.append(' ').append(v);
        }
        return id.toString();
    }

    /** The record's file name for an invocation: the hash of argv, working directory and store. */
    static String fileName(List<String> argv, String cwd, String root) {
        long h = FNV_OFFSET;
        for (String a : argv) {
            h = fnv(h, a.getBytes(StandardCharsets.UTF_8));
            h = fnv(h, 0);
        }
        h = fnv(h, 1);
        h = fnv(h, cwd.getBytes(StandardCharsets.UTF_8));
        h = fnv(h, 1);
        h = fnv(h, root.getBytes(StandardCharsets.UTF_8));
        StringBuilder name = new StringBuilder(Long.toHexString(h));
        while (name.length() < 16) {
            name.insert(0, '0');
        }
        return name.append(".rec").toString();
    }

    static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    static long fnv(long h, byte[] bytes) {
        return fnv(h, bytes, 0, bytes.length);
    }

    static long fnv(long h, byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            h = (h ^ (bytes[i] & 0xff)) * FNV_PRIME;
        }
        return h;
    }

    private static long fnv(long h, int b) {
        return (h ^ b) * FNV_PRIME;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024 + names.length * 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            strings(out, argv);
            string(out, cwd);
            string(out, root);
            string(out, jar);
            out.writeByte(mode);
            strings(out, envNames);
            strings(out, envValues);
            strings(out, paths);
            for (boolean f : follow) {
                out.writeBoolean(f);
            }
            longs(out, pathStats);
            string(out, context);
            ints(out, parents);
            strings(out, names);
            out.writeInt(directories.length);
            out.write(directories);
            longs(out, treeHashes);
            strings(out, refNames);
            strings(out, refTargets);
            strings(out, blobs);
            longs(out, blobSizes);
            strings(out, cacheKeys);
            longs(out, cacheStats);
            string(out, imageId);
            out.writeInt(eventTypes.length);
            out.write(eventTypes);
            ints(out, eventSteps);
            strings(out, eventTexts);
            string(out, summaryBefore);
            string(out, summaryAfter);
            string(out, lint);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] body = bytes.toByteArray();
        long sum = checksum(body, body.length);
        byte[] all = new byte[body.length + 8];
        System.arraycopy(body, 0, all, 0, body.length);
        for (int i = 0; i < 8; i++) {
            all[body.length + i] = (byte) (sum >>> (56 - 8 * i));
        }
        return all;
    }

    /** CRC-32 of the first {@code length} bytes: native code, where a Java loop would run interpreted this early. */
    private static long checksum(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    private static void strings(DataOutputStream out, String[] values) throws IOException {
        out.writeInt(values.length);
        for (String v : values) {
            string(out, v);
        }
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        if (value == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static void ints(DataOutputStream out, int[] values) throws IOException {
        out.writeInt(values.length);
        for (int v : values) {
            out.writeInt(v);
        }
    }

    private static void longs(DataOutputStream out, long[] values) throws IOException {
        out.writeInt(values.length);
        for (long v : values) {
            out.writeLong(v);
        }
    }

    /** The record in {@code bytes}, or null when they are not a whole record of this version. */
    static BuildRecord decode(byte[] bytes) {
        if (bytes.length < 16) {
            return null;
        }
        int end = bytes.length - 8;
        long sum = 0;
        for (int i = 0; i < 8; i++) {
            sum = (sum << 8) | (bytes[end + i] & 0xff);
        }
        if (sum != checksum(bytes, end)) {
            return null;
        }
        Reader in = new Reader(bytes, end);
        try {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                return null;
            }
            BuildRecord r = new BuildRecord();
            r.argv = in.strings();
            r.cwd = in.string();
            r.root = in.string();
            r.jar = in.string();
            r.mode = in.readByte();
            r.envNames = in.strings();
            r.envValues = in.strings();
            r.paths = in.strings();
            r.follow = new boolean[r.paths.length];
            for (int i = 0; i < r.follow.length; i++) {
                r.follow[i] = in.readByte() != 0;
            }
            r.pathStats = in.longs();
            r.context = in.string();
            r.parents = in.ints();
            r.names = in.strings();
            r.directories = in.bytes(in.count());
            r.treeHashes = in.longs();
            r.refNames = in.strings();
            r.refTargets = in.strings();
            r.blobs = in.strings();
            r.blobSizes = in.longs();
            r.cacheKeys = in.strings();
            r.cacheStats = in.longs();
            r.imageId = in.string();
            r.eventTypes = in.bytes(in.count());
            r.eventSteps = in.ints();
            r.eventTexts = in.strings();
            r.summaryBefore = in.string();
            r.summaryAfter = in.string();
            r.lint = in.string();
            if (in.at != end || !r.consistent()) {
                return null;
            }
            return r;
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the parallel arrays agree in length and the tree's parents come before their children. */
    private boolean consistent() {
        int n = names.length;
        if (envValues.length != envNames.length || pathStats.length != paths.length * FileStat.FIELDS
                || parents.length != n || directories.length != n || treeHashes.length != n || n == 0
                || parents[0] != -1
                || refTargets.length != refNames.length || blobSizes.length != blobs.length
                || cacheStats.length != cacheKeys.length * FileStat.FIELDS
                || eventSteps.length != eventTypes.length || eventTexts.length != eventTypes.length
                || argv == null || cwd == null || root == null || jar == null || context == null || imageId == null
                || summaryBefore == null || summaryAfter == null || lint == null) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            if (parents[i] < 0 || parents[i] >= i || directories[parents[i]] == 0 || names[i] == null) {
                return false;
            }
        }
        return true;
    }

    /** A cursor over the record's bytes; a read past the end throws IndexOutOfBoundsException. */
    private static final class Reader {
        private final byte[] b;
        private final int end;
        private int at;

        Reader(byte[] b, int end) {
            this.b = b;
            this.end = end;
        }

        private void need(int n) {
            if (n < 0 || at + n > end) {
                throw new IndexOutOfBoundsException("record cut short");
            }
        }

        byte readByte() {
            need(1);
            return b[at++];
        }

        int readInt() {
            need(4);
            int v = ((b[at] & 0xff) << 24) | ((b[at + 1] & 0xff) << 16) | ((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff);
            at += 4;
            return v;
        }

        long readLong() {
            return ((long) readInt() << 32) | (readInt() & 0xffffffffL);
        }

        /** An array length: at most what is left, so a garbled length cannot ask for gigabytes. */
        int count() {
            int n = readInt();
            need(n);
            return n;
        }

        byte[] bytes(int n) {
            need(n);
            byte[] out = new byte[n];
            System.arraycopy(b, at, out, 0, n);
            at += n;
            return out;
        }

        String string() {
            int n = readInt();
            if (n == -1) {
                return null;
            }
            need(n);
            String s = new String(b, at, n, StandardCharsets.UTF_8);
            at += n;
            return s;
        }

        String[] strings() {
            int n = count();
            String[] out = new String[n];
            for (int i = 0; i < n; i++) {
                out[i] = string();
            }
            return out;
        }

        int[] ints() {
            int n = count();
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = readInt();
            }
            return out;
        }

        long[] longs() {
            int n = count();
            long[] out = new long[n];
            for (int i = 0; i < n; i++) {
                out[i] = readLong();
            }
            return out;
        }
    }
}
