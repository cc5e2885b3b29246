package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.ImageReference;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryHostsTest {

    @ParameterizedTest
    @CsvSource({
        "node:20, registry-1.docker.io, library/node",
        "docker.io/library/busybox, registry-1.docker.io, library/busybox",
        "index.docker.io/user/app:1, registry-1.docker.io, user/app",
        "user/app, registry-1.docker.io, user/app",
        "localhost:5000/x, localhost:5000, x",
        "127.0.0.1:5000/a/b:t, 127.0.0.1:5000, a/b",
        "ghcr.io/owner/img@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, ghcr.io, owner/img",
        "[::1]:5000/img, [::1]:5000, img",
    })
    void referenceMapsToApiHostAndRepository(String reference, String apiHost, String repository) {
        ImageReference ref = ImageReference.parse(reference);
        assertThat(RegistryHosts.apiHost(ref.registry())).isEqualTo(apiHost);
        assertThat(ref.repository()).isEqualTo(repository);
    }

    @Test
    void dockerHubCredentialsUseTheLegacyKey() {
        assertThat(RegistryHosts.configKey("docker.io")).isEqualTo("https://index.docker.io/v1/");
        assertThat(RegistryHosts.configKey("registry-1.docker.io")).isEqualTo("https://index.docker.io/v1/");
        assertThat(RegistryHosts.configKey("Localhost:5000")).isEqualTo("localhost:5000");
    }

    @ParameterizedTest
    @CsvSource({
        "https://index.docker.io/v1/, docker.io, true",
        "index.docker.io, docker.io, true",
        "registry-1.docker.io, docker.io, true",
        "https://localhost:5000, localhost:5000, true",
        "http://localhost:5000/v2/, localhost:5000, true",
        "localhost:5000, localhost:5001, false",
        "localhost, localhost:5000, false",
        "ghcr.io, docker.io, false",
    })
    void configKeysMatchTheirRegistry(String key, String registry, boolean matches) {
        assertThat(RegistryHosts.keyMatches(key, registry)).isEqualTo(matches);
    }

    @ParameterizedTest
    @CsvSource({
        "localhost, true", "localhost:5000, true", "127.0.0.1:5000, true", "127.255.0.9, true",
        "[::1]:5000, true", "::1, true", "128.0.0.1:5000, false", "127.0.0.256, false",
        "127.0.0.1.example.com, false", "example.com, false", "10.0.0.1:5000, false", "[::2]:5000, false",
    })
    void loopbackHosts(String host, boolean loopback) {
        assertThat(RegistryHosts.isLoopback(host)).isEqualTo(loopback);
    }

    @Test
    void plainHttpIsOfferedOnlyWhenAllowedAndFirstOnlyForLoopback() {
        assertThat(RegistryHosts.baseUris("docker.io", false)).containsExactly(URI.create("https://registry-1.docker.io"));
        assertThat(RegistryHosts.baseUris("reg.internal:5000", true))
                .containsExactly(URI.create("https://reg.internal:5000"), URI.create("http://reg.internal:5000"));
        assertThat(RegistryHosts.baseUris("localhost:5000", true))
                .containsExactly(URI.create("http://localhost:5000"), URI.create("https://localhost:5000"));
    }
}
