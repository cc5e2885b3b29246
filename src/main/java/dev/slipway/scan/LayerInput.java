package dev.slipway.scan;

import java.io.IOException;
import java.io.InputStream;

/** One layer to catalogue: its diffID, the history line that made it, and its tar (compressed or not). */
public record LayerInput(String diffId, String createdBy, Opener opener) {

    @FunctionalInterface
    public interface Opener {
        InputStream open() throws IOException;
    }
}
