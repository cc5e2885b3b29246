package dev.slipway.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.slipway.image.Digest;
import java.util.List;

/**
 * A build cache record, stored as {@code cache/<key hex>.json}. What it keeps alive against
 * {@code prune} is exactly what it names: {@code blobs} (each kept, and when it is a manifest or
 * index, everything it references too) and {@code layers} (unpacked layer directories by diffID).
 * {@code data} is free for the build cache to describe the record; the store does not read it.
 */
public record CacheRecord(Digest key, List<Digest> blobs, List<Digest> layers, JsonNode data) {
    public CacheRecord {
        blobs = List.copyOf(blobs);
        layers = List.copyOf(layers);
        data = data == null ? JsonNodeFactory.instance.objectNode() : data.deepCopy();
    }
}
