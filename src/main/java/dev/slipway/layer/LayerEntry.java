package dev.slipway.layer;

import dev.slipway.SlipwayException;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One entry of a layer tar.
 *
 * @param path relative, {@code /}-separated, without {@code ./}, a leading or a trailing slash
 * @param mode permission bits including setuid, setgid and sticky ({@code 07777})
 * @param size content length of a {@link EntryType#FILE}, 0 otherwise
 * @param mtime whole seconds since the epoch; sub-second precision is dropped on purpose
 *     (containerd does the same) so diffIDs do not depend on the file system's resolution
 * @param linkTarget symlink target as written, or the in-layer path a hard link points to
 * @param xattrs extended attributes as raw bytes
 * @param content a {@link EntryType#FILE}'s bytes when writing; null when reading or when empty
 */
public record LayerEntry(
        String path,
        EntryType type,
        int mode,
        long uid,
        long gid,
        long size,
        long mtime,
        String linkTarget,
        int devMajor,
        int devMinor,
        SortedMap<String, byte[]> xattrs,
        ContentSource content) {

    public static final String WHITEOUT_PREFIX = ".wh.";
    public static final String OPAQUE_MARKER = ".wh..wh..opq";

    public LayerEntry {
        checkPath(path);
        if (type == null) {
            throw new IllegalArgumentException("no type for " + path);
        }
        if ((mode & ~07777) != 0) {
            throw new IllegalArgumentException("mode " + Integer.toOctalString(mode) + " has bits beyond 07777: " + path);
        }
        if (uid < 0 || gid < 0 || size < 0 || devMajor < 0 || devMinor < 0) {
            throw new IllegalArgumentException("negative id, size or device number: " + path);
        }
        if (type != EntryType.FILE && size != 0) {
            throw new IllegalArgumentException("only regular files have a size: " + path);
        }
        boolean link = type == EntryType.SYMLINK || type == EntryType.HARDLINK;
        if (link != (linkTarget != null) || (link && linkTarget.isEmpty())) {
            throw new IllegalArgumentException("a link target belongs to links only: " + path);
        }
        xattrs = xattrs == null || xattrs.isEmpty()
                ? Collections.emptySortedMap()
                : Collections.unmodifiableSortedMap(new TreeMap<>(xattrs));
    }

    public static LayerEntry file(String path, int mode, long uid, long gid, long mtime, long size, ContentSource content) {
        return new LayerEntry(path, EntryType.FILE, mode, uid, gid, size, mtime, null, 0, 0, null, content);
    }

    public static LayerEntry file(String path, int mode, long mtime, byte[] content) {
        return file(path, mode, 0, 0, mtime, content.length, ContentSource.ofBytes(content));
    }

    public static LayerEntry directory(String path, int mode, long uid, long gid, long mtime) {
        return new LayerEntry(path, EntryType.DIRECTORY, mode, uid, gid, 0, mtime, null, 0, 0, null, null);
    }

    public static LayerEntry symlink(String path, String target, long uid, long gid, long mtime) {
        return new LayerEntry(path, EntryType.SYMLINK, 0777, uid, gid, 0, mtime, target, 0, 0, null, null);
    }

    /** A hard link to {@code target}, which must be an earlier entry of the same layer. */
    public static LayerEntry hardlink(String path, String target, int mode, long uid, long gid, long mtime) {
        return new LayerEntry(path, EntryType.HARDLINK, mode, uid, gid, 0, mtime, target, 0, 0, null, null);
    }

    /** The OCI whiteout that deletes {@code deletedPath} from the layers below. */
    public static LayerEntry whiteout(String deletedPath) {
        checkPath(deletedPath);
        int slash = deletedPath.lastIndexOf('/');
        String parent = slash < 0 ? "" : deletedPath.substring(0, slash + 1);
        return whiteoutFile(parent + WHITEOUT_PREFIX + deletedPath.substring(slash + 1));
    }

    /** The marker that hides everything the layers below hold in {@code directory}. */
    public static LayerEntry opaque(String directory) {
        checkPath(directory);
        return whiteoutFile(directory + "/" + OPAQUE_MARKER);
    }

    // Empty regular files with every attribute zero, as containerd writes them, so that a whiteout
    // carries nothing from the machine that made it.
    private static LayerEntry whiteoutFile(String path) {
        return new LayerEntry(path, EntryType.FILE, 0, 0, 0, 0, 0, null, 0, 0, null, null);
    }

    public LayerEntry withMtime(long newMtime) {
        return new LayerEntry(path, type, mode, uid, gid, size, newMtime, linkTarget, devMajor, devMinor, xattrs, content);
    }

    /** The same file under another path (a hard link's other name), sharing the content. */
    public LayerEntry withPath(String newPath) {
        return new LayerEntry(newPath, type, mode, uid, gid, size, mtime, linkTarget, devMajor, devMinor, xattrs, content);
    }

    public LayerEntry withContent(ContentSource newContent) {
        return new LayerEntry(path, type, mode, uid, gid, size, mtime, linkTarget, devMajor, devMinor, xattrs, newContent);
    }

    public LayerEntry withHardlinkTo(String target) {
        return new LayerEntry(path, EntryType.HARDLINK, mode, uid, gid, 0, mtime, target, 0, 0, xattrs, null);
    }

    /** The last path component. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public boolean isWhiteout() {
        return name().startsWith(WHITEOUT_PREFIX);
    }

    public boolean isOpaqueMarker() {
        return name().equals(OPAQUE_MARKER);
    }

    /** For a whiteout other than the opaque marker: the path it deletes. */
    public String whiteoutTarget() {
        if (!isWhiteout() || isOpaqueMarker()) {
            throw new IllegalStateException("not a whiteout: " + path);
        }
        int slash = path.lastIndexOf('/');
        return path.substring(0, slash + 1) + name().substring(WHITEOUT_PREFIX.length());
    }

    static void checkPath(String path) {
        if (path == null || path.isEmpty()) {
            throw new SlipwayException("empty path in layer entry");
        }
        if (path.indexOf('\0') >= 0) {
            throw new SlipwayException("NUL byte in layer entry path: " + path.replace('\0', '?'));
        }
        for (String part : path.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                throw new SlipwayException("layer entry path is not a clean relative path: " + path);
            }
        }
        if (path.endsWith("/" + WHITEOUT_PREFIX) || path.equals(WHITEOUT_PREFIX)) {
            throw new SlipwayException("invalid whiteout with no name: " + path);
        }
    }

    @Override
    public String toString() {
        return type + " " + path + (linkTarget == null ? "" : " -> " + linkTarget) + " mode=" + Integer.toOctalString(mode)
                + " " + uid + ":" + gid + " size=" + size + " mtime=" + mtime + (xattrs.isEmpty() ? "" : " xattrs=" + xattrs.keySet());
    }
}
