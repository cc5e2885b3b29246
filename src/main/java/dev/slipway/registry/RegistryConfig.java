package dev.slipway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.JsonTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How Slipway talks to registries.
 *
 * @param insecureRegistries host[:port] names that may be reached over plain HTTP (loopback always may)
 * @param caCerts            PEM files whose certificates are trusted on top of the system trust store
 * @param maxAttempts        tries per request for dropped connections, 429 and 5xx answers
 * @param firstRetryDelay    the wait before the second try; it doubles for each further one
 * @param parallelism        blobs transferred at once
 * @param chunkSize          blobs bigger than this are uploaded in PATCH chunks of this size
 * @param requestTimeout     how long a request may wait for response headers
 */
public record RegistryConfig(Set<String> insecureRegistries, List<Path> caCerts, int maxAttempts,
        Duration firstRetryDelay, int parallelism, long chunkSize, Duration requestTimeout) {

    /** The file under the Slipway root that lists insecure registries and extra CA certificates. */
    public static final String FILE_NAME = "registries.json";
    private static final long DEFAULT_CHUNK = 64L << 20;

    public RegistryConfig {
        Set<String> hosts = new LinkedHashSet<>();
        for (String h : insecureRegistries) {
            hosts.add(RegistryHosts.canonical(h));
        }
        insecureRegistries = Set.copyOf(hosts);
        caCerts = List.copyOf(caCerts);
        if (maxAttempts < 1 || parallelism < 1 || chunkSize < 1) {
            throw new IllegalArgumentException("attempts, parallelism and chunk size must be positive");
        }
    }

    /**
     * Six blobs at once, as containers/image (skopeo, podman) fetches them: an image of five layers
     * and a config moves in one round, with no last layer left alone on one connection at the end.
     */
    public static RegistryConfig defaults() {
        return new RegistryConfig(Set.of(), List.of(), 5, Duration.ofMillis(500), 6, DEFAULT_CHUNK,
                Duration.ofSeconds(60));
    }

    public RegistryConfig withInsecure(String... registries) {
        Set<String> all = new LinkedHashSet<>(insecureRegistries);
        all.addAll(List.of(registries));
        return new RegistryConfig(all, caCerts, maxAttempts, firstRetryDelay, parallelism, chunkSize, requestTimeout);
    }

    public RegistryConfig withCaCerts(List<Path> more) {
        List<Path> all = new ArrayList<>(caCerts);
        all.addAll(more);
        return new RegistryConfig(insecureRegistries, all, maxAttempts, firstRetryDelay, parallelism, chunkSize,
                requestTimeout);
    }

    public RegistryConfig withRetries(int attempts, Duration firstDelay) {
        return new RegistryConfig(insecureRegistries, caCerts, attempts, firstDelay, parallelism, chunkSize,
                requestTimeout);
    }

    public RegistryConfig withChunkSize(long bytes) {
        return new RegistryConfig(insecureRegistries, caCerts, maxAttempts, firstRetryDelay, parallelism, bytes,
                requestTimeout);
    }

    public RegistryConfig withParallelism(int blobs) {
        return new RegistryConfig(insecureRegistries, caCerts, maxAttempts, firstRetryDelay, blobs, chunkSize,
                requestTimeout);
    }

    /** Whether plain HTTP may be used: loopback hosts and registries listed as insecure. */
    public boolean plainHttpAllowed(String registry) {
        String canonical = RegistryHosts.canonical(registry);
        return RegistryHosts.isLoopback(RegistryHosts.apiHost(canonical)) || insecureRegistries.contains(canonical)
                || insecureRegistries.contains(RegistryHosts.hostOnly(canonical).toLowerCase(Locale.ROOT));
    }

    /**
     * The defaults plus {@code ROOT/registries.json} when it exists:
     * <pre>{"insecure-registries": ["host:5000"], "ca-certs": ["/etc/ssl/my-ca.pem"]}</pre>
     */
    public static RegistryConfig load(Path slipwayRoot) {
        RegistryConfig config = defaults();
        Path file = slipwayRoot.resolve(FILE_NAME);
        JsonNode tree;
        try {
            tree = JsonTrees.read(Files.readAllBytes(file));
        } catch (NoSuchFileException e) {
            return config;
        } catch (IOException e) {
            throw new SlipwayException("cannot read " + file + ": " + e.getMessage().replaceAll("\\s+", " "));
        }
        if (tree == null || !tree.isObject()) {
            throw new SlipwayException(file + ": expected a JSON object");
        }
        List<String> insecure = new ArrayList<>();
        for (JsonNode h : array(tree, "insecure-registries", file)) {
            insecure.add(h.asText());
        }
        List<Path> certs = new ArrayList<>();
        for (JsonNode c : array(tree, "ca-certs", file)) {
            certs.add(file.getParent().resolve(c.asText()));
        }
        return config.withInsecure(insecure.toArray(String[]::new)).withCaCerts(certs);
    }

    private static List<JsonNode> array(JsonNode tree, String field, Path file) {
        JsonNode node = tree.get(field);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new SlipwayException(file + ": \"" + field + "\" must be an array of strings");
        }
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode n : node) {
            if (!n.isTextual() || n.asText().isEmpty()) {
                throw new SlipwayException(file + ": \"" + field + "\" must be an array of strings");
            }
            items.add(n);
        }
        return items;
    }
}
