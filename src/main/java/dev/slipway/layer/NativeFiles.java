package dev.slipway.layer;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The per-file work of COPY steps and layer commits in one native call each (from
 * {@code src/main/c/files.c}, in the library {@link Syscalls} loads): a directory listed with every
 * entry's lstat, a small file read whole, a file copied with owner, mode, times and xattrs.
 * Through java.nio each is a dozen calls that allocate and, in a build of a few seconds, mostly run
 * in the interpreter; with thousands of small files that was most of a COPY's CPU time. When the
 * library is not loaded {@link #available()} is false and callers use java.nio as before.
 */
public final class NativeFiles {
    private static final int FIELDS = 15;
    /** The size up to which a layer's file is read whole by {@link ContentSource#ofPath}. */
    static final int WHOLE_READ = 256 << 10;
    private static final boolean AVAILABLE = probe();

    private NativeFiles() {
    }

    /** Whether the native calls can be made; when false every other method throws. */
    public static boolean available() {
        return AVAILABLE;
    }

    private static boolean probe() {
        if (!Syscalls.available()) {
            return false;
        }
        try {
            return probe0() == FIELDS;
        } catch (UnsatisfiedLinkError e) {
            // A library built without files.c: java.nio it is.
            return false;
        }
    }

    /** What lstat(2) says of a file (and, from {@link #list} with xattrs, the size of its xattr name list). */
    public record Stat(int mode, int uid, int gid, long size, long mtimeSeconds, int mtimeNanos, long atimeSeconds,
            int atimeNanos, long ctimeSeconds, int ctimeNanos, long ino, long dev, long rdev, int nlink, long xattrBytes) {
        private static final int S_IFMT = 0170000;

        static Stat of(long[] f, int at) {
            return new Stat((int) f[at], (int) f[at + 1], (int) f[at + 2], f[at + 3], f[at + 4], (int) f[at + 5],
                    f[at + 6], (int) f[at + 7], f[at + 8], (int) f[at + 9], f[at + 10], f[at + 11], f[at + 12],
                    (int) f[at + 13], f[at + 14]);
        }

        public int type() {
            return mode & S_IFMT;
        }

        public FileTime mtime() {
            return FileTime.from(Instant.ofEpochSecond(mtimeSeconds, mtimeNanos));
        }

        public FileTime atime() {
            return FileTime.from(Instant.ofEpochSecond(atimeSeconds, atimeNanos));
        }

        public long mtimeNanosSinceEpoch() {
            return mtimeSeconds * 1_000_000_000L + mtimeNanos;
        }

        public long ctimeNanosSinceEpoch() {
            return ctimeSeconds * 1_000_000_000L + ctimeNanos;
        }
    }

    /** One entry of a directory listing. */
    public record Entry(String name, Stat stat) {
    }

    /** lstat(2) of {@code path}. */
    public static Stat lstat(Path path) throws IOException {
        int[] err = new int[1];
        long[] f = stat0(Syscalls.bytes(path), err);
        if (f == null) {
            throw Syscalls.failure("lstat", path, err[0]);
        }
        return Stat.of(f, 0);
    }

    /**
     * The entries of {@code dir} (not {@code .} and {@code ..}), unsorted, each with its lstat and,
     * with {@code xattrs}, the size of its xattr name list (0: none; -1: could not be read). Null
     * when a name is not valid in the platform's file name encoding: java.nio keeps such a name's
     * bytes, which a String here could not.
     */
    public static List<Entry> list(Path dir, boolean xattrs) throws IOException {
        int[] err = new int[1];
        byte[][] names = new byte[1][];
        long[] f = scan0(Syscalls.bytes(dir), xattrs, names, err);
        if (f == null) {
            throw Syscalls.failure("scandir", dir, err[0]);
        }
        var decoder = Syscalls.JNU.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<Entry> out = new ArrayList<>(f.length / FIELDS);
        byte[] raw = names[0];
        int start = 0;
        for (int i = 0; i < f.length; i += FIELDS) {
            int end = start;
            while (raw[end] != 0) {
                end++;
            }
            String name;
            boolean ascii = true;
            for (int k = start; k < end && ascii; k++) {
                ascii = raw[k] >= 0;
            }
            if (ascii) {
                name = new String(raw, start, end - start, StandardCharsets.ISO_8859_1);
            } else {
                try {
                    name = decoder.decode(ByteBuffer.wrap(raw, start, end - start)).toString();
                } catch (CharacterCodingException e) {
                    return null;
                }
                if (!Arrays.equals(name.getBytes(Syscalls.JNU), Arrays.copyOfRange(raw, start, end))) {
                    return null;
                }
            }
            out.add(new Entry(name, Stat.of(f, i)));
            start = end + 1;
        }
        return out;
    }

    /**
     * The whole content of the regular file {@code path} (never through a symlink) when it holds at
     * most {@code max} bytes; null when it holds more.
     */
    public static byte[] readSmall(Path path, int max) throws IOException {
        int[] err = new int[1];
        byte[] b = read0(Syscalls.bytes(path), max, err);
        if (b == null) {
            if (err[0] == Syscalls.EFBIG) {
                return null;
            }
            throw Syscalls.failure("read", path, err[0]);
        }
        return b;
    }

    /**
     * Creates {@code target} (which must not exist: {@link FileAlreadyExistsException}) with the
     * content and xattrs of {@code source} (each that can be set: as java.nio's copy), and the owner,
     * mode (permission bits) and times given. Neither path is followed through a final symlink; on failure no target is left.
     */
    public static void copy(Path source, Path target, int uid, int gid, int mode, FileTime atime, FileTime mtime)
            throws IOException {
        Instant a = atime.toInstant();
        Instant m = mtime.toInstant();
        int r = copy0(Syscalls.bytes(source), Syscalls.bytes(target), uid, gid, mode, a.getEpochSecond(), a.getNano(),
                m.getEpochSecond(), m.getNano());
        if (r != 0) {
            throw Syscalls.failure("copy to", target, -r);
        }
    }

    private static native int probe0();

    private static native long[] stat0(byte[] path, int[] err);

    private static native long[] scan0(byte[] dir, boolean xattrs, byte[][] names, int[] err);

    private static native byte[] read0(byte[] path, int max, int[] err);

    private static native int copy0(byte[] source, byte[] target, int uid, int gid, int mode, long atimeSeconds,
            long atimeNanos, long mtimeSeconds, long mtimeNanos);
}
