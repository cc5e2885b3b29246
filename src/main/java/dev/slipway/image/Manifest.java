package dev.slipway.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import java.util.List;
import java.util.Map;

/**
 * An image manifest, OCI ({@link MediaTypes#OCI_MANIFEST}) or Docker schema 2
 * ({@link MediaTypes#DOCKER_MANIFEST}): the two share their shape.
 */
public record Manifest(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("artifactType") String artifactType,
        @JsonProperty("config") Descriptor config,
        @JsonProperty("layers") List<Descriptor> layers,
        @JsonProperty("subject") Descriptor subject,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) implements ImageDocument {

    public Manifest {
        if (schemaVersion != 2) {
            throw new SlipwayException("unsupported manifest schemaVersion " + schemaVersion + " (only 2 is supported)");
        }
        if (config == null) {
            throw new SlipwayException("manifest has no config descriptor");
        }
        layers = layers == null ? List.of() : List.copyOf(layers);
        annotations = Copies.map(annotations);
        extra = Copies.extra(extra);
    }

    /** An OCI manifest, or a Docker one when {@code docker} (what {@code docker load} and old registries need). */
    public static Manifest of(Descriptor config, List<Descriptor> layers, boolean docker) {
        return new Manifest(2, docker ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST, null, config, layers,
                null, null, Map.of());
    }

    /** The media type, or OCI's when the document leaves it out (OCI allows that). */
    public String effectiveMediaType() {
        return mediaType != null ? mediaType
                : MediaTypes.isDocker(config.mediaType()) ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
    }

    public Manifest withAnnotations(Map<String, String> newAnnotations) {
        return new Manifest(schemaVersion, mediaType, artifactType, config, layers, subject, newAnnotations, extra);
    }
}
