package dev.slipway.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An OCI image index or a Docker manifest list: manifests for several platforms (or tags). */
public record ImageIndex(
        @JsonProperty("schemaVersion") int schemaVersion,
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("artifactType") String artifactType,
        @JsonProperty("manifests") List<Descriptor> manifests,
        @JsonProperty("subject") Descriptor subject,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) implements ImageDocument {

    public ImageIndex {
        if (schemaVersion != 2) {
            throw new SlipwayException("unsupported index schemaVersion " + schemaVersion + " (only 2 is supported)");
        }
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
        annotations = Copies.map(annotations);
        extra = Copies.extra(extra);
    }

    public static ImageIndex of(List<Descriptor> manifests) {
        return new ImageIndex(2, MediaTypes.OCI_INDEX, null, manifests, null, null, Map.of());
    }

    public String effectiveMediaType() {
        return mediaType != null ? mediaType : MediaTypes.OCI_INDEX;
    }

    /** The first image manifest for {@code wanted} (see {@link Platform#matches}). */
    public Optional<Descriptor> manifestFor(Platform wanted) {
        return manifests.stream()
                .filter(d -> d.platform() != null && wanted.matches(d.platform()))
                .findFirst();
    }
}
