package dev.slipway.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import java.util.List;
import java.util.Map;

/** A content descriptor: what a blob is, its digest and its size. */
public record Descriptor(
        @JsonProperty("mediaType") String mediaType,
        @JsonProperty("digest") Digest digest,
        @JsonProperty("size") long size,
        @JsonProperty("urls") List<String> urls,
        @JsonProperty("annotations") Map<String, String> annotations,
        @JsonProperty("platform") Platform platform,
        @JsonProperty("artifactType") String artifactType,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    public Descriptor {
        if (mediaType == null || mediaType.isEmpty()) {
            throw new SlipwayException("descriptor without mediaType" + (digest == null ? "" : ": " + digest));
        }
        if (digest == null) {
            throw new SlipwayException("descriptor without digest (" + mediaType + ")");
        }
        if (size < 0) {
            throw new SlipwayException("descriptor with negative size: " + digest);
        }
        urls = Copies.list(urls);
        annotations = Copies.map(annotations);
        extra = Copies.extra(extra);
    }

    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, null, null, null, Map.of());
    }

    public Descriptor withAnnotations(Map<String, String> newAnnotations) {
        return new Descriptor(mediaType, digest, size, urls, newAnnotations, platform, artifactType, extra);
    }

    public Descriptor withPlatform(Platform newPlatform) {
        return new Descriptor(mediaType, digest, size, urls, annotations, newPlatform, artifactType, extra);
    }

    public Descriptor withMediaType(String newMediaType) {
        return new Descriptor(newMediaType, digest, size, urls, annotations, platform, artifactType, extra);
    }

    /** An annotation's value, or null. */
    public String annotation(String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
