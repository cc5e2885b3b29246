package dev.slipway.build;

import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import java.nio.file.Path;

/**
 * One layer of a stage: its diffID and its unpacked directory in overlay form (deletions as 0/0
 * character devices, opaque directories marked with {@code trusted.overlay.opaque=y}), so that the
 * directory can be handed to overlayfs as a lowerdir as it is. {@code blob} is the stored tar
 * (uncompressed for built layers, as pulled or loaded for base layers) for the manifest.
 */
public record LayerDir(Digest diffId, Path dir, Descriptor blob) {
}
