package dev.slipway.registry;

import dev.slipway.image.Descriptor;
import dev.slipway.store.TransferProgress;

/**
 * Told about each blob of a pull or push once it is settled; called from transfer threads. The
 * bytes of a blob that moves are reported through {@link TransferProgress} first (id: the digest);
 * {@link #blobDone} then ends the transfer instead of {@link TransferProgress#finished}.
 */
@FunctionalInterface
public interface TransferListener extends TransferProgress {
    /** What happened to a blob. */
    enum Outcome {
        /** Already in the local store (pull) or the registry (push): nothing moved. */
        ALREADY_EXISTS,
        DOWNLOADED,
        PUSHED,
        /** Pushed by cross-repository mount: the registry copied it from another repository. */
        MOUNTED,
        /** A foreign or non-distributable layer, which pushes leave out. */
        SKIPPED_FOREIGN
    }

    TransferListener NONE = (blob, outcome, detail) -> { };

    /** {@code detail} is the repository a mount came from, else null. */
    void blobDone(Descriptor blob, Outcome outcome, String detail);
}
