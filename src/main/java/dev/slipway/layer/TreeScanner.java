package dev.slipway.layer;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Turns a directory on disk into layer entries: either a plain tree (an unpacked root file
 * system, a COPY's output) or an overlayfs upperdir, whose whiteouts and opaque directories
 * become their OCI forms. Only the given directory is walked, never an overlay's lower layers.
 */
public final class TreeScanner {
    private static final String CAPABILITY = "security.capability";
    private static final String OVERLAY_OPAQUE = "trusted.overlay.opaque";
    private static final String OVERLAY_REDIRECT = "trusted.overlay.redirect";

    /** The xattrs {@link #scanOverlayUpper(Path, Map)} needs, as a {@link Xattrs#readTree} pattern. */
    public static final String OVERLAY_XATTRS = "^(security\\.capability|trusted\\.overlay\\..*)$";
    private static final String PLAIN_XATTRS = "^security\\.capability$";

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private TreeScanner() {}

    /** Every file, directory, link and special file under {@code root} (not root itself), sorted. */
    public static List<LayerEntry> scanDirectory(Path root) throws IOException {
        return scan(root, false, Xattrs.readTree(root, PLAIN_XATTRS));
    }

    /**
     * The OCI form of an overlayfs upperdir: a 0/0 character device becomes a {@code .wh.} whiteout
     * and a directory marked {@code trusted.overlay.opaque=y} is followed by an opaque marker.
     */
    public static List<LayerEntry> scanOverlayUpper(Path upperdir) throws IOException {
        return scan(upperdir, true, Xattrs.readTree(upperdir, OVERLAY_XATTRS));
    }

    /**
     * As {@link #scanOverlayUpper(Path)}, with the tree's {@link #OVERLAY_XATTRS} already read by the
     * caller (who needed them first), so the tree is not read twice.
     */
    public static List<LayerEntry> scanOverlayUpper(Path upperdir, Map<String, SortedMap<String, byte[]>> xattrs)
            throws IOException {
        return scan(upperdir, true, xattrs);
    }

    private static List<LayerEntry> scan(Path root, boolean overlay, Map<String, SortedMap<String, byte[]>> xattrs)
            throws IOException {
        if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            throw new SlipwayException("not a directory: " + root);
        }
        List<Scanned> found = new ArrayList<>();
        walk(root, root, "", found);
        found.sort((a, b) -> LayerPaths.ORDER.compare(a.rel, b.rel));

        List<LayerEntry> entries = new ArrayList<>(found.size());
        Map<List<Long>, String> firstOfInode = new HashMap<>();
        for (Scanned s : found) {
            int format = s.mode & S_IFMT;
            SortedMap<String, byte[]> attrs = xattrs.getOrDefault(s.rel, new TreeMap<>());
            if (overlay && attrs.containsKey(OVERLAY_REDIRECT)) {
                throw new SlipwayException("overlay redirect_dir is not supported: " + s.rel + " was renamed in the upper layer");
            }
            if (overlay && format == S_IFCHR && s.rdev == 0) {
                entries.add(LayerEntry.whiteout(s.rel));
                continue;
            }
            if (format == S_IFSOCK) {
                continue;
            }
            SortedMap<String, byte[]> kept = new TreeMap<>();
            if (attrs.containsKey(CAPABILITY)) {
                kept.put(CAPABILITY, attrs.get(CAPABILITY));
            }
            int perm = s.mode & 07777;
            if (format != S_IFDIR && s.nlink > 1) {
                String first = firstOfInode.putIfAbsent(List.of(s.dev, s.ino), s.rel);
                if (first != null) {
                    entries.add(new LayerEntry(s.rel, EntryType.HARDLINK, perm, s.uid, s.gid, 0, s.mtime, first, 0, 0, kept, null));
                    continue;
                }
            }
            entries.add(switch (format) {
                case S_IFREG -> new LayerEntry(s.rel, EntryType.FILE, perm, s.uid, s.gid, s.size, s.mtime, null, 0, 0, kept,
                        ContentSource.ofPath(s.path));
                case S_IFDIR -> new LayerEntry(s.rel, EntryType.DIRECTORY, perm, s.uid, s.gid, 0, s.mtime, null, 0, 0, kept, null);
                case S_IFLNK -> new LayerEntry(s.rel, EntryType.SYMLINK, perm, s.uid, s.gid, 0, s.mtime,
                        Files.readSymbolicLink(s.path).toString(), 0, 0, kept, null);
                case S_IFCHR, S_IFBLK -> new LayerEntry(s.rel, format == S_IFCHR ? EntryType.CHAR_DEVICE : EntryType.BLOCK_DEVICE,
                        perm, s.uid, s.gid, 0, s.mtime, null, major(s.rdev), minor(s.rdev), kept, null);
                case S_IFIFO -> new LayerEntry(s.rel, EntryType.FIFO, perm, s.uid, s.gid, 0, s.mtime, null, 0, 0, kept, null);
                default -> throw new SlipwayException("unknown file type " + Integer.toOctalString(format) + ": " + s.path);
            });
            if (overlay && format == S_IFDIR && Arrays.equals(attrs.get(OVERLAY_OPAQUE), new byte[] {'y'})) {
                entries.add(LayerEntry.opaque(s.rel));
            }
        }
        entries.sort((a, b) -> LayerPaths.ORDER.compare(a.path(), b.path()));
        return entries;
    }

    /**
     * Adds everything under {@code dir} ({@code dirRel} below the root): one native call per
     * directory where {@link NativeFiles} is available, else one lstat per entry (a file-tree
     * walker takes two). A directory with a name a String cannot keep is walked, with all below it,
     * through java.nio, whose paths keep the bytes of such names.
     */
    private static void walk(Path root, Path dir, String dirRel, List<Scanned> found) throws IOException {
        List<NativeFiles.Entry> listed = NativeFiles.available() ? NativeFiles.list(dir, false) : null;
        if (listed == null) {
            walkNio(root, dir, found);
            return;
        }
        for (NativeFiles.Entry e : listed) {
            NativeFiles.Stat a = e.stat();
            Path p = dir.resolve(e.name());
            String rel = dirRel.isEmpty() ? e.name() : dirRel + "/" + e.name();
            found.add(new Scanned(p, rel, a.mode(), a.uid() & 0xffffffffL, a.gid() & 0xffffffffL, a.size(),
                    a.mtimeSeconds(), a.dev(), a.ino(), a.rdev(), a.nlink()));
            if (a.type() == S_IFDIR) {
                walk(root, p, rel, found);
            }
        }
    }

    private static void walkNio(Path root, Path dir, List<Scanned> found) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                Scanned s = read(root, p);
                found.add(s);
                if ((s.mode & S_IFMT) == S_IFDIR) {
                    walkNio(root, p, found);
                }
            }
        }
    }

    private record Scanned(Path path, String rel, int mode, long uid, long gid, long size, long mtime, long dev, long ino,
            long rdev, int nlink) {}

    private static Scanned read(Path root, Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,dev,ino,rdev,nlink",
                LinkOption.NOFOLLOW_LINKS);
        return new Scanned(p, root.relativize(p).toString(), (Integer) a.get("mode"), ((Integer) a.get("uid")) & 0xffffffffL,
                ((Integer) a.get("gid")) & 0xffffffffL, (Long) a.get("size"),
                Math.floorDiv(((FileTime) a.get("lastModifiedTime")).to(TimeUnit.MILLISECONDS), 1000L),
                (Long) a.get("dev"), (Long) a.get("ino"), (Long) a.get("rdev"), (Integer) a.get("nlink"));
    }

    static int major(long rdev) {
        return (int) (((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL));
    }

    static int minor(long rdev) {
        return (int) ((rdev & 0xff) | ((rdev >>> 12) & ~0xffL));
    }
}
