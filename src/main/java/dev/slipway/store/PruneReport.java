package dev.slipway.store;

import java.util.List;

/**
 * What a garbage collection removed: build cache records (only when asked to drop the cache),
 * blobs, unpacked layer directories, and leftovers in {@code tmp/} from killed or failed writers.
 */
public record PruneReport(int cacheRecords, List<Blob> blobs, int layers, long layerBytes, int tempEntries,
                          long tempBytes) {
    public PruneReport {
        blobs = List.copyOf(blobs);
    }

    public PruneReport(List<Blob> blobs, int layers, long layerBytes, int tempEntries, long tempBytes) {
        this(0, blobs, layers, layerBytes, tempEntries, tempBytes);
    }

    PruneReport withCacheRecords(int count) {
        return new PruneReport(count, blobs, layers, layerBytes, tempEntries, tempBytes);
    }

    public long reclaimedBytes() {
        return blobs.stream().mapToLong(Blob::size).sum() + layerBytes + tempBytes;
    }
}
