package dev.slipway.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A read-write lock that holds across threads and processes. A file lock alone is per process (a
 * second lock from the same JVM throws), so threads coordinate on a JVM-wide read-write lock and
 * the first reader / the writer takes the file lock for the whole process.
 */
final class StoreLock {
    private static final Map<Path, StoreLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private final ReentrantReadWriteLock threads = new ReentrantReadWriteLock();
    private FileChannel channel;
    private FileLock sharedLock;
    private int sharedHolders;

    private StoreLock(Path file) {
        this.file = file;
    }

    static StoreLock of(Path file) {
        return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), StoreLock::new);
    }

    /** Held while released by {@link #close()}. */
    interface Held extends AutoCloseable {
        @Override
        void close();
    }

    Held shared() {
        threads.readLock().lock();
        if (threads.isWriteLockedByCurrentThread()) {
            // The exclusive file lock of this thread already covers the shared use.
            return () -> threads.readLock().unlock();
        }
        try {
            synchronized (this) {
                if (sharedHolders == 0) {
                    sharedLock = channel().lock(0, Long.MAX_VALUE, true);
                }
                sharedHolders++;
            }
        } catch (IOException | RuntimeException e) {
            threads.readLock().unlock();
            throw wrap(e);
        }
        return () -> {
            try {
                synchronized (this) {
                    if (--sharedHolders == 0) {
                        sharedLock.release();
                        sharedLock = null;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                threads.readLock().unlock();
            }
        };
    }

    Held exclusive() {
        return exclusive(true);
    }

    /**
     * The exclusive lock if it is free right now, else null: for work that only makes sense while no
     * process holds the lock at all, and that must never wait for one that does.
     */
    Held tryExclusive() {
        return exclusive(false);
    }

    private Held exclusive(boolean wait) {
        if (threads.getReadHoldCount() > 0 && !threads.isWriteLockedByCurrentThread()) {
            if (!wait) {
                return null;
            }
            throw new IllegalStateException("cannot upgrade a shared store lock to an exclusive one: " + file);
        }
        if (wait) {
            threads.writeLock().lock();
        } else if (!threads.writeLock().tryLock()) {
            return null;
        }
        if (threads.getWriteHoldCount() > 1) {
            return () -> threads.writeLock().unlock();
        }
        FileLock lock;
        try {
            synchronized (this) {
                lock = wait ? channel().lock(0, Long.MAX_VALUE, false) : channel().tryLock(0, Long.MAX_VALUE, false);
            }
        } catch (IOException | RuntimeException e) {
            threads.writeLock().unlock();
            throw wrap(e);
        }
        if (lock == null) {
            threads.writeLock().unlock();
            return null;
        }
        return () -> {
            try {
                lock.release();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                threads.writeLock().unlock();
            }
        };
    }

    private FileChannel channel() throws IOException {
        if (channel == null || !channel.isOpen()) {
            // The first lock of a new store creates its root: marked before anything is made in it.
            TopDirs.createDirectory(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    private RuntimeException wrap(Exception e) {
        return e instanceof IOException io ? new UncheckedIOException("cannot lock " + file, io) : (RuntimeException) e;
    }
}
