package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Platform;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A docker-registry behind TLS with a certificate from a CA made for the test. */
@Tag("integration")
class RegistryTlsTest {
    @TempDir
    static Path dir;
    static TestRegistry registry;
    static Path caPem;

    @TempDir
    Path work;

    @BeforeAll
    static void startRegistry() throws Exception {
        caPem = dir.resolve("ca.pem");
        Path certs = Files.createDirectories(dir.resolve("certs"));
        TestRegistry.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", "ca.key", "-out", caPem.toString(), "-subj", "/CN=slipway-test-ca"), certs);
        TestRegistry.run(List.of("openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key",
                "-out", "server.csr", "-subj", "/CN=127.0.0.1"), certs);
        Files.writeString(certs.resolve("ext.cnf"), "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n");
        TestRegistry.run(List.of("openssl", "x509", "-req", "-in", "server.csr", "-CA", caPem.toString(),
                "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2",
                "-extfile", "ext.cnf"), certs);
        registry = TestRegistry.start(dir.resolve("reg"), new TestRegistry.Options(null,
                certs.resolve("server.pem"), certs.resolve("server.key"), null, null));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private Store store(String name) {
        return new Store(new StoreRoot(work.resolve(name)), Clock.systemUTC());
    }

    private static RegistryClient client(RegistryConfig config) {
        return new RegistryClient(config.withRetries(2, Duration.ofMillis(20)), r -> Optional.empty(),
                TransferListener.NONE);
    }

    @Test
    void untrustedCertificateIsRefusedWithoutFallingBackToPlainHttp() throws Exception {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/tls:1", 1, 1000, 9, false);
        assertThatThrownBy(() -> client(RegistryConfig.defaults()).push(source, image.reference(), image.reference()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(registry.host())
                .hasMessageContaining("certificate is not trusted")
                .hasMessageContaining("--ca-cert");
    }

    @Test
    void caCertMakesPushAndPullWork() throws Exception {
        RegistryConfig trusted = RegistryConfig.defaults().withCaCerts(List.of(caPem));
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/tls:2", 2, 10_000, 10, false);
        assertThat(client(trusted).push(source, image.reference(), image.reference()).digest())
                .isEqualTo(image.manifest());
        Store target = store("b");
        RegistryClient.PullResult r = client(trusted).pull(image.reference(), Platform.host(), target);
        assertThat(r.manifestDigest()).isEqualTo(image.manifest());
        for (Digest blob : image.blobs()) {
            assertThat(target.content().read(blob)).isEqualTo(source.content().read(blob));
        }
    }

    @Test
    void caCertFromRegistriesJsonUnderTheRoot() throws Exception {
        Path root = Files.createDirectories(work.resolve("root"));
        Files.writeString(root.resolve(RegistryConfig.FILE_NAME), "{\"ca-certs\": [\"" + caPem + "\"]}");
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/tls:3", 1, 1000, 11, false);
        client(RegistryConfig.load(root)).push(source, image.reference(), image.reference());
        assertThat(client(RegistryConfig.load(root)).pull(ImageReference.parse(registry.host() + "/tls:3"),
                Platform.host(), store("c")).manifestDigest()).isEqualTo(image.manifest());
    }

    @Test
    void aCertificateForAnotherHostIsRefused() throws Exception {
        // "localhost" resolves to the same server, but the certificate names only 127.0.0.1.
        RegistryConfig trusted = RegistryConfig.defaults().withCaCerts(List.of(caPem));
        ImageReference ref = ImageReference.parse("localhost:" + registry.port() + "/tls:1");
        assertThatThrownBy(() -> client(trusted).pull(ref, Platform.host(), store("d")))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("localhost:" + registry.port());
    }
}
