package dev.slipway.scan;

import java.util.List;

/**
 * What an image contains: its OS release (null when it has no os-release), its layers, its
 * packages sorted by type, name and version, and notes on what could not be read.
 */
public record Catalog(String image, OsRelease os, List<Layer> layers, List<Package> packages, List<String> notes) {

    /** A layer as the catalogue refers to it; {@code createdBy} from the image history when known. */
    public record Layer(int index, String diffId, String createdBy) {
    }

    public Catalog {
        layers = List.copyOf(layers);
        packages = List.copyOf(packages);
        notes = List.copyOf(notes);
    }

    public Layer layer(Package p) {
        return p.layer() >= 0 && p.layer() < layers.size() ? layers.get(p.layer()) : null;
    }
}
