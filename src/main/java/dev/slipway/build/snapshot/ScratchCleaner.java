package dev.slipway.build.snapshot;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Removes a build's scratch directories (a step's work area, an overlay's work and merged
 * directories) on a background thread. Each removal is a handful of metadata writes that, on a busy
 * file system, wait for the journal; a RUN step used to spend several milliseconds on them before
 * the next step could start. Nothing reads a scratch directory once it is handed over, so only the
 * build's end waits ({@link #close}). A removal that fails, or one a killed process never made,
 * leaves an entry under the store's tmp/ that the store's recovery removes.
 */
public final class ScratchCleaner implements AutoCloseable {
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "slipway-scratch-cleaner");
        t.setDaemon(true);
        return t;
    });

    /** Removes {@code dir} and everything under it, after what was handed over before it. */
    public void remove(Path dir) {
        try {
            worker.execute(() -> {
                try {
                    HostCommand.deleteTree(dir);
                } catch (UncheckedIOException ignored) {
                    // Scratch only: the store's recovery removes what is left under tmp/.
                }
            });
        } catch (RejectedExecutionException e) {
            // A stage thread still finishing after the build ended: remove it here.
            HostCommand.deleteTree(dir);
        }
    }

    /** Waits until every directory handed over is gone (or its removal failed). */
    @Override
    public void close() {
        worker.shutdown();
        boolean interrupted = false;
        while (true) {
            try {
                if (worker.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                // The removals are short and local; the build's session must outlive them.
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
