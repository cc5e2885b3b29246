package dev.slipway.store;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import dev.slipway.layer.DigestingInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Blobs addressed by their sha256 under {@code blobs/sha256/HEX}. A blob appears under its name only
 * once it is completely written and synced, so a name that exists is always a whole blob.
 */
public final class ContentStore {
    private static final int BUFFER = 1 << 16;
    /** Bounds of {@link #verified}: manifests and configs, a few per image a command touches. */
    private static final int VERIFIED_MAX_BYTES = 1 << 20;
    private static final int VERIFIED_MAX_BLOBS = 256;
    private final StoreRoot root;
    /** {@code root.blobs()}, resolved once: a save looks up a path per blob. */
    private final Path blobs;
    /**
     * Blobs that {@link #read} has hashed, by digest: the same bytes read again are not hashed again
     * (a {@code save} reads an image's manifest and config four times each, and until the JIT compiles
     * SHA-256 each hash of a few KB costs milliseconds). The file is still read every time and compared,
     * so a blob changed on disk since is hashed and refused as before.
     */
    private final Map<Digest, byte[]> verified = new ConcurrentHashMap<>();

    public ContentStore(StoreRoot root) {
        this.root = root;
        this.blobs = root.blobs();
    }

    public Path path(Digest digest) {
        return blobs.resolve(digest.hex());
    }

    public boolean has(Digest digest) {
        return Files.isRegularFile(path(digest), LinkOption.NOFOLLOW_LINKS);
    }

    /** The size of a stored blob; an unknown blob is a {@link SlipwayException}. */
    public long size(Digest digest) {
        try {
            return Files.size(path(digest));
        } catch (NoSuchFileException e) {
            throw missing(digest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stores {@code content}. Hashed first: a blob already present (the config and manifest of a
     * rebuild that changed nothing) is not written and synced again.
     */
    public Blob put(byte[] content) {
        return put(new java.io.ByteArrayInputStream(content), Digest.sha256(content));
    }

    /**
     * Stores what {@code in} yields, hashing it on the way. With {@code expected} set, content that
     * hashes differently is refused and nothing is stored. A blob already present is left as it is.
     */
    public Blob put(InputStream in, Digest expected) {
        if (expected != null && has(expected)) {
            drain(in);
            return new Blob(expected, size(expected));
        }
        return store(out -> {
            // Reads as large as the output buffer, so writes go straight through it.
            byte[] buf = new byte[BUFFER];
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        }, expected).blob();
    }

    /** Writes a blob's content to a stream. */
    @FunctionalInterface
    public interface BlobWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Stores what {@code writer} writes, hashing it on the way: for content produced rather than
     * read (a layer tar being assembled), without a second copy.
     */
    public Blob write(BlobWriter writer) {
        return store(writer, null).blob();
    }

    /** A blob {@link #writeNoting} stored; {@code existed}: the store held that digest already and kept its file, unread. */
    public record Written(Blob blob, boolean existed) {
    }

    /**
     * {@link #write}, telling whether the blob's file is the one just written (its bytes hashed on
     * the way) or one already there, which a reader must verify before trusting.
     */
    public Written writeNoting(BlobWriter writer) {
        return store(writer, null);
    }

    private Written store(BlobWriter writer, Digest expected) {
        try (StoreLock.Held session = StoreLock.of(root.gcLock()).shared()) {
            Staged staged = stage(writer);
            try {
                Digest actual = staged.blob().digest();
                if (expected != null && !expected.equals(actual)) {
                    throw new SlipwayException("blob " + expected + ": digest mismatch: content hashes to " + actual);
                }
                boolean existed = !publish(staged, true, true);
                return new Written(staged.blob(), existed);
            } finally {
                staged.discard();
            }
        }
    }

    /** A blob written and hashed into {@code tmp/} but not yet synced nor under its name. */
    record Staged(Path tmp, Blob blob) {
        void discard() {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // prune removes what is left in tmp/
            }
        }
    }

    /** Writes {@code writer}'s bytes to a temp file, hashing them; the caller holds a session. */
    Staged stage(BlobWriter writer) {
        Path tmp = AtomicFiles.tempName(root.tmp(), "blob");
        try {
            MessageDigest sha = Digest.newSha256();
            long size;
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                java.security.DigestOutputStream out = new java.security.DigestOutputStream(
                        new java.io.BufferedOutputStream(Channels.newOutputStream(ch), BUFFER), sha);
                writer.writeTo(out);
                out.flush();
                size = ch.size();
            }
            return new Staged(tmp, new Blob(Digest.fromMessageDigest(sha.digest()), size));
        } catch (IOException | RuntimeException e) {
            new Staged(tmp, null).discard();
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot write blob: " + io.getMessage(), io);
            }
            throw (RuntimeException) e;
        }
    }

