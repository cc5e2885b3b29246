package dev.slipway.build;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an I/O action over every item of a list on a few threads: for work that is mostly system
 * calls (writing thousands of small files), where a second thread overlaps one file's kernel time
 * with another's. Items must be independent of each other. The first failure stops the others
 * from taking new items; of the failures seen, the one of the earliest item is rethrown.
 */
final class Parallel {
    /** The action on one item. */
    @FunctionalInterface
    interface Action<T> {
        void accept(T item) throws IOException;
    }

    private final int threads;

    Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        this.threads = threads;
    }

    /** As many threads as cores, at most four: past that the file system's locks are the limit. */
    static Parallel forCores() {
        return new Parallel(Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())));
    }


    <T> void run(List<T> items, Action<T> action) throws IOException {
        int n = Math.min(threads, items.size());
        if (n <= 1) {
            for (T item : items) {
                action.accept(item);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicReference<Failure> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i; failure.get() == null && (i = next.getAndIncrement()) < items.size(); ) {
                try {
                    action.accept(items.get(i));
                } catch (Throwable t) {
                    Failure f = new Failure(i, t);
                    failure.accumulateAndGet(f, (a, b) -> a == null || b.index() < a.index() ? b : a);
                }
            }
        };
        Thread[] helpers = new Thread[n - 1];
        for (int i = 0; i < helpers.length; i++) {
            helpers[i] = new Thread(worker, "slipway-copy-" + i);
            helpers[i].setDaemon(true);
            helpers[i].start();
        }
        worker.run();
        boolean interrupted = false;
        for (Thread t : helpers) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    // No new items for anyone; the helpers end after the one they are on.
                    failure.accumulateAndGet(new Failure(Integer.MAX_VALUE, new InterruptedIOException("interrupted")),
                            (a, b) -> a == null ? b : a);
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        Failure f = failure.get();
        if (f != null) {
            Throwable t = f.cause();
            if (t instanceof IOException io) {
                throw io;
            }
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error e) {
                throw e;
            }
            throw new UncheckedIOException(new IOException(t));
        }
    }

    private record Failure(int index, Throwable cause) {
    }
}
