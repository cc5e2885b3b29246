package dev.slipway.build;

import dev.slipway.store.DockerFormat;
import dev.slipway.store.TransferProgress;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Build progress in BuildKit's plain style: {@code #5 [builder 3/6] RUN npm ci}, then the step's
 * output lines prefixed with its number and the seconds since it started, then {@code #5 DONE 1.2s}
 * or {@code #5 ERROR: ...}. Steps of parallel stages interleave line by line. Thread-safe.
 * Other views (the terminal's, in {@code build.progress}) implement the same calls, so the solver
 * never knows which one it reports to.
 */
public interface Progress extends AutoCloseable {

    /** Starts a step and returns its number. */
    int start(String label);

    void output(int step, String line);

    void done(int step);

    /** Ends a step whose result came from the build cache: nothing was executed. */
    void cached(int step);

    /**
     * Says, before a step ends, that its result is in the build cache under a key its inputs fix,
     * whether it came from there or was just made: a rebuild with the same inputs reports it
     * {@code CACHED}. Views show nothing for it; a record of the build for replay uses it.
     */
    default void cacheable(int step) {
    }

    void error(int step, String message);

    /**
     * Ends a step stopped because another stage failed, as BuildKit's {@code #7 CANCELED}: the
     * build's error is that other stage's, reported there.
     */
    default void canceled(int step) {
        error(step, "canceled");
    }

    /** A note that belongs to no step (a warning, the image id). */
    void note(String message);

    /** A sub-status of a running step, BuildKit's {@code #9 naming to docker.io/library/app:1 done}. */
    default void detail(int step, String text) {
        note("#" + step + " " + text);
    }

    /**
     * Where the blobs a build moves (base images pulled, the image pushed, a registry cache) report
     * their bytes: bars on a terminal, one line per finished blob in the plain log, nothing when quiet.
     */
    default TransferProgress transfers() {
        return TransferProgress.NONE;
    }

    /** Ends the view: a live one draws its final frame. Anything printed after this comes below it. */
    @Override
    default void close() {
    }

    /** Prints nothing. */
    Progress QUIET = new Progress() {
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public int start(String label) {
            return next.getAndIncrement();
        }

        @Override
        public void output(int step, String line) {
        }

        @Override
        public void done(int step) {
        }

        @Override
        public void cached(int step) {
        }

        @Override
        public void error(int step, String message) {
        }

        @Override
        public void canceled(int step) {
        }

        @Override
        public void note(String message) {
        }
    };

    /** Plain progress written to {@code out}. */
    static Progress plain(PrintWriter out) {
        return new Plain(out);
    }

    /** BuildKit's {@code --progress=plain} format. */
    final class Plain implements Progress {
        private final PrintWriter out;
        private final AtomicInteger next = new AtomicInteger(1);
        private final ConcurrentHashMap<Integer, Long> started = new ConcurrentHashMap<>();

        Plain(PrintWriter out) {
            this.out = out;
        }

        @Override
        public int start(String label) {
            int n = next.getAndIncrement();
            started.put(n, System.nanoTime());
            print("#" + n + " " + label);
            return n;
        }

        @Override
        public void output(int step, String line) {
            print("#" + step + " " + seconds(step, 3) + " " + line);
        }

        @Override
        public void done(int step) {
            print("#" + step + " DONE " + seconds(step, 1) + "s");
            print("");
        }

        @Override
        public void cached(int step) {
            print("#" + step + " CACHED");
            print("");
        }

        @Override
        public void error(int step, String message) {
            print("#" + step + " ERROR: " + message);
            print("");
        }

        @Override
        public void canceled(int step) {
            print("#" + step + " CANCELED");
            print("");
        }

        @Override
        public void note(String message) {
            print(message);
        }

        /** As {@code slipway pull} prints off a terminal: {@code 3f4a1c2b9d0e: Pull complete (3.2MB)}. */
        @Override
        public TransferProgress transfers() {
            return new TransferProgress() {
                @Override
                public void finished(String id, String status) {
                    if (status != null) {
                        print(DockerFormat.transferLabel(id) + ": " + status);
                    }
                }
            };
        }

        private String seconds(int step, int decimals) {
            long t = System.nanoTime() - started.getOrDefault(step, System.nanoTime());
            return String.format(Locale.ROOT, "%." + decimals + "f", t / 1e9);
        }

        private synchronized void print(String line) {
            out.println(line);
            out.flush();
        }
    }
}
