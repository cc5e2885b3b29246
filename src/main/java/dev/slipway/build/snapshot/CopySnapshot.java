package dev.slipway.build.snapshot;

import dev.slipway.SlipwayException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The fallback when overlayfs is unavailable: the layers are copied into one directory, and the
 * commit compares that directory with what was copied to produce an overlay-style diff.
 */
final class CopySnapshot implements Snapshot {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFDIR = 0040000;
    private static final String ATTRS = "unix:ino,ctime,mode,uid,gid,lastModifiedTime,size";

    private final Path area;
    private final Consumer<Path> remover;
    private final Path rootfs;
    private final Path upper;
    private Map<String, Map<String, Object>> baseline;
    private boolean committed;
    private boolean closed;

    private CopySnapshot(Path area, Consumer<Path> remover) {
        this.remover = remover;
        this.area = area;
        this.rootfs = area.resolve("rootfs");
        this.upper = area.resolve("upper");
    }

    static CopySnapshot create(List<Path> lowers, Path area, Consumer<Path> remover) {
        CopySnapshot s = new CopySnapshot(area, remover);
        try {
            Files.createDirectories(s.rootfs);
            for (int i = lowers.size() - 1; i >= 0; i--) {
                applyLayer(lowers.get(i), s.rootfs);
            }
            s.baseline = scan(s.rootfs);
            return s;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e instanceof SlipwayException se ? se
                    : new SlipwayException("cannot prepare snapshot in " + area + ": " + e.getMessage(), e);
        }
    }

