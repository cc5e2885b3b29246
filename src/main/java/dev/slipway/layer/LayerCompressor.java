package dev.slipway.layer;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Compresses layer tars, several at once, and keeps the results in a cache directory keyed by
 * diffID and compression, so a layer is compressed once however many images push or save it.
 * One pass over the input gives the diffID, the compressed digest and the compressed size.
 *
 * <p>Cache layout: {@code DIR/<compression>/<diffID hex>} holds the blob and
 * {@code <diffID hex>.digest} holds "{@code sha256:... SIZE}"; both are written to a temporary
 * file, synced and renamed, the record last, so a half-written blob is never taken for a hit.
 */
public final class LayerCompressor {
    private final Path cacheDir;
    private final int threads;

    /** The compressed form of a layer. {@code file} lives in the cache; callers copy or link it. */
    public record Compressed(Digest diffId, Compression compression, Digest digest, long size, Path file) {}

    /** A layer to compress: its tar (compressed or not) and, when the caller knows it, its diffID. */
    public record Input(Path tar, Digest diffId) {
        public Input(Path tar) {
            this(tar, null);
        }
    }

    public LayerCompressor(Path cacheDir) {
        this(cacheDir, Runtime.getRuntime().availableProcessors());
    }

    public LayerCompressor(Path cacheDir, int threads) {
        this.cacheDir = cacheDir;
        this.threads = Math.max(1, threads);
    }

    /** Compresses the layers in parallel (at most {@code threads} at a time); results keep the input order. */
    public List<Compressed> compressAll(List<Input> inputs, Compression compression) throws IOException {
        if (inputs.size() <= 1 || threads == 1) {
            List<Compressed> out = new ArrayList<>();
            for (Input in : inputs) {
                out.add(compress(in, compression));
            }
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(threads, inputs.size()));
        try {
            List<Future<Compressed>> futures = new ArrayList<>();
            for (Input in : inputs) {
                futures.add(pool.submit(() -> compress(in, compression)));
            }
            List<Compressed> out = new ArrayList<>();
            for (Future<Compressed> f : futures) {
                out.add(await(f));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    public Compressed compress(Input input, Compression compression) throws IOException {
        if (input.diffId() != null) {
            Compressed hit = lookup(input.diffId(), compression);
            if (hit != null) {
                return hit;
            }
        }
        Path dir = Files.createDirectories(cacheDir.resolve(key(compression)));
        Path tmp = Files.createTempFile(dir, ".compress-", ".tmp");
        try {
            DigestingInputStream uncompressed;
            DigestingOutputStream compressed;
            try (InputStream raw = Files.newInputStream(input.tar());
                    FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                uncompressed = new DigestingInputStream(Compression.decompressing(raw));
                compressed = new DigestingOutputStream(new BufferedOutputStream(keepOpen(Channels.newOutputStream(channel)), 1 << 16));
                try (OutputStream out = compression.compress(compressed)) {
                    uncompressed.transferTo(out);
                }
                channel.force(true);
            }
            Digest diffId = uncompressed.digest();
            if (input.diffId() != null && !input.diffId().equals(diffId)) {
                throw new SlipwayException(input.tar() + ": diffID mismatch: expected " + input.diffId() + ", got " + diffId);
            }
            Compressed result = new Compressed(diffId, compression, compressed.digest(), compressed.count(), blob(diffId, compression));
            move(tmp, result.file());
            Path record = Files.createTempFile(dir, ".record-", ".tmp");
            try (FileChannel ch = FileChannel.open(record, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap((result.digest() + " " + result.size()).getBytes(StandardCharsets.US_ASCII)));
                ch.force(true);
            }
            move(record, recordFile(diffId, compression));
            return result;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The cached compressed form of {@code diffId}, or null. */
    public Compressed lookup(Digest diffId, Compression compression) throws IOException {
        Path record = recordFile(diffId, compression);
        Path blob = blob(diffId, compression);
        if (!Files.exists(record) || !Files.exists(blob)) {
            return null;
        }
        String[] parts = Files.readString(record, StandardCharsets.US_ASCII).trim().split(" ");
        if (parts.length != 2) {
            return null;
        }
        long size = Long.parseLong(parts[1]);
        if (Files.size(blob) != size) {
            return null;
        }
        return new Compressed(diffId, compression, Digest.parse(parts[0]), size, blob);
    }

    private Path blob(Digest diffId, Compression c) {
        return cacheDir.resolve(key(c)).resolve(diffId.hex());
    }

    private Path recordFile(Digest diffId, Compression c) {
        return cacheDir.resolve(key(c)).resolve(diffId.hex() + ".digest");
    }

    private static String key(Compression c) {
        return c.name().toLowerCase(Locale.ROOT);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Closing the compressor finishes its format; the channel stays open to be synced. */
    private static OutputStream keepOpen(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static Compressed await(Future<Compressed> f) throws IOException {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compressing layers", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IOException(cause);
        }
    }
}
