package dev.slipway.store;

import com.github.luben.zstd.ZstdInputStream;
import dev.slipway.image.Digest;
import dev.slipway.image.MediaTypes.Compression;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Decompression and hashing of the streams that archives hold. */
final class Streams {
    static final int BUFFER = 1 << 16;

    private Streams() {
    }

    /** The compression a stream starts with, by magic number; the stream must support mark. */
    static Compression sniff(InputStream in) throws IOException {
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    static InputStream decompress(InputStream in, Compression compression) throws IOException {
        return switch (compression) {
            case NONE -> in;
            case GZIP -> new GzipCompressorInputStream(in, true);
            case ZSTD -> new ZstdInputStream(in);
        };
    }

    /** A stream that hashes (and counts) what passes through it. */
    static final class Hashing extends FilterInputStream {
        private final MessageDigest sha = Digest.newSha256();
        private long count;

        Hashing(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                sha.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                sha.update(buf, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, BUFFER)];
            int read = read(buf, 0, buf.length);
            return Math.max(read, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        Digest digest() {
            return Digest.fromMessageDigest(sha.digest());
        }

        long count() {
            return count;
        }
    }

    /** The digest and size of the whole stream, and of its decompressed content. */
    record Digests(Digest digest, long size, Digest uncompressed, long uncompressedSize, Compression compression) {
    }

    /**
     * Reads a stream to its end, hashing it as it is and as it decompresses; the compression is the
     * given one or, when null, sniffed.
     */
    static Digests digests(InputStream raw, Compression compression) throws IOException {
        Hashing outer = new Hashing(raw);
        BufferedInputStream buffered = new BufferedInputStream(outer, BUFFER);
        Compression actual = compression != null ? compression : sniff(buffered);
        Hashing inner;
        try (InputStream decompressed = decompress(buffered, actual)) {
            inner = new Hashing(decompressed);
            inner.transferTo(OutputStream.nullOutputStream());
            buffered.transferTo(OutputStream.nullOutputStream());
        }
        return new Digests(outer.digest(), outer.count(), inner.digest(), inner.count(), actual);
    }
}
