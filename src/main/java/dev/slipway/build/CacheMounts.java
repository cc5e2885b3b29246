package dev.slipway.build;

import dev.slipway.RandomIds;
import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import dev.slipway.store.TopDirs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The directories of {@code RUN --mount=type=cache}: one per id under {@code <root>/cache-mounts/},
 * kept between builds. {@code sharing=shared} lets every step use the directory at once;
 * {@code locked} makes steps wait for each other (across processes, with a file lock);
 * {@code private} gives a step the directory when no one else holds it, else a fresh one that is
 * thrown away afterwards.
 */
public final class CacheMounts {
    private final Path dir;

    public CacheMounts(Path dir) {
        this.dir = dir;
    }

    /** A directory in use by one step; closing releases it. */
    public interface Lease extends AutoCloseable {
        Path dir();

        @Override
        void close();
    }

    public Lease acquire(String id, String sharing, int mode, int uid, int gid) {
        String key = Digest.sha256(id.getBytes(StandardCharsets.UTF_8)).hex();
        Path data = dir.resolve(key);
        try {
            TopDirs.createDirectory(dir);
            if (!Files.isDirectory(data)) {
                Path tmp = dir.resolve(".new-" + RandomIds.uuid());
                Files.createDirectory(tmp);
                setOwner(tmp, mode, uid, gid);
                try {
                    Files.move(tmp, data, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException raced) {
                    Files.deleteIfExists(tmp);
                }
            }
            if (sharing.equals("shared")) {
                return lease(data, null, null);
            }
            FileChannel ch = FileChannel.open(dir.resolve(key + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            if (sharing.equals("locked")) {
                return lease(data, ch, lockBlocking(ch));
            }
            FileLock lock = tryLock(ch);
            if (lock != null) {
                return lease(data, ch, lock);
            }
            ch.close();
            Path fresh = dir.resolve(".private-" + RandomIds.uuid());
            Files.createDirectory(fresh);
            setOwner(fresh, mode, uid, gid);
            return new Lease() {
                @Override
                public Path dir() {
                    return fresh;
                }

                @Override
                public void close() {
                    dev.slipway.build.snapshot.HostCommand.deleteTree(fresh);
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cache mount " + id + ": " + e.getMessage(), e);
        }
    }

    private static FileLock lockBlocking(FileChannel ch) throws IOException {
        while (true) {
            try {
                return ch.lock();
            } catch (OverlappingFileLockException sameProcess) {
                // another step of this build holds it: wait and retry
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SlipwayException("interrupted while waiting for a locked cache mount", e);
                }
            }
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            return null;
        }
    }

    private static Lease lease(Path data, FileChannel ch, FileLock lock) {
        return new Lease() {
            @Override
            public Path dir() {
                return data;
            }

            @Override
            public void close() {
                try {
                    if (lock != null) {
                        lock.release();
                    }
                    if (ch != null) {
                        ch.close();
                    }
                } catch (IOException ignored) {
                    // the lock goes with the channel
                }
            }
        };
    }

    private static void setOwner(Path p, int mode, int uid, int gid) throws IOException {
        Files.setAttribute(p, "unix:mode", mode & 07777);
        Files.setAttribute(p, "unix:uid", uid);
        Files.setAttribute(p, "unix:gid", gid);
    }
}
