package dev.slipway.layer;

import dev.slipway.image.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/**
 * Passes bytes through while hashing (SHA-256) and counting what was read. Skipping reads, so the
 * digest covers skipped bytes too. Subclasses may act on the end of the stream ({@link #atEnd}),
 * when the digest is complete.
 */
public class DigestingInputStream extends FilterInputStream {
    private final MessageDigest sha256 = Digest.newSha256();
    private long count;

    public DigestingInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            sha256.update((byte) b);
            count++;
        } else {
            atEnd();
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
            sha256.update(b, off, n);
            count += n;
        } else if (n < 0) {
            atEnd();
        }
        return n;
    }

    /** Called each time a read finds the end of the stream; {@link #digest()} is then complete. */
    protected void atEnd() throws IOException {
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] buf = new byte[8192];
        long skipped = 0;
        while (skipped < n) {
            int r = read(buf, 0, (int) Math.min(buf.length, n - skipped));
            if (r < 0) {
                break;
            }
            skipped += r;
        }
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Reads to the end, so the digest covers the whole stream. */
    public final void drain() throws IOException {
        byte[] buf = new byte[65536];
        while (read(buf, 0, buf.length) >= 0) {
            // reading is the point
        }
    }

    public final long count() {
        return count;
    }

    public final Digest digest() {
        return Digest.fromMessageDigest(sha256.digest());
    }
}
