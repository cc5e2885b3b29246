package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.store.Blob;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Registries that lie, fail or die, played by a small fake registry on 127.0.0.1 (the real one can
 * not be made to misbehave): the store stays consistent and what can be retried is.
 */
class RegistryFaultTest {
    private static final int LAYER_SIZE = 1 << 20;

    @TempDir
    Path work;

    private Store source;
    private Manifest manifest;
    private byte[] manifestBytes;
    private Digest manifestDigest;
    private Descriptor layer;
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

    /** How the fake answers a blob GET; returns true when it handled the exchange itself. */
    @FunctionalInterface
    interface BlobBehaviour {
        boolean handle(HttpExchange ex, Digest digest, byte[] content) throws IOException;
    }

    /** Each GET of a blob as the fake saw it: digest and Range header. */
    record Get(Digest digest, String range, String authorization) {
    }

    private final List<Get> gets = new CopyOnWriteArrayList<>();

    @BeforeEach
    void image() throws IOException {
        source = new Store(new StoreRoot(work.resolve("source")), Clock.systemUTC());
        byte[] data = new byte[LAYER_SIZE];
        new Random(42).nextBytes(data);
        Blob layerBlob = source.content().put(data);
        Blob configBlob = source.content().put(("{\"architecture\":\"" + Platform.host().architecture()
                + "\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerBlob.digest()
                + "\"]}}").getBytes(StandardCharsets.UTF_8));
        layer = new Descriptor(MediaTypes.OCI_LAYER, layerBlob.digest(), layerBlob.size());
        manifest = Manifest.of(new Descriptor(MediaTypes.OCI_CONFIG, configBlob.digest(), configBlob.size()),
                List.of(layer), false);
        manifestBytes = ImageJson.write(manifest);
        manifestDigest = Digest.sha256(manifestBytes);
    }

    @AfterEach
    void stopServers() {
        servers.forEach(s -> s.stop(0));
    }

