package dev.slipway.analyze;

/**
 * A file version shipped in a layer but not visible in the image above it: its bytes are
 * reclaimable.
 *
 * @param layer the layer that carries the bytes
 * @param hiddenBy the layer that overwrote or deleted it
 */
public record HiddenFile(String path, long size, int layer, int hiddenBy, Reason reason) {
    /** How the version came to be hidden. dive sees only OVERWRITTEN and DELETED. */
    public enum Reason {
        OVERWRITTEN, DELETED, DELETED_WITH_DIRECTORY, OPAQUE_DIRECTORY;

        public String label() {
            return switch (this) {
                case OVERWRITTEN -> "overwritten";
                case DELETED -> "deleted";
                case DELETED_WITH_DIRECTORY -> "deleted with its directory";
                case OPAQUE_DIRECTORY -> "hidden by an opaque directory";
            };
        }
    }
}
