package dev.slipway.store;

import java.util.List;

/**
 * What a garbage collection removed: build cache records and the stat memos that speed up cache
 * lookups (only when asked to drop the cache), blobs, unpacked layer directories, and leftovers in
 * {@code tmp/} from killed or failed writers.
 */
public record PruneReport(int cacheRecords, long cacheBytes, List<Blob> blobs, int layers, long layerBytes,
                          int tempEntries, long tempBytes) {
    public PruneReport {
        blobs = List.copyOf(blobs);
    }

    public PruneReport(List<Blob> blobs, int layers, long layerBytes, int tempEntries, long tempBytes) {
        this(0, 0, blobs, layers, layerBytes, tempEntries, tempBytes);
    }

    PruneReport withCache(int records, long bytes) {
        return new PruneReport(records, bytes, blobs, layers, layerBytes, tempEntries, tempBytes);
    }

    public long reclaimedBytes() {
        return blobs.stream().mapToLong(Blob::size).sum() + cacheBytes + layerBytes + tempBytes;
    }
}
