package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.image.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerStoreTest {
    private static final Digest DIFF_ID = Digest.sha256("layer".getBytes());

    @TempDir
    Path dir;

    @Test
    void unpacksOnceAndReusesTheDirectory() throws IOException {
        LayerStore layers = new LayerStore(new StoreRoot(dir));
        AtomicInteger calls = new AtomicInteger();
        Path first = layers.unpack(DIFF_ID, d -> {
            calls.incrementAndGet();
            Files.writeString(d.resolve("hello"), "world");
        });
        Path second = layers.unpack(DIFF_ID, d -> calls.incrementAndGet());
        assertThat(first).isEqualTo(second).isEqualTo(dir.resolve("layers/" + DIFF_ID.hex()));
        assertThat(first.resolve("hello")).hasContent("world");
        assertThat(calls).hasValue(1);
        assertThat(layers.list()).containsExactly(DIFF_ID);
    }

    @Test
    void failedUnpackLeavesNoLayerAndNoTemp() throws IOException {
        LayerStore layers = new LayerStore(new StoreRoot(dir));
        assertThatThrownBy(() -> layers.unpack(DIFF_ID, d -> {
            Files.writeString(d.resolve("half"), "x");
            throw new IOException("truncated tar");
        })).hasMessageContaining("truncated tar");
        assertThat(layers.has(DIFF_ID)).isFalse();
        assertThat(layers.list()).isEmpty();
        try (var tmp = Files.list(dir.resolve("tmp"))) {
            assertThat(tmp).isEmpty();
        }
    }

    @Test
    void halfUnpackedTempDirectoryIsNotALayer() throws IOException {
        Path leftover = dir.resolve("tmp/layer-1-abc");
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve("half"), "x");
        LayerStore layers = new LayerStore(new StoreRoot(dir));
        assertThat(layers.list()).isEmpty();
        assertThat(layers.has(DIFF_ID)).isFalse();
    }
}
