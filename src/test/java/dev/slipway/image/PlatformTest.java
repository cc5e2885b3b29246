package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import org.junit.jupiter.api.Test;

class PlatformTest {
    @Test
    void parsesOsArchVariant() {
        Platform p = Platform.parse("linux/arm64/v8");
        assertThat(p.os()).isEqualTo("linux");
        assertThat(p.architecture()).isEqualTo("arm64");
        assertThat(p.variant()).isEqualTo("v8");
        assertThat(Platform.parse("linux/x86_64").architecture()).isEqualTo("amd64");
        assertThat(Platform.parse("linux/amd64").variant()).isNull();
    }

    @Test
    void refusesMalformedPlatforms() {
        for (String bad : new String[] {"linux", "linux/", "/amd64", "linux/arm/v7/extra", ""}) {
            assertThatThrownBy(() -> Platform.parse(bad)).isInstanceOf(SlipwayException.class)
                    .hasMessageContaining("invalid platform");
        }
    }

    @Test
    void hostUsesGoArchitectureNames() {
        String expected = java.util.Map.of("amd64", "amd64", "x86_64", "amd64", "aarch64", "arm64")
                .get(System.getProperty("os.arch"));
        Platform host = Platform.host();
        assertThat(host.os()).isEqualTo("linux");
        assertThat(host.architecture()).isEqualTo(expected);
        assertThat(Platform.normalizeArchitecture("aarch64")).isEqualTo("arm64");
        assertThat(Platform.normalizeArchitecture("i686")).isEqualTo("386");
    }

    @Test
    void matchesWithVariantDefaults() {
        assertThat(Platform.parse("linux/arm64/v8").matches(Platform.parse("linux/arm64"))).isTrue();
        assertThat(Platform.parse("linux/arm64").matches(Platform.parse("linux/arm64/v8"))).isTrue();
        assertThat(Platform.parse("linux/arm/v7").matches(Platform.parse("linux/arm/v6"))).isFalse();
        assertThat(Platform.parse("linux/amd64").matches(Platform.parse("windows/amd64"))).isFalse();
    }
}
