package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigTest {
    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("docker/config.json");
    }

    private DockerConfig config() {
        return new DockerConfig(file(), List.of(dir.resolve("bin")));
    }

    private void write(String json) throws IOException {
        Files.createDirectories(file().getParent());
        Files.writeString(file(), json);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void configLocationFollowsDockerConfigVariable() {
        Path home = Path.of("/home/u");
        assertThat(DockerConfig.defaultFile(Map.of(), home)).isEqualTo(Path.of("/home/u/.docker/config.json"));
        assertThat(DockerConfig.defaultFile(Map.of("DOCKER_CONFIG", "/etc/dc"), home))
                .isEqualTo(Path.of("/etc/dc/config.json"));
    }

    @Test
    void readsBase64AuthsUnderEveryKeyForm() throws IOException {
        write("{\"auths\": {"
                + "\"https://index.docker.io/v1/\": {\"auth\": \"" + b64("hubuser:hub:pass") + "\"},"
                + "\"http://localhost:5000/v2/\": {\"auth\": \"" + b64("local:pw") + "\"},"
                + "\"reg.example\": {\"username\": \"plain\", \"password\": \"pw2\"}}}");
        assertThat(config().lookup("docker.io")).contains(new Credentials("hubuser", "hub:pass"));
        assertThat(config().lookup("registry-1.docker.io")).contains(new Credentials("hubuser", "hub:pass"));
        assertThat(config().lookup("localhost:5000")).contains(new Credentials("local", "pw"));
        assertThat(config().lookup("reg.example")).contains(new Credentials("plain", "pw2"));
        assertThat(config().lookup("localhost:5001")).isEmpty();
        assertThat(config().lookup("ghcr.io")).isEmpty();
    }

    @Test
    void identityTokenBecomesTokenUser() throws IOException {
        write("{\"auths\": {\"reg.example\": {\"identitytoken\": \"refresh-me\"}}}");
        assertThat(config().lookup("reg.example")).contains(new Credentials(Credentials.TOKEN_USER, "refresh-me"));
    }

    @Test
    void missingFileMeansNoCredentials() {
        assertThat(config().lookup("docker.io")).isEmpty();
    }

    @Test
    void storeWritesDockerCompatibleAuthKeepingOtherFieldsOwnerOnly() throws IOException {
        write("{\"psFormat\": \"table {{.ID}}\", \"auths\": {\"other.example\": {\"auth\": \"" + b64("o:p") + "\"}}}");
        config().store("docker.io", new Credentials("me", "s3cret"));
        config().store("localhost:5000", new Credentials("you", "pw"));
        JsonNode tree = new ObjectMapper().readTree(file().toFile());
        assertThat(tree.path("psFormat").asText()).isEqualTo("table {{.ID}}");
        assertThat(tree.path("auths").path("https://index.docker.io/v1/").path("auth").asText()).isEqualTo(b64("me:s3cret"));
        assertThat(tree.path("auths").path("localhost:5000").path("auth").asText()).isEqualTo(b64("you:pw"));
        assertThat(tree.path("auths").path("other.example").path("auth").asText()).isEqualTo(b64("o:p"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file()))).isEqualTo("rw-------");
        assertThat(config().lookup("docker.io")).contains(new Credentials("me", "s3cret"));
    }

    @Test
    void storeReplacesAnOlderEntryUnderAnotherKeyForm() throws IOException {
        write("{\"auths\": {\"https://localhost:5000\": {\"auth\": \"" + b64("old:pw") + "\"}}}");
        config().store("localhost:5000", new Credentials("new", "pw"));
        JsonNode auths = new ObjectMapper().readTree(file().toFile()).path("auths");
        assertThat(auths.has("https://localhost:5000")).isFalse();
        assertThat(config().lookup("localhost:5000")).contains(new Credentials("new", "pw"));
    }

    @Test
    void eraseRemovesOnlyThatRegistry() throws IOException {
        config().store("localhost:5000", new Credentials("a", "b"));
        config().store("reg.example", new Credentials("c", "d"));
        assertThat(config().erase("localhost:5000")).isTrue();
        assertThat(config().erase("localhost:5000")).isFalse();
        assertThat(config().lookup("localhost:5000")).isEmpty();
        assertThat(config().lookup("reg.example")).contains(new Credentials("c", "d"));
    }

    /** A docker-credential-NAME script that keeps credentials in files named after the server URL. */
    private void fakeHelper(String name) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path state = Files.createDirectories(dir.resolve("helper-" + name));
        Path script = bin.resolve("docker-credential-" + name);
        Files.writeString(script, "#!/bin/sh\n"
                + "state=" + state + "\n"
                + "case \"$1\" in\n"
                + "  get) url=$(cat); f=$state/$(printf %s \"$url\" | md5sum | cut -c1-32);\n"
                + "       if [ -f \"$f\" ]; then cat \"$f\"; else echo 'credentials not found in native keychain'; exit 1; fi;;\n"
                + "  store) json=$(cat); url=$(printf %s \"$json\" | sed 's/.*\"ServerURL\":\"\\([^\"]*\\)\".*/\\1/');\n"
                + "       printf %s \"$json\" > $state/$(printf %s \"$url\" | md5sum | cut -c1-32);;\n"
                + "  erase) url=$(cat); rm -f $state/$(printf %s \"$url\" | md5sum | cut -c1-32);;\n"
                + "esac\n");
        script.toFile().setExecutable(true);
    }

    @Test
    void credHelpersTakePrecedenceOverCredsStoreAndAuths() throws IOException {
        fakeHelper("special");
        fakeHelper("desktop");
        write("{\"credsStore\": \"desktop\", \"credHelpers\": {\"reg.example\": \"special\"},"
                + "\"auths\": {\"reg.example\": {\"auth\": \"" + b64("fromauths:x") + "\"}}}");
        config().store("reg.example", new Credentials("viahelper", "helper-secret-1"));
        config().store("docker.io", new Credentials("viastore", "store-secret-2"));
        assertThat(Files.list(dir.resolve("helper-special")).count()).isEqualTo(1);
        assertThat(Files.list(dir.resolve("helper-desktop")).count()).isEqualTo(1);
        assertThat(Files.readString(file())).doesNotContain("helper-secret-1").doesNotContain("store-secret-2").doesNotContain(b64("viahelper:helper-secret-1"));
        assertThat(config().lookup("reg.example")).contains(new Credentials("viahelper", "helper-secret-1"));
        assertThat(config().lookup("docker.io")).contains(new Credentials("viastore", "store-secret-2"));
        assertThat(config().erase("reg.example")).isTrue();
        assertThat(config().lookup("reg.example")).isEmpty();
    }

    @Test
    void helperWithoutCredentialsFallsBackToAuths() throws IOException {
        fakeHelper("empty");
        write("{\"credsStore\": \"empty\", \"auths\": {\"reg.example\": {\"auth\": \"" + b64("u:p") + "\"}}}");
        assertThat(config().lookup("reg.example")).isEqualTo(Optional.of(new Credentials("u", "p")));
    }

    @Test
    void missingHelperIsAClearError() throws IOException {
        write("{\"credsStore\": \"nowhere\"}");
        assertThatThrownBy(() -> config().lookup("reg.example")).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("docker-credential-nowhere").hasMessageContaining("PATH");
    }

    @Test
    void malformedConfigErrorDoesNotQuoteTheFile() throws IOException {
        write("{\"auths\": {\"reg\": {\"auth\": \"" + b64("user:topsecret") + "\"}} trailing-garbage-topsecret");
        assertThatThrownBy(() -> config().lookup("reg")).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("not valid JSON")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("topsecret").doesNotContain(b64("user:topsecret")));
    }

    @Test
    void credentialsNeverPrintTheirSecret() {
        assertThat(new Credentials("user", "hunter2").toString()).contains("user").doesNotContain("hunter2");
    }
}
