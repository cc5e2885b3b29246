package dev.slipway.analyze;

/** One path a layer changed; {@code entry} is the new entry, or the removed one for REMOVED. */
public record FileChange(String path, Change change, LayerFile entry) {
}