    /**
     * Syncs a staged blob (unless {@code syncContent} is false: the caller synced it another way)
     * and renames it under its digest (unless that blob is there already); without
     * {@code syncDirectory} the caller makes the rename durable later. False when the blob was there.
     */
    boolean publish(Staged staged, boolean syncContent, boolean syncDirectory) {
        try {
            if (has(staged.blob().digest())) {
                return false;
            }
            if (syncContent) {
                AtomicFiles.fsync(staged.tmp());
            }
            AtomicFiles.createDirectories(root.blobs());
            AtomicFiles.replace(staged.tmp(), path(staged.blob().digest()), syncDirectory);
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write blob: " + e.getMessage(), e);
        }
    }

    /** Reads a whole blob and checks it against its digest: for manifests, configs and indexes. */
    public byte[] read(Digest digest) {
        byte[] content;
        try {
            content = Files.readAllBytes(path(digest));
        } catch (NoSuchFileException e) {
            throw missing(digest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + digest, e);
        }
        byte[] seen = verified.get(digest);
        if (seen != null && Arrays.equals(seen, content)) {
            return content;
        }
        if (!Digest.sha256(content).equals(digest)) {
            throw corrupt(digest);
        }
        if (content.length <= VERIFIED_MAX_BYTES && verified.size() < VERIFIED_MAX_BLOBS) {
            verified.put(digest, content.clone());
        }
        return content;
    }

    /**
     * Opens a blob for streaming. With {@code verify}, reading to the end throws a
     * {@link SlipwayException} when the content does not match the digest.
     */
    public InputStream open(Digest digest, boolean verify) {
        InputStream in;
        try {
            in = Files.newInputStream(path(digest));
        } catch (NoSuchFileException e) {
            throw missing(digest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + digest, e);
        }
        return verify ? new VerifyingStream(in, digest) : in;
    }

    /** All stored blobs, in digest order. */
    public List<Blob> list() {
        List<Blob> blobs = new ArrayList<>();
        if (!Files.isDirectory(root.blobs())) {
            return blobs;
        }
        try (Stream<Path> files = Files.list(root.blobs())) {
            for (Path p : (Iterable<Path>) files.sorted()::iterator) {
                Digest d = parseHex(p.getFileName().toString());
                if (d != null && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    blobs.add(new Blob(d, Files.size(p)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.blobs(), e);
        }
        return blobs;
    }

    /** Only the store's garbage collection deletes blobs, under the exclusive lock. */
    void delete(Digest digest) throws IOException {
        Files.deleteIfExists(path(digest));
    }

    static Digest parseHex(String name) {
        try {
            return new Digest("sha256", name);
        } catch (SlipwayException e) {
            return null;
        }
    }

    static SlipwayException missing(Digest digest) {
        return new SlipwayException("blob " + digest + " is not in the store");
    }

    static SlipwayException corrupt(Digest digest) {
        return new SlipwayException("blob " + digest + " is corrupt: its content does not match its digest");
    }

    private static void drain(InputStream in) {
        try {
            in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a blob, failing at its end when the content does not hash to its digest. */
    private static final class VerifyingStream extends DigestingInputStream {
        private final Digest expected;
        private boolean checked;

        VerifyingStream(InputStream in, Digest expected) {
            super(in);
            this.expected = expected;
        }

        @Override
        protected void atEnd() {
            if (!checked) {
                checked = true;
                if (!digest().equals(expected)) {
                    throw corrupt(expected);
                }
            }
        }
    }
}
