package dev.slipway.store;

import dev.slipway.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Layers unpacked once each into {@code layers/<diffID hex>/}, for use as overlay lower directories
 * and for analysis. A layer is unpacked in {@code tmp/} and renamed into place when complete, so a
 * directory under {@code layers/} is always a whole layer; what a killed process leaves in
 * {@code tmp/} is never mistaken for one.
 */
public final class LayerStore {
    private final StoreRoot root;

    /** Fills an empty directory with a layer's file tree (extraction lives in {@code dev.slipway.layer}). */
    @FunctionalInterface
    public interface Unpacker {
        void unpackInto(Path emptyDir) throws IOException;
    }

    public LayerStore(StoreRoot root) {
        this.root = root;
    }

    public Path path(Digest diffId) {
        return root.layers().resolve(diffId.hex());
    }

    public boolean has(Digest diffId) {
        return Files.isDirectory(path(diffId), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * The directory of the layer {@code diffId}, unpacking it with {@code unpacker} first when it is
     * not there yet. Concurrent callers may both unpack; the first rename wins and the other copy
     * is dropped.
     */
    public Path unpack(Digest diffId, Unpacker unpacker) {
        Path target = path(diffId);
        if (has(diffId)) {
            return target;
        }
        try (StoreLock.Held session = StoreLock.of(root.gcLock()).shared()) {
            TopDirs.prepare(root);
            Path tmp = AtomicFiles.tempName(root.tmp(), "layer");
            try {
                Files.createDirectory(tmp);
                unpacker.unpackInto(tmp);
                AtomicFiles.createDirectories(root.layers());
                AtomicFiles.moveDirectoryIfAbsent(tmp, target);
            } finally {
                AtomicFiles.deleteTree(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack layer " + diffId + ": " + e.getMessage(), e);
        }
        return target;
    }

    /**
     * Takes {@code dir}, a complete layer directory made elsewhere on the same file system (a build
     * step's overlay upperdir), as the layer {@code diffId} by renaming it into place. When the
     * layer is already there, {@code dir} is deleted and the existing one kept.
     */
    public Path adopt(Digest diffId, Path dir) {
        return adopt(diffId, dir, true);
    }

    /** As {@link #adopt(Digest, Path)}; without {@code sync} the caller makes the rename durable later. */
    Path adopt(Digest diffId, Path dir, boolean sync) {
        Path target = path(diffId);
        try {
            AtomicFiles.createDirectories(root.layers());
            if (!AtomicFiles.moveDirectoryIfAbsent(dir, target, sync)) {
                AtomicFiles.deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store layer " + diffId + ": " + e.getMessage(), e);
        }
        return target;
    }

    /** The diffIDs of all unpacked layers, sorted. */
    public List<Digest> list() {
        List<Digest> layers = new ArrayList<>();
        for (Path p : entries()) {
            Digest d = ContentStore.parseHex(p.getFileName().toString());
            if (d != null && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                layers.add(d);
            }
        }
        return layers;
    }

    /** Everything directly under {@code layers/}, whether a layer or not. */
    List<Path> entries() {
        if (!Files.isDirectory(root.layers())) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root.layers())) {
            return s.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root.layers(), e);
        }
    }

    /**
     * Removes an entry of {@code layers/}: renamed into {@code tmp/} first, so that a deletion cut
     * short never leaves a partial tree under a layer's name. Returns the bytes freed.
     */
    long delete(Path entry) throws IOException {
        Path doomed = AtomicFiles.tempName(root.tmp(), "deleted-layer");
        long size = AtomicFiles.treeSize(entry);
        Files.move(entry, doomed, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        AtomicFiles.deleteTree(doomed);
        return size;
    }
}
