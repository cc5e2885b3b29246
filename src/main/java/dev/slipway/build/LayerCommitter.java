package dev.slipway.build;

import dev.slipway.RandomIds;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.MediaTypes;
import dev.slipway.layer.LayerEntry;
import dev.slipway.layer.LayerWriter;
import dev.slipway.layer.Syscalls;
import dev.slipway.layer.TreeScanner;
import dev.slipway.store.Blob;
import dev.slipway.store.WriteBehind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * Turns a step's overlay-form directory (an overlayfs upperdir) into a layer: a deterministic tar
 * stored as an uncompressed blob (so its digest is the diffID) and the directory itself moved under
 * the store's {@code layers/} where later steps use it as a lowerdir as it is. The {@link #lazily()
 * lazy} committer only moves the directory, under a random id: the tar is made when something
 * needs it ({@link #writeTar}), for most such layers never.
 */
public final class LayerCommitter {
    private final WriteBehind writes;
    private final OptionalLong epoch;
    private final boolean lazy;

    /** Layers go to the store through {@code writes}: durable once it is drained. */
    public LayerCommitter(WriteBehind writes, Long epoch) {
        this(writes, epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch), false);
    }

    private LayerCommitter(WriteBehind writes, OptionalLong epoch, boolean lazy) {
        this.writes = writes;
        this.epoch = epoch;
        this.lazy = lazy;
    }

    /** A committer of lazy layers ({@link LayerDir#lazy()}) into the same store. */
    public LayerCommitter lazily() {
        return new LayerCommitter(writes, epoch, true);
    }

    /**
     * Writes the tar of the overlay-form directory {@code dir} (its overlay xattrs already read when
     * {@code xattrs} is not null) to {@code out}: the same bytes whenever it is called on the same
     * tree with the same {@code epoch}.
     */
    static void writeTar(Path dir, Map<String, SortedMap<String, byte[]>> xattrs, OptionalLong epoch,
            OutputStream out) throws IOException {
        List<LayerEntry> entries = xattrs == null ? TreeScanner.scanOverlayUpper(dir)
                : TreeScanner.scanOverlayUpper(dir, xattrs);
        new LayerWriter(epoch).writeUnhashed(entries, out);
    }

    /**
     * Makes a layer directory's content durable: one syncfs of its file system when the native
     * helpers are loaded (what an overlay's unmount would have done, but off the step's path), else
     * an fsync of every file and directory in it. True for the syncfs, which covers the whole store.
     */
    static boolean sync(Path layer) {
        try {
            if (Syscalls.available()) {
                Syscalls.syncfs(layer);
                return true;
            }
            Files.walkFileTree(layer, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isRegularFile()) {
                        force(file);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    force(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sync layer " + layer + ": " + e.getMessage(), e);
        }
    }

    private static void force(Path p) throws IOException {
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /**
     * Ends {@code snapshot} and stores its changes as the layer; the changed directory is moved away
     * (or deleted when the layer already exists). A lazy committer's layer has no {@link
     * LayerDir#pending} yet: the caller, who knows the step, adds it.
     */
    public LayerDir commit(Snapshot snapshot) {
        Path upperDir = snapshot.commit();
        boolean durable = snapshot.committedDurable();
        Map<String, SortedMap<String, byte[]>> xattrs = snapshot.committedXattrs().orElse(null);
        if (lazy) {
            // Not a diffID: a name no tar can have, unique to this directory, whose content never changes.
            Digest id = Digest.sha256(RandomIds.uuid().toString().getBytes(StandardCharsets.UTF_8));
            return new LayerDir(id, writes.adopt(id, upperDir, durable ? null : LayerCommitter::sync), null, null);
        }
        // Straight into the store, which hashes it: no temporary tar, and one hash, not two.
        Blob blob = writes.blob(out -> writeTar(upperDir, xattrs, epoch, out));
        Digest diffId = blob.digest();
        return new LayerDir(diffId, writes.adopt(diffId, upperDir, durable ? null : LayerCommitter::sync),
                new Descriptor(MediaTypes.OCI_LAYER, diffId, blob.size()));
    }
}
