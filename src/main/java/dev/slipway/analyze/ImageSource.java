package dev.slipway.analyze;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * An image to analyse, wherever it lives: its config and its layers in order, each readable once
 * as an uncompressed tar stream. Nothing is unpacked to disk.
 */
public interface ImageSource extends Closeable {

    /** One layer: the blob as stored or shipped, and the diffID of its uncompressed tar. */
    record Layer(Digest digest, Digest diffId, String mediaType, long compressedSize) {
    }

    /** How the user named the image ("app:1.0", "save.tar"). */
    String name();

    /** Repository and tag for tables; either may be {@code <none>}. */
    String repository();

    String tag();

    /** The image ID (config digest), or null where the source has none. */
    Digest id();

    ImageConfig config();

    List<Layer> layers();

    /** The uncompressed tar of layer {@code index}; the caller closes it. */
    InputStream openLayer(int index) throws IOException;

    @Override
    default void close() throws IOException {
    }
}
