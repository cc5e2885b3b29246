package dev.slipway.store;

import dev.slipway.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.BiConsumer;

/**
 * Store writes whose syncing runs behind the caller. A build step needs its layer's diffID and
 * directory at once, but the fsyncs that make its blob and cache record survive a power cut can
 * overlap the next step. The caller writes and hashes each blob into {@code tmp/}; one background
 * thread then, strictly in the order things were queued, syncs each blob and renames it under its
 * name, syncs the content of layers that were not durable yet, syncs the directories renamed into,
 * and only then writes the cache records queued after them. So a record is never on disk before
 * the blob and layer it names. A layer sync that covers the whole file system (a syncfs, see
 * {@link ContentSync}) also covers the blobs written and the directories renamed before it: the
 * blobs still waiting in {@code tmp/} are then renamed under their names without an fsync each,
 * and the layers' directory is not fsynced again. A killed process leaves
 * temp files ({@link Store#recover} removes them) and layers no record names yet ({@code prune}
 * removes them). After a failure nothing more is published and {@link #drain} throws it.
 *
 * <p>A blob queued here is under {@code blobs/} once {@link #drain} returns. The instance holds a
 * {@link Store#session()} from its creation to {@link #close}, both on the same thread.
 */
public final class WriteBehind implements AutoCloseable {
    private final StoreRoot root;
    private final ContentStore content;
    private final LayerStore layers;
    private final CacheRecords cache;
    private final StoreLock.Held session;
    private final ExecutorService worker;
    private final LinkedBlockingQueue<Future<?>> queued = new LinkedBlockingQueue<>();
    // Touched by the worker thread only, apart from failure (read by drain after the jobs ended).
    /** Blobs written and hashed, in queue order, not yet under their names. */
    private final List<ContentStore.Staged> unpublished = new ArrayList<>();
    private boolean blobsRenamed;
    private boolean layersRenamed;
    private volatile RuntimeException failure;
    /** Told, on the worker thread, of each blob put under its name and whether it was fsynced first (tests watch the order). */
    private volatile BiConsumer<Digest, Boolean> published = (digest, fsynced) -> { };

    WriteBehind(StoreRoot root, ContentStore content, LayerStore layers, CacheRecords cache) {
        this.root = root;
        this.content = content;
        this.layers = layers;
        this.cache = cache;
        this.session = StoreLock.of(root.gcLock()).shared();
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "slipway-write-behind");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Makes a layer directory's content durable on the background thread.
     */
    @FunctionalInterface
    public interface ContentSync {
        /**
         * Syncs {@code layer}; true when that synced the whole file system the store is on (a
         * syncfs), so that every write and rename in the store made before it is durable too.
         */
        boolean sync(Path layer);
    }

    /**
     * Writes and hashes the blob now; it is synced and put under its name in the background, at
     * the latest before the next record is written.
     */
    public Blob blob(ContentStore.BlobWriter writer) {
        ContentStore.Staged staged = content.stage(writer);
        try {
            submit(() -> {
                if (failure == null) {
                    unpublished.add(staged);
                } else {
                    staged.discard();
                }
            });
        } catch (RuntimeException e) {
            staged.discard();
            throw e;
        }
        return staged.blob();
    }

    /**
     * Renames the waiting blobs under their names, each synced first unless {@code contentSynced}
     * (a file-system sync since they were written covers them).
     */
    private void publishWaiting(boolean contentSynced) {
        try {
            for (ContentStore.Staged staged : unpublished) {
                if (failure == null) {
                    content.publish(staged, !contentSynced, false);
                    blobsRenamed = true;
                    published.accept(staged.blob().digest(), !contentSynced);
                }
            }
        } finally {
            unpublished.forEach(ContentStore.Staged::discard);
            unpublished.clear();
        }
    }

    void onPublished(BiConsumer<Digest, Boolean> listener) {
        published = listener;
    }

    /** {@link LayerStore#adopt}: renamed into place now, the rename made durable in the background. */
    public Path adopt(Digest diffId, Path dir) {
        return adopt(diffId, dir, null);
    }

    /**
     * {@link #adopt(Digest, Path)} of a directory whose content is not durable yet (a volatile
     * overlay's upperdir): {@code sync} makes it so on the background thread, given the layer's
     * place in the store, before any record queued after this is written.
     */
    public Path adopt(Digest diffId, Path dir, ContentSync sync) {
        Path target = layers.adopt(diffId, dir, false);
        submit(() -> {
            if (sync != null && failure == null && sync.sync(target)) {
                // Everything renamed before the sync is durable; the blobs waiting need no fsync.
                blobsRenamed = false;
                layersRenamed = false;
                publishWaiting(true);
                return;
            }
            layersRenamed = true;
        });
        return target;
    }

    /** Writes {@code record} once everything queued before it is durable. */
    public void record(CacheRecord record) {
        submit(() -> {
            publishWaiting(false);
            if (failure == null) {
                syncDirectories();
                cache.write(record);
            }
        });
    }

    private void syncDirectories() {
        try {
            if (blobsRenamed) {
                AtomicFiles.fsyncDirectory(root.blobs());
                blobsRenamed = false;
            }
            if (layersRenamed) {
                AtomicFiles.fsyncDirectory(root.layers());
                layersRenamed = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync the store: " + e.getMessage(), e);
        }
    }

    private void submit(Runnable job) {
        if (worker.isShutdown()) {
            // A stage thread still finishing after its build failed and closed this.
            throw new IllegalStateException("the build's store writes have ended");
        }
        queued.add(worker.submit(() -> {
            try {
                job.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }));
    }

    /** Waits until everything queued so far is durable; throws the first failure. */
    public void drain() {
        submit(() -> {
            publishWaiting(false);
            if (failure == null) {
                syncDirectories();
            }
        });
        boolean interrupted = false;
        for (Future<?> f; (f = queued.poll()) != null; ) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    // What was queued must land (or fail) before the session that guards it ends.
                    interrupted = true;
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** Drains, stops the worker and ends the session. */
    @Override
    public void close() {
        try {
            drain();
        } finally {
            worker.shutdown();
            session.close();
        }
    }
}