    /** A fake registry serving the test image as {@code fake/app:1}; blob GETs go through {@code behaviour} first. */
    private HttpServer fake(int port, BlobBehaviour behaviour, String requiredAuth) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v2/", ex -> {
            try (ex) {
                String path = ex.getRequestURI().getPath();
                if (requiredAuth != null && !requiredAuth.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                    ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"fake\"");
                    ex.sendResponseHeaders(401, -1);
                    return;
                }
                if (path.equals("/v2/")) {
                    ex.sendResponseHeaders(200, -1);
                } else if (path.equals("/v2/fake/app/manifests/1")) {
                    ex.getResponseHeaders().add("Content-Type", MediaTypes.OCI_MANIFEST);
                    ex.getResponseHeaders().add("Docker-Content-Digest", manifestDigest.toString());
                    ex.sendResponseHeaders(200, manifestBytes.length);
                    ex.getResponseBody().write(manifestBytes);
                } else if (path.startsWith("/v2/fake/app/blobs/")) {
                    Digest d = Digest.parse(path.substring("/v2/fake/app/blobs/".length()));
                    gets.add(new Get(d, ex.getRequestHeaders().getFirst("Range"),
                            ex.getRequestHeaders().getFirst("Authorization")));
                    byte[] content = source.content().read(d);
                    if (!behaviour.handle(ex, d, content)) {
                        serve(ex, content);
                    }
                } else {
                    ex.sendResponseHeaders(404, -1);
                }
            }
        });
        server.start();
        servers.add(server);
        return server;
    }

    /** Serves a blob, honouring {@code Range: bytes=N-}. */
    private static void serve(HttpExchange ex, byte[] content) throws IOException {
        String range = ex.getRequestHeaders().getFirst("Range");
        int from = range == null ? 0 : Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
        if (from > 0) {
            ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
            ex.sendResponseHeaders(206, content.length - from);
        } else {
            ex.sendResponseHeaders(200, content.length);
        }
        ex.getResponseBody().write(content, from, content.length - from);
    }

    /** Sends the headers for the whole blob, then only half of it, and drops the connection. */
    private static void half(HttpExchange ex, byte[] content) throws IOException {
        ex.sendResponseHeaders(200, content.length);
        OutputStream out = ex.getResponseBody();
        out.write(content, 0, content.length / 2);
        out.flush();
        throw new IOException("dropping the connection on purpose");
    }

    private Store target() {
        return new Store(new StoreRoot(work.resolve("target")), Clock.systemUTC());
    }

    private static RegistryClient client() {
        return new RegistryClient(RegistryConfig.defaults().withRetries(3, Duration.ofMillis(20)),
                r -> Optional.empty(), TransferListener.NONE);
    }

    private static ImageReference ref(HttpServer server) {
        return ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/fake/app:1");
    }

    /** Nothing half-written anywhere: no temp leftovers, and every blob is whole. */
    private static void assertConsistent(Store store) throws IOException {
        if (Files.isDirectory(store.root().tmp())) {
            try (Stream<Path> leftovers = Files.list(store.root().tmp())) {
                assertThat(leftovers).isEmpty();
            }
        }
        for (Blob b : store.content().list()) {
            assertThat(Digest.sha256(store.content().read(b.digest()))).isEqualTo(b.digest());
        }
    }

    @Test
    void wrongBlobIsRefusedAndNothingIsStored() throws IOException {
        HttpServer server = fake(0, (ex, d, content) -> {
            if (!d.equals(layer.digest())) {
                return false;
            }
            byte[] lie = content.clone();
            lie[lie.length / 2] ^= 1;
            ex.sendResponseHeaders(200, lie.length);
            ex.getResponseBody().write(lie);
            return true;
        }, null);
        Store target = target();
        assertThatThrownBy(() -> client().pull(ref(server), Platform.host(), target))
                .hasMessageContaining("127.0.0.1:" + server.getAddress().getPort())
                .hasMessageContaining(layer.digest().toString())
                .hasMessageContaining("digest mismatch");
        assertThat(target.content().has(layer.digest())).isFalse();
        assertThat(target.content().has(manifestDigest)).isFalse();
        assertThat(target.references().list()).isEmpty();
        assertConsistent(target);
    }

    @Test
    void largerBlobsAreFetchedFirst() throws IOException {
        HttpServer server = fake(0, (ex, d, content) -> false, null);
        RegistryClient oneAtATime = new RegistryClient(RegistryConfig.defaults().withParallelism(1),
                r -> Optional.empty(), TransferListener.NONE);
        oneAtATime.pull(ref(server), Platform.host(), target());
        assertThat(gets).extracting(Get::digest).containsExactly(layer.digest(), manifest.config().digest());
        assertThat(layer.size()).isGreaterThan(manifest.config().size());
    }

    /** A registry that sends half the layer on its first GET, then drops the connection; later GETs work. */
    private HttpServer droppingTheFirstLayerGetHalfway() throws IOException {
        AtomicInteger layerGets = new AtomicInteger();
        return fake(0, (ex, d, content) -> {
            if (d.equals(layer.digest()) && layerGets.getAndIncrement() == 0) {
                half(ex, content);
            }
            return false;
        }, null);
    }

    @Test
    void droppedConnectionResumesWithARangeRequest() throws IOException {
        HttpServer server = droppingTheFirstLayerGetHalfway();
        Store target = target();
        RegistryClient.PullResult r = client().pull(ref(server), Platform.host(), target);
        assertThat(r.manifestDigest()).isEqualTo(manifestDigest);
        assertThat(target.content().read(layer.digest())).isEqualTo(source.content().read(layer.digest()));
        List<Get> layerRequests = gets.stream().filter(g -> g.digest().equals(layer.digest())).toList();
        assertThat(layerRequests).hasSize(2);
        assertThat(layerRequests.get(0).range()).isNull();
        assertThat(layerRequests.get(1).range()).matches("bytes=\\d+-");
        long resumedAt = Long.parseLong(layerRequests.get(1).range().replaceAll("\\D", ""));
        assertThat(resumedAt).isPositive().isLessThanOrEqualTo(LAYER_SIZE / 2);
        assertConsistent(target);
    }

    @Test
    void pullReportsTheBytesOfEachBlobAsTheyArriveAcrossAResume() throws IOException {
        HttpServer server = droppingTheFirstLayerGetHalfway();
        List<String> events = new CopyOnWriteArrayList<>();
        Map<String, Long> done = new ConcurrentHashMap<>();
        TransferListener listener = new TransferListener() {
            @Override
            public void started(String id, String action, long size) {
                events.add(id + " " + action + " " + size);
            }

            @Override
            public void progressed(String id, long bytes) {
                assertThat(bytes).as("progress never goes back across the resume")
                        .isGreaterThanOrEqualTo(done.getOrDefault(id, 0L));
                done.put(id, bytes);
            }

            @Override
            public void blobDone(Descriptor blob, Outcome outcome, String detail) {
                events.add(blob.digest() + " " + outcome + " after " + done.get(blob.digest().toString()));
            }
        };
        new RegistryClient(RegistryConfig.defaults().withRetries(3, Duration.ofMillis(20)), r -> Optional.empty(),
                listener).pull(ref(server), Platform.host(), target());
        assertThat(events).containsSubsequence(layer.digest() + " Downloading " + LAYER_SIZE,
                layer.digest() + " DOWNLOADED after " + LAYER_SIZE);
        assertThat(gets.stream().filter(g -> g.digest().equals(layer.digest()))).as("layer GETs").hasSize(2);
    }

    @Test
    void registryThatDiesMidPullLeavesTheStoreConsistentAndARetryCompletes() throws IOException {
        HttpServer[] dying = new HttpServer[1];
        dying[0] = fake(0, (ex, d, content) -> {
            if (d.equals(layer.digest())) {
                new Thread(() -> dying[0].stop(0)).start();
                half(ex, content);
            }
            return false;
        }, null);
        int port = dying[0].getAddress().getPort();
        Store target = target();
        assertThatThrownBy(() -> client().pull(ref(dying[0]), Platform.host(), target))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("failed after 3 tries")
                // The config and the layer are fetched in parallel; either may be the one reported.
                .satisfies(e -> assertThat(e.getMessage()).containsAnyOf(
                        layer.digest().toString(), manifest.config().digest().toString()));
        assertThat(target.content().has(layer.digest())).isFalse();
        assertThat(target.references().list()).isEmpty();
        assertConsistent(target);

        HttpServer revived = fake(port, (ex, d, content) -> false, null);
        RegistryClient.PullResult r = client().pull(ref(revived), Platform.host(), target);
        assertThat(r.manifestDigest()).isEqualTo(manifestDigest);
        assertThat(target.content().read(layer.digest())).isEqualTo(source.content().read(layer.digest()));
        assertThat(target.references().get(ref(revived)).orElseThrow().target()).isEqualTo(manifestDigest);
        assertConsistent(target);
    }

    @Test
    void serverErrorsAreRetriedWithBackoffThenReported() throws IOException {
        Map<Digest, AtomicInteger> failures = new ConcurrentHashMap<>();
        HttpServer flaky = fake(0, (ex, d, content) -> {
            if (d.equals(layer.digest()) && failures.computeIfAbsent(d, k -> new AtomicInteger()).getAndIncrement() < 2) {
                ex.getResponseHeaders().add("Retry-After", "0");
                ex.sendResponseHeaders(failures.get(d).get() == 1 ? 503 : 429, -1);
                return true;
            }
            return false;
        }, null);
        assertThat(client().pull(ref(flaky), Platform.host(), target()).manifestDigest()).isEqualTo(manifestDigest);
        assertThat(failures.get(layer.digest()).get()).isEqualTo(3);

        HttpServer broken = fake(0, (ex, d, content) -> {
            ex.sendResponseHeaders(500, -1);
            return true;
        }, null);
        Store other = new Store(new StoreRoot(work.resolve("other")), Clock.systemUTC());
        assertThatThrownBy(() -> client().pull(ref(broken), Platform.host(), other))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("127.0.0.1:" + broken.getAddress().getPort())
                .hasMessageContaining("500");
        assertThat(other.references().list()).isEmpty();
    }

    @Test
    void blobLongerThanDeclaredIsCutOffAndRefused() throws IOException {
        HttpServer server = fake(0, (ex, d, content) -> {
            if (!d.equals(layer.digest())) {
                return false;
            }
            ex.sendResponseHeaders(200, 0);
            ex.getResponseBody().write(content);
            ex.getResponseBody().write(new byte[4096]);
            return true;
        }, null);
        Store target = target();
        assertThatThrownBy(() -> client().pull(ref(server), Platform.host(), target))
                .hasMessageContaining("longer than the " + LAYER_SIZE + " bytes");
        assertThat(target.content().has(layer.digest())).isFalse();
        assertConsistent(target);
    }

    @Test
    void credentialsAreNotForwardedWhenABlobRedirectsToAnotherHost() throws IOException {
        List<String> redirectedAuth = new CopyOnWriteArrayList<>();
        HttpServer storage = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        storage.createContext("/", ex -> {
            try (ex) {
                redirectedAuth.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
                serve(ex, source.content().read(Digest.parse(ex.getRequestURI().getPath().substring(1))));
            }
        });
        storage.start();
        servers.add(storage);
        Credentials creds = new Credentials("u", "redirect-secret");
        HttpServer server = fake(0, (ex, d, content) -> {
            ex.getResponseHeaders().add("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/" + d);
            ex.sendResponseHeaders(307, -1);
            return true;
        }, creds.basicHeader());
        RegistryClient client = new RegistryClient(RegistryConfig.defaults().withRetries(2, Duration.ofMillis(20)),
                r -> Optional.of(creds), TransferListener.NONE);
        Store target = target();
        assertThat(client.pull(ref(server), Platform.host(), target).manifestDigest()).isEqualTo(manifestDigest);
        assertThat(gets).isNotEmpty().allMatch(g -> creds.basicHeader().equals(g.authorization()));
        assertThat(redirectedAuth).hasSize(2).containsOnly("null");
    }
}
