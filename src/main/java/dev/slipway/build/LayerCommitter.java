package dev.slipway.build;

import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.MediaTypes;
import dev.slipway.layer.LayerEntry;
import dev.slipway.layer.LayerWriter;
import dev.slipway.layer.TreeScanner;
import dev.slipway.store.Blob;
import dev.slipway.store.WriteBehind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * Turns a step's overlay-form directory (an overlayfs upperdir) into a layer: a deterministic tar
 * stored as an uncompressed blob (so its digest is the diffID) and the directory itself moved under
 * the store's {@code layers/} where later steps use it as a lowerdir as it is.
 */
public final class LayerCommitter {
    private final WriteBehind writes;
    private final OptionalLong epoch;

    /** Layers go to the store through {@code writes}: durable once it is drained. */
    public LayerCommitter(WriteBehind writes, Long epoch) {
        this.writes = writes;
        this.epoch = epoch == null ? OptionalLong.empty() : OptionalLong.of(epoch);
    }

    /**
     * Ends {@code snapshot} and stores its changes as the layer; the changed directory is moved away
     * (or deleted when the layer already exists).
     */
    public LayerDir commit(Snapshot snapshot) {
        Path upperDir = snapshot.commit();
        Map<String, SortedMap<String, byte[]>> xattrs = snapshot.committedXattrs().orElse(null);
        try {
            List<LayerEntry> entries = xattrs == null ? TreeScanner.scanOverlayUpper(upperDir)
                    : TreeScanner.scanOverlayUpper(upperDir, xattrs);
            // Straight into the store, which hashes it: no temporary tar, and one hash, not two.
            Blob blob = writes.blob(out -> new LayerWriter(epoch).writeUnhashed(entries, out));
            Digest diffId = blob.digest();
            return new LayerDir(diffId, writes.adopt(diffId, upperDir),
                    new Descriptor(MediaTypes.OCI_LAYER, diffId, blob.size()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the step's layer: " + e.getMessage(), e);
        }
    }
}
