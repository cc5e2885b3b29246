package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.Platform;
import dev.slipway.plan.StageScope;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageStateTest {
    private static LayerDir layer(String name) {
        return new LayerDir(Digest.sha256(name.getBytes()), Path.of("/layers", name), null);
    }

    @Test
    void layersMustBeTheConfigsDiffIdsInOrder() {
        ImageConfig empty = ImageConfig.empty(Platform.host());
        StageScope scope = StageScope.onImage(null, null);
        StageState two = new StageState(empty, List.of(), scope, false)
                .withLayer(layer("a"), new ImageConfig.History(null, "RUN a", null))
                .withLayer(layer("b"), new ImageConfig.History(null, "RUN b", null));
        assertThat(two.lowerDirs()).containsExactly(Path.of("/layers/b"), Path.of("/layers/a"));
        assertThatThrownBy(() -> new StageState(two.image(), List.of(layer("b"), layer("a")), scope, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("diff_ids");
        assertThatThrownBy(() -> new StageState(two.image(), List.of(layer("a")), scope, false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StageState(empty, List.of(layer("a")), scope, false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