    /** Applies an overlay-style layer directory (0/0 char device whiteouts, opaque xattrs). */
    private static void applyLayer(Path layer, Path root) throws IOException {
        Set<String> opaque = opaqueDirs(layer);
        List<String> whiteouts = new ArrayList<>();
        Files.walkFileTree(layer, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String rel = layer.relativize(dir).toString();
                if (rel.isEmpty()) {
                    return FileVisitResult.CONTINUE;
                }
                Path target = root.resolve(rel);
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)
                        && (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) || opaque.contains(dir.toString()))) {
                    HostCommand.deleteTree(target);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = layer.relativize(file).toString();
                Path target = root.resolve(rel);
                if (isWhiteout(file)) {
                    whiteouts.add(rel);
                    HostCommand.deleteTree(target);
                } else if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                    HostCommand.deleteTree(target);
                }
                return FileVisitResult.CONTINUE;
            }
        });
        // cp keeps owners, modes, times, xattrs (file capabilities), hard links and devices.
        HostCommand.check(List.of("cp", "-a", "--no-dereference", layer + "/.", root + "/"), null);
        for (String w : whiteouts) {
            Files.deleteIfExists(root.resolve(w));
        }
        for (String dir : opaque) {
            HostCommand.run(List.of("setfattr", "-x", "trusted.overlay.opaque", "--",
                    root.resolve(layer.relativize(Path.of(dir)).toString()).toString()), null);
        }
    }

    private static Set<String> opaqueDirs(Path layer) {
        HostCommand.Result r = HostCommand.run(List.of("getfattr", "-R", "-P", "--absolute-names",
                "-n", "trusted.overlay.opaque", "--", layer.toString()), null);
        Set<String> dirs = new HashSet<>();
        String current = null;
        for (String line : r.output().split("\n")) {
            if (line.startsWith("# file: ")) {
                current = line.substring("# file: ".length());
            } else if (current != null && line.equals("trusted.overlay.opaque=\"y\"")) {
                dirs.add(current);
            }
        }
        return dirs;
    }

    private static boolean isWhiteout(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
        return ((int) a.get("mode") & S_IFMT) == S_IFCHR && ((Number) a.get("rdev")).longValue() == 0;
    }

    private static Map<String, Map<String, Object>> scan(Path root) throws IOException {
        Map<String, Map<String, Object>> index = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                index.put(root.relativize(dir).toString(), Files.readAttributes(dir, ATTRS, LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                index.put(root.relativize(file).toString(), Files.readAttributes(file, ATTRS, LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }
        });
        return index;
    }

    private static boolean isDir(Map<String, Object> a) {
        return ((int) a.get("mode") & S_IFMT) == S_IFDIR;
    }

    /*
     * Any write, chmod, chown or rename of a non-directory changes its ctime or inode. A
     * directory is compared like BuildKit's differ does: its entries are diffed one by one, so
     * only its own mode, owner and mtime count.
     */
    private static boolean changed(Map<String, Object> before, Map<String, Object> now) {
        if (!before.get("ino").equals(now.get("ino")) || !before.get("mode").equals(now.get("mode"))) {
            return true;
        }
        if (isDir(now)) {
            return !before.get("uid").equals(now.get("uid")) || !before.get("gid").equals(now.get("gid"))
                    || !before.get("lastModifiedTime").equals(now.get("lastModifiedTime"));
        }
        return !before.get("ctime").equals(now.get("ctime"));
    }

    @Override
    public Path rootfs() {
        if (committed || closed) {
            throw new IllegalStateException("snapshot is no longer active");
        }
        return rootfs;
    }

    @Override
    public Path upperDir() {
        return upper;
    }

    @Override
    public void runtimeTouched(String path) {
        // Directories are compared by mode, owner and mtime here, which the executor restores.
    }

    @Override
    public Path commit() {
        if (closed) {
            throw new IllegalStateException("snapshot is closed");
        }
        try {
            Files.createDirectories(upper);
            Map<String, Map<String, Object>> now = scan(rootfs);
            List<String> files = new ArrayList<>();
            List<String> dirs = new ArrayList<>();
            for (var e : now.entrySet()) {
                if (e.getKey().isEmpty()) {
                    continue;
                }
                Map<String, Object> before = baseline.get(e.getKey());
                if (before == null || changed(before, e.getValue())) {
                    (isDir(e.getValue()) ? dirs : files).add(e.getKey());
                }
            }
            if (!files.isEmpty()) {
                Path list = area.resolve("changed.list");
                Files.writeString(list, String.join("\0", files) + "\0", StandardCharsets.UTF_8);
                HostCommand.check(List.of("xargs", "-0", "-a", list.toString(), "cp", "-a", "--no-dereference",
                        "--parents", "-t", upper.toString(), "--"), rootfs);
            }
            for (String d : dirs) {
                Files.createDirectories(upper.resolve(d));
            }
            for (String gone : baseline.keySet()) {
                if (!gone.isEmpty() && !now.containsKey(gone) && now.containsKey(parentOf(gone))) {
                    Path w = upper.resolve(gone);
                    Files.createDirectories(w.getParent());
                    HostCommand.check(List.of("mknod", w.toString(), "c", "0", "0"), null);
                }
            }
            copyDirMetadata();
            committed = true;
            return upper;
        } catch (IOException e) {
            throw new SlipwayException("cannot compute the snapshot's changes: " + e.getMessage(), e);
        }
    }

    private static String parentOf(String rel) {
        int i = rel.lastIndexOf('/');
        return i < 0 ? "" : rel.substring(0, i);
    }

    /** Directories in the diff take the rootfs's mode, owner and times, deepest first. */
    private void copyDirMetadata() throws IOException {
        Map<Path, Path> dirs = new TreeMap<>((a, b) -> b.toString().compareTo(a.toString()));
        Files.walkFileTree(upper, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                dirs.put(dir, rootfs.resolve(upper.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }
        });
        for (var e : dirs.entrySet()) {
            Map<String, Object> a = Files.readAttributes(e.getValue(), "unix:mode,uid,gid,lastModifiedTime",
                    LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(e.getKey(), "unix:uid", a.get("uid"), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(e.getKey(), "unix:gid", a.get("gid"), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(e.getKey(), "unix:mode", (int) a.get("mode") & 07777, LinkOption.NOFOLLOW_LINKS);
            Files.setLastModifiedTime(e.getKey(), (FileTime) a.get("lastModifiedTime"));
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        remover.accept(rootfs);
        remover.accept(area.resolve("changed.list"));
        if (!committed) {
            remover.accept(upper);
        }
    }

}
