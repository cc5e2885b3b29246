package dev.slipway.analyze;

import dev.slipway.image.Digest;
import java.util.List;
import java.util.Map;

/**
 * Everything {@code slipway analyze} knows about an image. Sizes are bytes; "size" of a layer is
 * the sum of its tar entries' content sizes as dive counts it, "tarSize" the uncompressed tar as
 * Docker counts it.
 */
public record Analysis(
        String name,
        String repository,
        String tag,
        Digest id,
        List<LayerReport> layers,
        long sizeBytes,
        long tarSize,
        long compressedSize,
        long visibleBytes,
        int files,
        Dive dive,
        Corrected corrected,
        BaseImage base,
        List<SizedPath> largestFiles,
        List<SizedPath> largestDirectories,
        List<StageShare> stages) {

    /** One layer with what made it and what it changed. */
    public record LayerReport(
            int index,
            Digest digest,
            Digest diffId,
            String mediaType,
            long compressedSize,
            long tarSize,
            long size,
            String command,
            String createdBy,
            String comment,
            String stage,
            boolean base,
            int added,
            int modified,
            int removed,
            List<LayerFile> files,
            List<FileChange> changes) {
    }

    /**
     * dive's figures, computed as dive computes them. {@code userWastedPercent} is a ratio (dive
     * prints it ×100) and is NaN or infinite when the layers after the first hold no bytes.
     */
    public record Dive(long sizeBytes, long userSizeBytes, double efficiency, long wastedBytes,
            double userWastedPercent, List<InefficientPath> inefficientFiles) {
    }

    /** A path seen in two layers or more: dive's "inefficient files". */
    public record InefficientPath(String path, int count, long cumulativeBytes, long minBytes) {
    }

    /**
     * The corrected figures. {@code reclaimableBytes}: bytes of file versions that no one sees in
     * the final image (overwritten, deleted, deleted with their directory, hidden by an opaque
     * directory), which squashing or rewriting the layers would save; the surviving copy is never
     * counted. {@code efficiency} = visible bytes / all layer bytes. The user figures count only
     * layers above the base image boundary. {@code diveWastedBytesExcludingKept} is dive's path
     * metric with the kept copy removed (Σ cumulative − min, the dive#684 fix), for comparison.
     */
    public record Corrected(
            long reclaimableBytes,
            Map<HiddenFile.Reason, Long> reclaimableByReason,
            Map<HiddenFile.Reason, Integer> filesByReason,
            long diveWastedBytesExcludingKept,
            double efficiency,
            long userSizeBytes,
            long userReclaimableBytes,
            Double userWastedPercent,
            long duplicateBytes,
            List<Duplicate> duplicates,
            List<HiddenFile> largestWasted) {
    }

    /** Files of the final image with identical content under different paths. */
    public record Duplicate(long size, List<String> paths) {
        public long wastedBytes() {
            return size * (paths.size() - 1);
        }
    }

    /** Where the base image ends: layers [0, layers) are its; {@code method} says how that was found. */
    public record BaseImage(int layers, String method, String name) {
    }

    public record SizedPath(String path, long size) {
    }

    /** Bytes of the image's layers that a Dockerfile stage (or the base image) contributed. */
    public record StageShare(String stage, int layers, long bytes, double share) {
    }
}
