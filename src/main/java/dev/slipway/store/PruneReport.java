package dev.slipway.store;

import java.util.List;

/**
 * What a garbage collection removed: blobs, unpacked layer directories, and leftovers in
 * {@code tmp/} from killed or failed writers.
 */
public record PruneReport(List<Blob> blobs, int layers, long layerBytes, int tempEntries, long tempBytes) {
    public PruneReport {
        blobs = List.copyOf(blobs);
    }

    public long reclaimedBytes() {
        return blobs.stream().mapToLong(Blob::size).sum() + layerBytes + tempBytes;
    }
}
