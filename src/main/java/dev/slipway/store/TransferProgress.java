package dev.slipway.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Bytes of blobs on the move (pull, push, save, load), for progress bars. Each transfer has an id
 * (a digest as text, or a name in an archive) and goes started, progressed..., finished. Called
 * from transfer threads, several transfers at once.
 */
public interface TransferProgress {
    /** Shows nothing; transfers given it skip the byte counting altogether. */
    TransferProgress NONE = new TransferProgress() {
        @Override
        public boolean shown() {
            return false;
        }
    };

    /** Whether anyone sees the progress: when not, a transfer need not count its bytes. */
    default boolean shown() {
        return true;
    }

    /**
     * A transfer begins: {@code action} is Docker's word for it ("Downloading", "Pushing",
     * "Loading"), {@code size} its length in bytes or -1 when not known.
     */
    default void started(String id, String action, long size) {
    }

    /** {@code done} bytes of the transfer have moved so far (it may go back when a chunk is sent again). */
    default void progressed(String id, long done) {
    }

    /** The transfer is over; {@code status} says how ("Pull complete (3.2MB)", "Already exists"). */
    default void finished(String id, String status) {
    }

    /** {@code in}, reporting the bytes read from it as progress of {@code id}, counted from {@code offset}. */
    static InputStream counting(InputStream in, TransferProgress progress, String id, long offset) {
        return !progress.shown() ? in : new Counting(in, progress, id, offset);
    }

    /** Reports the running count at most once per 64 KiB, so a byte-at-a-time reader stays cheap. */
    final class Counting extends FilterInputStream {
        private static final long STEP = 1 << 16;
        private final TransferProgress progress;
        private final String id;
        private long count;
        private long reported;

        Counting(InputStream in, TransferProgress progress, String id, long offset) {
            super(in);
            this.progress = progress;
            this.id = id;
            this.count = offset;
            this.reported = offset;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                add(1);
            } else {
                report();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                add(n);
            } else {
                report();
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            add(skipped);
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() throws IOException {
            report();
            super.close();
        }

        private void add(long n) {
            count += n;
            if (count - reported >= STEP) {
                report();
            }
        }

        private void report() {
            if (count != reported) {
                reported = count;
                progress.progressed(id, count);
            }
        }
    }
}
