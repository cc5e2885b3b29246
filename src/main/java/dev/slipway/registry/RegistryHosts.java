package dev.slipway.registry;

import dev.slipway.image.ImageReference;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Where a registry named in an image reference is reached, and under which names its credentials are kept. */
public final class RegistryHosts {
    /** Docker Hub's API host: {@code docker.io} itself serves no registry API. */
    public static final String DOCKER_HUB_API = "registry-1.docker.io";
    /** The key Docker keeps Docker Hub credentials under in config.json. */
    public static final String DOCKER_HUB_CONFIG_KEY = "https://index.docker.io/v1/";
    private static final Set<String> DOCKER_HUB_ALIASES =
            Set.of(ImageReference.DOCKER_HUB, "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com");

    private RegistryHosts() {
    }

    /** {@code docker.io} and its aliases become {@code docker.io}; other names are kept, lower-cased. */
    public static String canonical(String registry) {
        String r = stripScheme(registry).toLowerCase(Locale.ROOT);
        return DOCKER_HUB_ALIASES.contains(r) ? ImageReference.DOCKER_HUB : r;
    }

    /** The host[:port] that serves the registry API. */
    public static String apiHost(String registry) {
        String r = canonical(registry);
        return r.equals(ImageReference.DOCKER_HUB) ? DOCKER_HUB_API : r;
    }

    public static boolean isDockerHub(String registry) {
        return canonical(registry).equals(ImageReference.DOCKER_HUB);
    }

    /** The key {@code slipway login} writes, as {@code docker login} does. */
    public static String configKey(String registry) {
        return isDockerHub(registry) ? DOCKER_HUB_CONFIG_KEY : canonical(registry);
    }

    /**
     * Whether a config.json key ({@code host:port}, {@code https://host/v1/}, {@code http://host}) names
     * {@code registry}, Docker Hub aliases included.
     */
    public static boolean keyMatches(String key, String registry) {
        return canonical(hostOfKey(key)).equals(canonical(registry));
    }

    /** The host[:port] of a config.json key. */
    static String hostOfKey(String key) {
        String k = stripScheme(key.trim());
        int slash = k.indexOf('/');
        return slash < 0 ? k : k.substring(0, slash);
    }

    private static String stripScheme(String s) {
        int sep = s.indexOf("://");
        return sep < 0 ? s : s.substring(sep + 3);
    }

    /** The host part of {@code host[:port]}, brackets of an IPv6 literal removed. */
    public static String hostOnly(String hostPort) {
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close < 0 ? hostPort : hostPort.substring(1, close);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 || hostPort.indexOf(':') != colon ? hostPort : hostPort.substring(0, colon);
    }

    /** {@code localhost}, 127.0.0.0/8 and ::1: the hosts plain HTTP is allowed to without configuration. */
    public static boolean isLoopback(String hostPort) {
        String host = hostOnly(hostPort).toLowerCase(Locale.ROOT);
        if (host.equals("localhost") || host.endsWith(".localhost")) {
            return true;
        }
        if (host.equals("::1") || host.equals("0:0:0:0:0:0:0:1")) {
            return true;
        }
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4 || !octets[0].equals("127")) {
            return false;
        }
        for (String o : octets) {
            if (!o.matches("[0-9]{1,3}") || Integer.parseInt(o) > 255) {
                return false;
            }
        }
        return true;
    }

    /**
     * The base URIs to try for a registry, in order: HTTPS, then plain HTTP when allowed; for a loopback
     * registry plain HTTP first, since nothing on the network can intercept it and most local
     * registries speak it (a TLS one answers plain HTTP with 400, and HTTPS is tried next).
     */
    public static List<URI> baseUris(String registry, boolean plainHttpAllowed) {
        String host = apiHost(registry);
        URI https = URI.create("https://" + host);
        if (!plainHttpAllowed) {
            return List.of(https);
        }
        URI http = URI.create("http://" + host);
        return isLoopback(host) ? List.of(http, https) : List.of(https, http);
    }
}
