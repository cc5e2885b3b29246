package dev.slipway.store;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import java.time.Instant;

/**
 * One reference in the store: a normalized {@code name:tag} (or {@code name@digest}) pointing to a
 * manifest or index, and when it was last set.
 */
public record TagRecord(ImageReference reference, Digest target, Instant tagged) {
}
