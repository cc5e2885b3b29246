package dev.slipway.layer;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Removing trees that images made: their directories may be read-only, their symlinks point anywhere. */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Deletes a file, a symlink (never what it points to) or a whole tree; nothing when the path
     * does not exist. Directories are made writable first, since a layer may hold a 0555 one.
     * A directory on another file system than the path's parent (a mount left behind: an overlay,
     * a bind of host files) is refused before anything in it is touched.
     */
    public static void delete(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(path);
            return;
        }
        Path parent = path.toAbsolutePath().getParent();
        Object device = device(parent == null ? path : parent);
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!device.equals(device(dir))) {
                    throw new IOException(dir + " is a mount point (another file system): not removed");
                }
                makeAccessible(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static Object device(Path p) throws IOException {
        return Files.getAttribute(p, "unix:dev", LinkOption.NOFOLLOW_LINKS);
    }

    /** Gives the owner read, write and search permission on a directory, so its entries can be listed and removed. */
    public static void makeAccessible(Path dir) throws IOException {
        // A copy through noneOf: EnumSet.copyOf refuses the empty set of a mode-000 directory (overlayfs' work/work).
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        perms.addAll(Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS));
        if (perms.add(PosixFilePermission.OWNER_WRITE) | perms.add(PosixFilePermission.OWNER_EXECUTE)
                | perms.add(PosixFilePermission.OWNER_READ)) {
            Files.setPosixFilePermissions(dir, perms);
        }
    }
}
