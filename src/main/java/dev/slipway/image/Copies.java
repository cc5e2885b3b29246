package dev.slipway.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Defensive copies for the model records. Unlike {@code List.copyOf} these keep null elements,
 * which parsed JSON may contain, and keep null itself: an absent field stays absent on write.
 */
final class Copies {
    private Copies() {
    }

    static <T> List<T> list(List<T> list) {
        return list == null ? null : Collections.unmodifiableList(new ArrayList<>(list));
    }

    static <V> Map<String, V> map(Map<String, V> map) {
        return map == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    /** Unknown fields: never null, so records built in code need not pass them. */
    static Map<String, JsonNode> extra(Map<String, JsonNode> extra) {
        return extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extra));
    }
}
