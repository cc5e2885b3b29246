package dev.slipway.build.snapshot;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * A writable view of a stack of layer directories for one build step. {@link #rootfs()} is what
 * the step sees; {@link #commit()} ends the view and yields the step's new layer as an
 * overlay-style directory (whiteouts as 0/0 character devices, opaque directories marked with
 * the {@code trusted.overlay.opaque} xattr), which {@code dev.slipway.layer} turns into a tar.
 * {@link #close()} always unmounts and removes the scratch state (at once, or through the
 * snapshotter's {@link ScratchCleaner}), even after a failure.
 */
public interface Snapshot extends AutoCloseable {

    /** The root filesystem the step runs in; valid until {@link #commit()} or {@link #close()}. */
    Path rootfs();

    /** Where the step's new layer is (or, for the copy fallback, will be once committed). */
    Path upperDir();

    /**
     * Records, before it happens, that the runtime (not the step) will create and remove entries
     * inside the existing directory {@code path} (absolute inside the rootfs), such as a mountpoint
     * stub in {@code /etc}. At commit the directory is left out of the layer when nothing of it
     * differs from the layers below.
     */
    void runtimeTouched(String path);

    /** Ends the view and returns the directory holding the step's changes. */
    Path commit();

    /**
     * After {@link #commit()}: whether the committed directory's content is already durable (an
     * overlay's unmount syncs its upper file system). When not, whoever keeps the directory must
     * sync it before anything that names it is recorded.
     */
    default boolean committedDurable() {
        return false;
    }

    /**
     * After {@link #commit()}: the committed directory's {@code TreeScanner.OVERLAY_XATTRS}, keyed by
     * relative path, when the commit had to read them anyway; empty when it did not.
     */
    default Optional<Map<String, SortedMap<String, byte[]>>> committedXattrs() {
        return Optional.empty();
    }

    /** Unmounts and removes scratch state; the upper directory is removed unless committed. */
    @Override
    void close();
}
