package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryConfigTest {
    @TempDir
    Path root;

    @Test
    void plainHttpOnlyForLoopbackAndListedRegistries() {
        RegistryConfig c = RegistryConfig.defaults().withInsecure("Registry.Example:5000", "other.example");
        assertThat(c.plainHttpAllowed("127.0.0.1:5000")).isTrue();
        assertThat(c.plainHttpAllowed("localhost")).isTrue();
        assertThat(c.plainHttpAllowed("registry.example:5000")).isTrue();
        assertThat(c.plainHttpAllowed("registry.example:5001")).isFalse();
        assertThat(c.plainHttpAllowed("other.example:443")).isTrue();
        assertThat(c.plainHttpAllowed("docker.io")).isFalse();
        assertThat(c.plainHttpAllowed("ghcr.io")).isFalse();
    }

    @Test
    void readsRegistriesJsonUnderTheRoot() throws IOException {
        Files.writeString(root.resolve("registries.json"),
                "{\"insecure-registries\": [\"reg.internal:5000\"], \"ca-certs\": [\"certs/ca.pem\"]}");
        RegistryConfig c = RegistryConfig.load(root);
        assertThat(c.plainHttpAllowed("reg.internal:5000")).isTrue();
        assertThat(c.caCerts()).containsExactly(root.resolve("certs/ca.pem"));
    }

    @Test
    void noFileMeansDefaults() {
        assertThat(RegistryConfig.load(root)).isEqualTo(RegistryConfig.defaults());
    }

    @Test
    void malformedFileIsAClearError() throws IOException {
        Files.writeString(root.resolve("registries.json"), "{\"insecure-registries\": \"reg:5000\"}");
        assertThatThrownBy(() -> RegistryConfig.load(root)).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("insecure-registries").hasMessageContaining("array");
        Files.writeString(root.resolve("registries.json"), "{nope");
        assertThatThrownBy(() -> RegistryConfig.load(root)).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("registries.json");
    }
}
