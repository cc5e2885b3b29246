package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Platform;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bearer-token flow against a real docker-registry configured for token auth, with a token
 * server of the test's own that signs JWTs the registry verifies: anyone may pull, only
 * {@link #USER} may push.
 */
@Tag("integration")
class TokenAuthTest {
    private static final String USER = "tokenuser";
    private static final String PASSWORD = "t0ken-Pa55-very-secret";
    private static final String SERVICE = "slipway-test-registry";
    private static final String IDENTITY_TOKEN = "identity-token-from-a-helper";

    @TempDir
    static Path dir;
    static TestRegistry registry;
    static HttpServer tokenServer;
    static PrivateKey signingKey;
    static String signingCertDer;

    /** One request to the token server: its scopes and whether it carried the right credentials. */
    record TokenRequest(List<String> scopes, boolean authenticated) {
    }

    static final List<TokenRequest> requests = new CopyOnWriteArrayList<>();
    /** When set, the next token issued is already expired although expires_in says otherwise. */
    static volatile boolean issueStaleToken;

    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        Path keys = Files.createDirectories(dir.resolve("keys"));
        TestRegistry.run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", "signing.key", "-out", "signing.pem", "-subj", "/CN=slipway-token-signer"), keys);
        signingKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pemBody(keys.resolve("signing.key"))));
        signingCertDer = Base64.getEncoder().encodeToString(pemBody(keys.resolve("signing.pem")));

        tokenServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tokenServer.createContext("/token", TokenAuthTest::issue);
        tokenServer.start();
        String realm = "http://127.0.0.1:" + tokenServer.getAddress().getPort() + "/token";
        registry = TestRegistry.start(dir.resolve("reg"),
                new TestRegistry.Options(null, null, null, realm, keys.resolve("signing.pem")));
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tokenServer != null) {
            tokenServer.stop(0);
        }
    }

    @BeforeEach
    void reset() {
        requests.clear();
        issueStaleToken = false;
    }

    private static byte[] pemBody(Path pem) throws IOException {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }

    private static void issue(HttpExchange ex) throws IOException {
        try {
            String query = ex.getRequestURI().getRawQuery() == null ? "" : ex.getRequestURI().getRawQuery();
            List<String> scopes = new ArrayList<>();
            String service = null;
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String k = kv.substring(0, eq);
                String v = URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                if (k.equals("scope")) {
                    scopes.add(v);
                } else if (k.equals("service")) {
                    service = v;
                }
            }
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String expected = "Basic " + Base64.getEncoder().encodeToString((USER + ":" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            boolean authenticated = expected.equals(auth);
            if (ex.getRequestMethod().equals("POST")) {
                // The OAuth2 variant: a form with grant_type=refresh_token and one space-separated scope.
                String form = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                java.util.Map<String, String> fields = new java.util.HashMap<>();
                for (String kv : form.split("&")) {
                    int eq = kv.indexOf('=');
                    fields.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
                }
                service = fields.get("service");
                scopes.addAll(List.of(fields.getOrDefault("scope", "").split(" ")));
                authenticated = "refresh_token".equals(fields.get("grant_type"))
                        && IDENTITY_TOKEN.equals(fields.get("refresh_token"));
                auth = authenticated ? null : "refused";
            }
            requests.add(new TokenRequest(scopes, authenticated));
            if ((auth != null && !authenticated) || !SERVICE.equals(service)) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            ObjectMapper json = new ObjectMapper();
            ArrayNode access = json.createArrayNode();
            for (String scope : scopes) {
                String[] parts = scope.split(":");
                if (parts.length != 3 || !parts[0].equals("repository")) {
                    continue;
                }
                ArrayNode actions = json.createArrayNode();
                for (String action : parts[2].split(",")) {
                    if (action.equals("pull") || (action.equals("push") && authenticated)) {
                        actions.add(action);
                    }
                }
                access.addObject().put("type", "repository").put("name", parts[1]).set("actions", actions);
            }
            long now = System.currentTimeMillis() / 1000;
            long exp = issueStaleToken ? now - 600 : now + 300;
            issueStaleToken = false;
            ObjectNode header = json.createObjectNode().put("alg", "RS256").put("typ", "JWT");
            header.putArray("x5c").add(signingCertDer);
            ObjectNode claims = json.createObjectNode().put("iss", "slipway-test-issuer")
                    .put("sub", authenticated ? USER : "").put("aud", SERVICE).put("exp", exp)
                    .put("nbf", now - 900).put("iat", now - 900).put("jti", UUID.randomUUID().toString());
            claims.set("access", access);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString(json.writeValueAsBytes(header)) + "."
                    + b64.encodeToString(json.writeValueAsBytes(claims));
            Signature sig = Signature.getInstance("SHA256withRSA");
            sig.initSign(signingKey);
            sig.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            String token = signingInput + "." + b64.encodeToString(sig.sign());
            String field = ex.getRequestMethod().equals("POST") ? "access_token" : "token";
            byte[] body = json.writeValueAsBytes(json.createObjectNode().put(field, token).put("expires_in", 300));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        } catch (Exception e) {
            ex.sendResponseHeaders(500, -1);
        } finally {
            ex.close();
        }
    }

    private Store store(String name) {
        return new Store(new StoreRoot(work.resolve(name)), Clock.systemUTC());
    }

    private static RegistryClient client(Credentials credentials) {
        return new RegistryClient(RegistryConfig.defaults().withRetries(2, Duration.ofMillis(20)),
                r -> Optional.ofNullable(credentials), TransferListener.NONE);
    }

    @Test
    void pushWithCredentialsThenAnonymousPullReusingOneToken() throws Exception {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/tok/app:1", 3, 5_000, 12, false);
        assertThat(client(new Credentials(USER, PASSWORD)).push(source, image.reference(), image.reference()).digest())
                .isEqualTo(image.manifest());
        assertThat(requests).isNotEmpty().allMatch(TokenRequest::authenticated);
        assertThat(requests.get(0).scopes()).contains("repository:tok/app:pull,push");

        requests.clear();
        RegistryClient.PullResult pull = client(null).pull(image.reference(), Platform.host(), store("b"));
        assertThat(pull.manifestDigest()).isEqualTo(image.manifest());
        assertThat(pull.downloaded()).isEqualTo(4);
        assertThat(requests).containsExactly(new TokenRequest(List.of("repository:tok/app:pull"), false));
    }

    @Test
    void anonymousPushGetsOnlyPullAndIsRefusedClearly() throws Exception {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/tok/anon:1", 1, 1000, 13, false);
        assertThatThrownBy(() -> client(null).push(source, image.reference(), image.reference()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(registry.host()).hasMessageContaining("401")
                .hasMessageContaining("slipway login " + registry.host());
    }

    @Test
    void wrongPasswordIsRefusedByTheTokenServerWithoutEchoingIt() throws Exception {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/tok/wrong:1", 1, 1000, 14, false);
        String wrong = "wr0ng-" + PASSWORD;
        assertThatThrownBy(() -> client(new Credentials(USER, wrong)).push(source, image.reference(), image.reference()))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("credentials were refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
        assertThatThrownBy(() -> client(null).login(registry.host(), new Credentials(USER, wrong)))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(wrong));
        client(null).login(registry.host(), new Credentials(USER, PASSWORD));
    }

    @Test
    void aTokenTheRegistryRejectsIsRefreshedOnce() throws Exception {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/tok/stale:1", 1, 1000, 15, false);
        client(new Credentials(USER, PASSWORD)).push(source, image.reference(), image.reference());
        requests.clear();
        issueStaleToken = true;
        RegistryClient.PullResult pull = client(null).pull(ImageReference.parse(registry.host() + "/tok/stale:1"),
                Platform.host(), store("b"));
        assertThat(pull.manifestDigest()).isEqualTo(image.manifest());
        assertThat(requests).hasSize(2);
    }

    @Test
    void identityTokenIsExchangedThroughTheOAuth2RefreshGrant() throws Exception {
        Store source = store("a");
        TestImage.Written image = TestImage.create(source, registry.host() + "/tok/oauth:1", 1, 1000, 16, false);
        RegistryClient.PushResult r = client(new Credentials(Credentials.TOKEN_USER, IDENTITY_TOKEN))
                .push(source, image.reference(), image.reference());
        assertThat(r.digest()).isEqualTo(image.manifest());
        assertThat(requests).isNotEmpty().allMatch(TokenRequest::authenticated);
        assertThat(requests.get(0).scopes()).contains("repository:tok/oauth:pull,push");
        assertThatThrownBy(() -> client(new Credentials(Credentials.TOKEN_USER, "stale-" + IDENTITY_TOKEN))
                .push(source, image.reference(), image.reference()))
                .isInstanceOf(RegistryException.class).hasMessageContaining("credentials were refused")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(IDENTITY_TOKEN));
    }
}
