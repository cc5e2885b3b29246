package dev.slipway.layer;

import dev.slipway.NativeLibrary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * mount(2), umount2(2), syncfs(2), the xattr calls and the inode-flags ioctl, made in-process through
 * the {@link NativeLibrary}. A RUN step needs each of them once or more, and
 * as forked tools (mount, umount, getfattr) they cost milliseconds apiece. The library is optional:
 * when it was not built (no C compiler), cannot load, or {@code SLIPWAY_NATIVE=0} is set,
 * {@link #available()} is false and callers run the host tools as before.
 *
 * <p>It lives in {@code layer}, the lowest package that needs these calls (xattrs); {@code
 * build.snapshot} mounts through it. Paths cross as the exact bytes of their names.
 */
public final class Syscalls {
    /** umount2(2) flag: detach now, clean up when no longer busy. */
    public static final int MNT_DETACH = 2;
    /** errno of a mount option the kernel does not know. */
    public static final int EINVAL = 22;
    static final int ENOENT = 2;
    static final int EEXIST = 17;
    static final int EFBIG = 27;
    private static final int ERANGE = 34;
    private static final int ENODATA = 61;
    private static final int ENOTSUP = 95;

    /** How file names are encoded for the kernel: as every java.nio call sends them. */
    static final Charset JNU = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"));
    private static final boolean AVAILABLE = NativeLibrary.loaded();

    private Syscalls() {
    }

    /** Whether the native library is loaded; when false every other method throws. */
    public static boolean available() {
        return AVAILABLE;
    }

    /** A failed call: the errno and the kernel's name for it. */
    public static final class Failure extends IOException {
        private final int errno;

        Failure(String call, Path path, int errno) {
            super(call + " " + path + ": " + describe(errno));
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    /** mount(2): {@code source} and {@code data} may be null. */
    public static void mount(String source, Path target, String type, long flags, String data) throws Failure {
        int r = mount0(bytes(source), bytes(target), bytes(type), flags, bytes(data));
        if (r != 0) {
            throw new Failure("mount", target, -r);
        }
    }

    /** umount2(2). */
    public static void umount(Path target, int flags) throws Failure {
        int r = umount0(bytes(target), flags);
        if (r != 0) {
            throw new Failure("umount", target, -r);
        }
    }

    /** syncfs(2): everything written to the file system holding directory {@code dir} is made durable. */
    public static void syncfs(Path dir) throws Failure {
        int r = syncfs0(bytes(dir));
        if (r != 0) {
            throw new Failure("syncfs", dir, -r);
        }
    }

    /** The names of the xattrs of {@code file} itself (a symlink's own, never its target's). */
    public static List<String> listXattrs(Path file) throws Failure {
        int[] err = new int[1];
        byte[] raw = list0(bytes(file), err);
        if (raw == null) {
            if (err[0] == ENOTSUP) {
                return List.of();
            }
            throw new Failure("llistxattr", file, err[0]);
        }
        List<String> names = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                if (i > start) {
                    names.add(new String(raw, start, i - start, StandardCharsets.ISO_8859_1));
                }
                start = i + 1;
            }
        }
        return names;
    }

    /** One xattr of {@code file} itself; null when it has none of that name. */
    public static byte[] getXattr(Path file, String name) throws Failure {
        int[] err = new int[1];
        byte[] value = get0(bytes(file), name.getBytes(StandardCharsets.ISO_8859_1), err);
        if (value == null) {
            if (err[0] == ENODATA) {
                return null;
            }
            throw new Failure("lgetxattr", file, err[0]);
        }
        return value;
    }

    /** Sets one xattr on {@code file} itself. */
    public static void setXattr(Path file, String name, byte[] value) throws Failure {
        int r = set0(bytes(file), name.getBytes(StandardCharsets.ISO_8859_1), value);
        if (r != 0) {
            throw new Failure("lsetxattr", file, -r);
        }
    }

    /**
     * Sets the TOPDIR inode flag on directory {@code dir}, as {@code chattr +T} does; returns whether
     * this call set it (false: it was set already). File systems without the flag (tmpfs, xfs,
     * btrfs, overlay) fail with their errno.
     */
    public static boolean setTopDir(Path dir) throws Failure {
        int r = topdir0(bytes(dir));
        if (r < 0) {
            throw new Failure("FS_IOC_SETFLAGS", dir, -r);
        }
        return r == 1;
    }

    /**
     * The exact bytes of {@code p}'s name. A name the platform encoding cannot decode shows as U+FFFD
     * in {@link Path#toString} (with no LANG, JDK 17 decodes as ASCII: every non-ASCII name), and
     * those bytes would name another file; the path's URI keeps every byte, percent-escaped.
     */
    static byte[] bytes(Path p) {
        String s = p.toString();
        return s.indexOf('\uFFFD') < 0 ? s.getBytes(JNU) : exactBytes(p);
    }

    private static byte[] exactBytes(Path p) {
        String raw = p.toAbsolutePath().toUri().getRawPath();
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                out.write(HexFormat.fromHexDigits(raw, i + 1, i + 3));
                i += 2;
            } else {
                out.write(c);
            }
        }
        byte[] b = out.toByteArray();
        // The URI of a directory ends with '/', which would follow a final symlink.
        return b.length > 1 && b[b.length - 1] == '/' ? Arrays.copyOf(b, b.length - 1) : b;
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(JNU);
    }

    /** A failed call as java.nio reports it: a missing or existing file by its own exception. */
    static IOException failure(String call, Path path, int errno) {
        return switch (errno) {
            case ENOENT -> new NoSuchFileException(path.toString());
            case EEXIST -> new FileAlreadyExistsException(path.toString());
            default -> new Failure(call, path, errno);
        };
    }

    private static String describe(int errno) {
        return switch (errno) {
            case 1 -> "operation not permitted";
            case 2 -> "no such file or directory";
            case 13 -> "permission denied";
            case 16 -> "device or resource busy";
            case 19 -> "no such device";
            case 20 -> "not a directory";
            case 25 -> "inappropriate ioctl for device";
            case EINVAL -> "invalid argument";
            case ERANGE -> "result too large";
            case ENOTSUP -> "operation not supported";
            default -> "errno " + errno;
        };
    }

    private static native int mount0(byte[] source, byte[] target, byte[] type, long flags, byte[] data);

    private static native int umount0(byte[] target, int flags);

    private static native int syncfs0(byte[] path);

    private static native byte[] list0(byte[] path, int[] err);

    private static native byte[] get0(byte[] path, byte[] name, int[] err);

    private static native int set0(byte[] path, byte[] name, byte[] value);

    private static native int topdir0(byte[] path);
}
