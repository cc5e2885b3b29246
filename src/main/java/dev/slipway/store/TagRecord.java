package dev.slipway.store;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import java.time.Instant;
import java.util.Objects;

/**
 * One reference in the store: a normalized {@code name:tag} (or {@code name@digest}) pointing to a
 * manifest or index, and when it was last set.
 */
public record TagRecord(ImageReference reference, Digest target, Instant tagged) {
    // Written out: a record's generated equals and hashCode are bootstrapped through method handles
    // on first use, which costs a short command more than all its comparisons.
    @Override
    public boolean equals(Object o) {
        return o instanceof TagRecord t && Objects.equals(reference, t.reference) && Objects.equals(target, t.target)
                && Objects.equals(tagged, t.tagged);
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(reference) * 31 + Objects.hashCode(target)) * 31 + Objects.hashCode(tagged);
    }
}
