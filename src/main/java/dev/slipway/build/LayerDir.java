package dev.slipway.build;

import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import java.nio.file.Path;

/**
 * One layer of a stage: its unpacked directory in overlay form (deletions as 0/0 character
 * devices, opaque directories marked with {@code trusted.overlay.opaque=y}), so that the directory
 * can be handed to overlayfs as a lowerdir as it is, and {@code blob}, the stored tar (uncompressed
 * for built layers, as pulled or loaded for base layers) for the manifest.
 *
 * <p>A layer is <em>made</em> when it has its tar: {@code id} is then its diffID. A step of a stage
 * that only feeds other stages ({@code COPY --from}, {@code RUN --mount from=}) leaves its layer
 * <em>lazy</em>: no tar, no blob, and {@code id} a random digest that names the directory in the
 * store and stands in for the diffID in its stage's config until {@link BuildCache#made} makes
 * it. {@code pending} then holds what making it later needs. A made lazy layer keeps its directory
 * under that random id: the store's layers are found by diffID ({@code LayerStore.has}), so an
 * image built from it and then used as a base ({@code FROM}, {@code slipway run}) unpacks the same
 * content a second time under its diffID. No alias is kept, because one that prune, the unpack
 * under the diffID and a record rewritten by another build agree on is not cheap; the cost is disk,
 * until prune drops the directory whose record is gone.
 */
public record LayerDir(Digest id, Path dir, Descriptor blob, Pending pending) {

    /**
     * What a lazy layer's tar depends on besides its directory, and where to record it once made.
     *
     * @param key     the cache key of the step that made the layer (its record is updated once made)
     * @param epoch   SOURCE_DATE_EPOCH of that step's build, which clamps the tar's times; null when unset
     * @param created the history time of that step, kept in the record
     */
    public record Pending(Digest key, Long epoch, String created) {
    }

    public LayerDir {
        if (blob != null && pending != null) {
            throw new IllegalArgumentException("a made layer has nothing pending");
        }
    }

    /** A made layer: diffID, directory and blob. */
    public LayerDir(Digest diffId, Path dir, Descriptor blob) {
        this(diffId, dir, blob, null);
    }

    /** Whether the layer has no tar yet. */
    public boolean lazy() {
        return blob == null;
    }

    /** The layer's diffID; a lazy layer has none until it is made. */
    public Digest diffId() {
        if (lazy()) {
            throw new IllegalStateException("layer " + dir + " has no diffID until it is made");
        }
        return id;
    }

    /** This lazy layer, known to come from the step {@code pending} describes. */
    LayerDir withPending(Pending p) {
        return new LayerDir(id, dir, null, p);
    }
}
