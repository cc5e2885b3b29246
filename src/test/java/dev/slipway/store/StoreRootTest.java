package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreRootTest {
    private static final Path HOME = Path.of("/home/u");

    @Test
    void optionWinsOverEnvironment() {
        assertThat(StoreRoot.resolve(Path.of("/x"), Map.of("SLIPWAY_ROOT", "/y"), false, HOME).dir())
                .isEqualTo(Path.of("/x"));
    }

    @Test
    void environmentWinsOverDefault() {
        assertThat(StoreRoot.resolve(null, Map.of("SLIPWAY_ROOT", "/y"), true, HOME).dir())
                .isEqualTo(Path.of("/y"));
    }

    @Test
    void emptyEnvironmentVariableIsIgnored() {
        assertThat(StoreRoot.resolve(null, Map.of("SLIPWAY_ROOT", ""), false, HOME).dir())
                .isEqualTo(Path.of("/home/u/.local/share/slipway"));
    }

    @Test
    void defaultDependsOnTheUser() {
        assertThat(StoreRoot.resolve(null, Map.of(), true, HOME).dir()).isEqualTo(Path.of("/var/lib/slipway"));
        assertThat(StoreRoot.resolve(null, Map.of(), false, HOME).dir())
                .isEqualTo(Path.of("/home/u/.local/share/slipway"));
    }

    @Test
    void relativeRootIsMadeAbsolute() {
        assertThat(StoreRoot.resolve(Path.of("rel"), Map.of(), false, HOME).dir().isAbsolute()).isTrue();
    }
}
