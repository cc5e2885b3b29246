package dev.slipway.image;

import java.util.Set;

/** Media types of OCI and Docker schema 2 images, and what each one means to Slipway. */
public final class MediaTypes {
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar";
    public static final String OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
    public static final String OCI_LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
    public static final String OCI_LAYER_NONDISTRIBUTABLE = "application/vnd.oci.image.layer.nondistributable.v1.tar";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_GZIP =
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip";
    public static final String OCI_LAYER_NONDISTRIBUTABLE_ZSTD =
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd";
    public static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    public static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar";
    public static final String DOCKER_LAYER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public static final String DOCKER_LAYER_ZSTD = "application/vnd.docker.image.rootfs.diff.tar.zstd";
    public static final String DOCKER_FOREIGN_LAYER_GZIP = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip";
    /** Schema 1 manifests: recognised only to refuse them with a clear message. */
    public static final String DOCKER_MANIFEST_V1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_MANIFEST_V1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";

    /** How a layer blob is compressed, as its media type says. */
    public enum Compression {
        NONE, GZIP, ZSTD
    }

    private static final Set<String> MANIFESTS = Set.of(OCI_MANIFEST, DOCKER_MANIFEST);
    private static final Set<String> INDEXES = Set.of(OCI_INDEX, DOCKER_MANIFEST_LIST);
    private static final Set<String> CONFIGS = Set.of(OCI_CONFIG, DOCKER_CONFIG);
    private static final Set<String> UNCOMPRESSED_LAYERS =
            Set.of(OCI_LAYER, OCI_LAYER_NONDISTRIBUTABLE, DOCKER_LAYER);
    private static final Set<String> GZIP_LAYERS =
            Set.of(OCI_LAYER_GZIP, OCI_LAYER_NONDISTRIBUTABLE_GZIP, DOCKER_LAYER_GZIP, DOCKER_FOREIGN_LAYER_GZIP);
    private static final Set<String> ZSTD_LAYERS =
            Set.of(OCI_LAYER_ZSTD, OCI_LAYER_NONDISTRIBUTABLE_ZSTD, DOCKER_LAYER_ZSTD);
    private static final Set<String> FOREIGN_LAYERS = Set.of(OCI_LAYER_NONDISTRIBUTABLE,
            OCI_LAYER_NONDISTRIBUTABLE_GZIP, OCI_LAYER_NONDISTRIBUTABLE_ZSTD, DOCKER_FOREIGN_LAYER_GZIP);

    private MediaTypes() {
    }

    public static boolean isManifest(String mediaType) {
        return MANIFESTS.contains(mediaType);
    }

    public static boolean isIndex(String mediaType) {
        return INDEXES.contains(mediaType);
    }

    public static boolean isConfig(String mediaType) {
        return CONFIGS.contains(mediaType);
    }

    public static boolean isLayer(String mediaType) {
        return UNCOMPRESSED_LAYERS.contains(mediaType) || GZIP_LAYERS.contains(mediaType)
                || ZSTD_LAYERS.contains(mediaType);
    }

    /**
     * Foreign (Docker) and non-distributable (OCI) layers: registries may refuse them and pushes
     * skip them, because their licence forbids redistribution.
     */
    public static boolean isForeignLayer(String mediaType) {
        return FOREIGN_LAYERS.contains(mediaType);
    }

    public static boolean isDocker(String mediaType) {
        return mediaType != null && mediaType.startsWith("application/vnd.docker.");
    }

    /** The compression of a layer media type; anything that is not a layer is an error. */
    public static Compression layerCompression(String mediaType) {
        if (UNCOMPRESSED_LAYERS.contains(mediaType)) {
            return Compression.NONE;
        }
        if (GZIP_LAYERS.contains(mediaType)) {
            return Compression.GZIP;
        }
        if (ZSTD_LAYERS.contains(mediaType)) {
            return Compression.ZSTD;
        }
        throw new IllegalArgumentException("not a layer media type: " + mediaType);
    }

    /**
     * The layer media type for a compression in the OCI or Docker family. Docker schema 2 has no
     * zstd type that Docker itself reads, so zstd is always the OCI one.
     */
    public static String layerType(Compression compression, boolean docker) {
        return switch (compression) {
            case NONE -> docker ? DOCKER_LAYER : OCI_LAYER;
            case GZIP -> docker ? DOCKER_LAYER_GZIP : OCI_LAYER_GZIP;
            case ZSTD -> OCI_LAYER_ZSTD;
        };
    }
}
