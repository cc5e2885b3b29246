package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.image.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Checks that a stored manifest and everything it names are present and intact. */
final class TestImagesCheck {
    private TestImagesCheck() {
    }

    static void assertWhole(Store s, Digest manifest) {
        try {
            JsonNode tree = new ObjectMapper().readTree(s.content().read(manifest));
            Digest config = Digest.parse(tree.path("config").path("digest").asText());
            assertThat(s.content().read(config)).isNotEmpty();
            for (JsonNode layer : tree.path("layers")) {
                assertThat(s.content().read(Digest.parse(layer.path("digest").asText()))).isNotNull();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
