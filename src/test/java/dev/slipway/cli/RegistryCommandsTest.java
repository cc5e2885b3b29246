package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Platform;
import dev.slipway.registry.Credentials;
import dev.slipway.registry.RegistryClient;
import dev.slipway.registry.RegistryConfig;
import dev.slipway.registry.RegistryException;
import dev.slipway.registry.TestImage;
import dev.slipway.registry.TestRegistry;
import dev.slipway.registry.TransferListener;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.Assertions;

/**
 * pull, push, login and logout from the command line against a docker-registry with htpasswd basic
 * auth; and the password never shows in anything Slipway prints, --debug stack traces included.
 */
@Tag("integration")
class RegistryCommandsTest {
    private static final String USER = "slipway";
    private static final String PASSWORD = "Pa55-w0rd-xyzzy-31337";

    @TempDir
    static Path registryDir;
    static TestRegistry registry;

    @TempDir
    Path work;

    private final List<String> printed = new ArrayList<>();

    @BeforeAll
    static void startRegistry() throws Exception {
        String line = TestRegistry.run(List.of("htpasswd", "-Bbn", USER, PASSWORD), registryDir).trim();
        Path htpasswd = registryDir.resolve("htpasswd");
        Files.writeString(htpasswd, line + "\n");
        registry = TestRegistry.start(registryDir.resolve("reg"),
                new TestRegistry.Options(htpasswd, null, null, null, null));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @AfterEach
    void checkNoLeak() {
        String base64 = Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        for (String output : printed) {
            assertThat(output).doesNotContain(PASSWORD).doesNotContain(base64);
        }
    }

    private CliRun slipway(String stdin, String... args) {
        return slipwayIn(work.resolve("root"), stdin, args);
    }

    private CliRun slipwayIn(Path root, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--debug"));
        all.addAll(List.of(args));
        String[] argv = all.toArray(String[]::new);
        CliRun r = stdin == null ? CliRun.in(root, argv) : CliRun.inWithStdin(root, stdin, argv);
        printed.add(r.out());
        printed.add(r.err());
        return r;
    }

    private String config() {
        return work.resolve("docker").toString();
    }

    @Test
    void anonymousPullIsRefusedWithAHint() {
        RegistryClient client = new RegistryClient(RegistryConfig.defaults(), r -> Optional.empty(), TransferListener.NONE);
        Assertions.assertThatThrownBy(() -> client.pull(ImageReference.parse(registry.host() + "/x:1"), Platform.host(),
                        new Store(new StoreRoot(work.resolve("s")), Clock.systemUTC())))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("401").hasMessageContaining("slipway login " + registry.host());
    }

    @Test
    void wrongPasswordIsRefusedAndNothingIsWritten() {
        CliRun r = slipway("not-" + PASSWORD + "\n", "login", "--config", config(), "-u", USER, "--password-stdin",
                registry.host());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("error: login to " + registry.host() + " failed: the credentials were refused");
        assertThat(r.err()).doesNotContain("not-" + PASSWORD);
        assertThat(work.resolve("docker/config.json")).doesNotExist();
    }

    @Test
    void loginPushPullLogout() throws Exception {
        CliRun login = slipway(PASSWORD + "\n", "login", "--config", config(), "-u", USER, "--password-stdin",
                registry.host());
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(login.out()).isEqualTo("Login Succeeded\n");
        Path configFile = work.resolve("docker/config.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(configFile))).isEqualTo("rw-------");
        JsonNode auth = new ObjectMapper().readTree(configFile.toFile()).path("auths").path(registry.host());
        assertThat(new String(Base64.getDecoder().decode(auth.path("auth").asText()), StandardCharsets.UTF_8))
                .isEqualTo(USER + ":" + PASSWORD);

        Store store = new Store(new StoreRoot(work.resolve("root")), Clock.systemUTC());
        TestImage.Written image = TestImage.create(store, registry.host() + "/cli/app:1", 2, 20_000, 7, false);
        CliRun push = slipway(null, "push", "--config", config(), registry.host() + "/cli/app:1",
                registry.host() + "/cli/copy:2");
        assertThat(push.exit()).as(push.err()).isZero();
        assertThat(push.out()).startsWith("The push refers to repository [" + registry.host() + "/cli/copy]\n")
                .endsWith("2: digest: " + image.manifest() + " size: " + image.manifestBytes().length + "\n");
        assertThat(push.out().lines().filter(l -> l.matches("[0-9a-f]{12}: (Pushed \\(.*\\)|Mounted from cli/app)")))
                .hasSize(3);

        CliRun pull = slipwayIn(work.resolve("other"), null, "pull", "--config", config(),
                registry.host() + "/cli/copy:2");
        assertThat(pull.exit()).as(pull.err()).isZero();
        List<String> lines = pull.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("2: Pulling from " + registry.host() + "/cli/copy");
        assertThat(lines.subList(1, 4)).allMatch(l -> l.matches("[0-9a-f]{12}: Pull complete \\(\\d.*B\\)"));
        assertThat(lines.subList(4, lines.size())).containsExactly("Digest: " + image.manifest(),
                "Status: Downloaded newer image for " + registry.host() + "/cli/copy:2",
                registry.host() + "/cli/copy:2");
        Store other = new Store(new StoreRoot(work.resolve("other")), Clock.systemUTC());
        assertThat(other.references().get(ImageReference.parse(registry.host() + "/cli/copy:2")).orElseThrow().target())
                .isEqualTo(image.manifest());

        CliRun again = slipwayIn(work.resolve("other"), null, "pull", "--config", config(),
                registry.host() + "/cli/copy:2");
        assertThat(again.out()).contains("Status: Image is up to date for " + registry.host() + "/cli/copy:2");

        CliRun logout = slipway(null, "logout", "--config", config(), registry.host());
        assertThat(logout.out()).isEqualTo("Removing login credentials for " + registry.host() + "\n");
        assertThat(Files.readString(configFile)).doesNotContain(registry.host());
        CliRun refused = slipway(null, "pull", "--config", config(), registry.host() + "/cli/copy:2");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("error: ").contains("401");
        CliRun notLoggedIn = slipway(null, "logout", "--config", config(), registry.host());
        assertThat(notLoggedIn.out()).isEqualTo("Not logged in to " + registry.host() + "\n");
    }

    @Test
    void passwordOnTheCommandLineWorksButWarns() {
        CliRun r = slipway(null, "login", "--config", config(), "-u", USER, "-p", PASSWORD, registry.host());
        assertThat(r.exit()).isZero();
        assertThat(r.err()).contains("WARNING! Using --password via the CLI is insecure");
        assertThat(r.out()).doesNotContain(PASSWORD);
        assertThat(r.err()).doesNotContain(PASSWORD);
    }

    @Test
    void credentialsFromTheDockerConfigArePresentedToTheRegistry() throws Exception {
        dev.slipway.registry.DockerConfig docker = dev.slipway.registry.DockerConfig.in(work.resolve("docker"));
        docker.store(registry.host(), new Credentials(USER, PASSWORD));
        Store store = new Store(new StoreRoot(work.resolve("api")), Clock.systemUTC());
        TestImage.Written image = TestImage.create(store, registry.host() + "/api/app:1", 1, 1000, 8, true);
        RegistryClient client = RegistryClient.withDockerCredentials(RegistryConfig.defaults(), docker,
                TransferListener.NONE);
        assertThat(client.push(store, image.reference(), image.reference()).digest()).isEqualTo(image.manifest());
        Digest pulled = client.pull(image.reference(), Platform.host(),
                new Store(new StoreRoot(work.resolve("api2")), Clock.systemUTC())).manifestDigest();
        assertThat(pulled).isEqualTo(image.manifest());
        assertThat(registry.log()).doesNotContain(PASSWORD);
    }
}
