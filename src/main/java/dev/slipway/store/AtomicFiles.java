package dev.slipway.store;

import dev.slipway.RandomIds;
import dev.slipway.layer.FileTrees;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/** The file-system moves the store is built on: temp names, fsync, atomic rename, deletion. */
final class AtomicFiles {
    private AtomicFiles() {
    }

    /** A fresh name in {@code tmp} that no other writer uses. */
    static Path tempName(Path tmp, String prefix) {
        createDirectories(tmp);
        return tmp.resolve(prefix + "-" + pid() + "-" + RandomIds.uuid());
    }

    /**
     * This process's id. Read from {@code /proc/self} (a symlink named after it): the first
     * {@code ProcessHandle.current()} of a process sets up the process reaper's thread pool, which
     * cost a short command milliseconds. Without /proc, from ProcessHandle. Only for telling temporary
     * names apart: a /proc of another PID namespace gives another number, so it never names a live
     * process to check.
     */
    static long pid() {
        try {
            String name = new File("/proc/self").getCanonicalFile().getName();
            boolean digits = !name.isEmpty() && name.length() < 19;
            for (int i = 0; digits && i < name.length(); i++) {
                digits = name.charAt(i) >= '0' && name.charAt(i) <= '9';
            }
            if (digits) {
                return Long.parseLong(name);
            }
        } catch (IOException e) {
            // no /proc: asked of the JVM below
        }
        return ProcessHandle.current().pid();
    }

    static void createDirectories(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }

    static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** Makes a rename or creation in {@code dir} durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some file systems refuse fsync on a directory; the rename itself is still atomic.
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    /** Renames {@code from} over {@code to} atomically and makes the rename durable. */
    static void replace(Path from, Path to) throws IOException {
        replace(from, to, true);
    }

    /** As {@link #replace(Path, Path)}; without {@code sync} the rename is not yet durable. */
    static void replace(Path from, Path to, boolean sync) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the store's temp directory is on another file system than " + to, e);
        }
        if (sync) {
            fsyncDirectory(to.getParent());
        }
    }

    /**
     * Renames directory {@code from} to {@code to} unless {@code to} already exists; returns whether
     * it moved. A directory rename onto an existing non-empty directory fails, which is what makes
     * two concurrent unpackers of one layer safe: one wins, the other drops its copy.
     */
    static boolean moveDirectoryIfAbsent(Path from, Path to) throws IOException {
        return moveDirectoryIfAbsent(from, to, true);
    }

    /** As {@link #moveDirectoryIfAbsent(Path, Path)}; without {@code sync} the rename is not yet durable. */
    static boolean moveDirectoryIfAbsent(Path from, Path to, boolean sync) throws IOException {
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // rename(2) says ENOTEMPTY or EEXIST when another process moved its copy in first.
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            throw e;
        }
        if (sync) {
            fsyncDirectory(to.getParent());
        }
        return true;
    }

    /** Deletes a file or a whole tree, making read-only directories writable first. */
    static void deleteTree(Path path) throws IOException {
        FileTrees.delete(path);
    }

    /**
     * Deletes every file directly in {@code dir} (not its subdirectories) and returns the bytes
     * freed; a missing {@code dir} frees nothing. For the store's hint files (stat memos, build
     * records), which a writer replaces whole, so one written meanwhile is harmless.
     */
    static long clearFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long bytes = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long size = Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : 0;
                if (Files.deleteIfExists(p)) {
                    bytes += size;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear " + dir, e);
        }
        return bytes;
    }

    /** Bytes a file or tree occupies (apparent sizes of regular files). */
    static long treeSize(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return 0;
        }
        long[] total = {0};
        Files.walkFileTree(path, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                FileTrees.makeAccessible(dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}
