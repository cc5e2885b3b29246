package dev.slipway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.JsonTrees;
import dev.slipway.registry.PlainHttp.Answer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * HTTP to registries: the endpoint of each registry (HTTPS, or plain HTTP where allowed), its
 * authentication (anonymous, basic, bearer tokens per scope), redirects that never carry credentials
 * to another host, and retries with exponential backoff for dropped connections, 429 and 5xx.
 */
final class RegistryTransport {

    static {
        // The JDK client moves bodies in buffers of this size (16 KiB by default), one allocation and
        // one queue hand-off each: 256 KiB buffers cut the CPU of a large pull or push by about a third.
        // Read once, when the first client is built; a value the user set is kept.
        if (System.getProperty("jdk.httpclient.bufsize") == null) {
            System.setProperty("jdk.httpclient.bufsize", Integer.toString(256 << 10));
        }
    }
    private static final int MAX_REDIRECTS = 5;
    private static final int ERROR_BODY_LIMIT = 16 << 10;
    private static final int TOKEN_ANSWER_LIMIT = 1 << 20;
    private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    private final RegistryConfig config;
    private final Function<String, Optional<Credentials>> credentialSource;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(15);

    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final PlainHttp plain;
    private volatile HttpClient tlsClient;

    RegistryTransport(RegistryConfig config, Function<String, Optional<Credentials>> credentialSource) {
        this.config = config;
        this.credentialSource = credentialSource;
        this.plain = new PlainHttp(CONNECT_TIMEOUT, config.requestTimeout());
    }

    /**
     * The HTTPS client, made on first use: loading the trust store costs a good part of a second
     * that a pull from a plain-HTTP local registry need not pay.
     */
    private HttpClient tlsClient() {
        HttpClient c = tlsClient;
        if (c == null) {
            synchronized (this) {
                c = tlsClient;
                if (c == null) {
                    c = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(CONNECT_TIMEOUT)
                            .followRedirects(HttpClient.Redirect.NEVER)
                            .sslContext(TlsContexts.create(config.caCerts()))
                            .build();
                    SelectorThreads.stopAtExit(c);
                    tlsClient = c;
                }
            }
        }
        return c;
    }

    /**
     * One request, without redirects nor retries: plain HTTP through {@link PlainHttp}, HTTPS through
     * the JDK's client. {@code body} is null for none.
     */
    private Answer exchange(String method, URI uri, Map<String, String> headers, Body body) throws IOException {
        if ("http".equals(uri.getScheme())) {
            return plain.send(method, uri, headers, body);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(config.requestTimeout());
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body.publisher());
        headers.forEach(b::header);
        try {
            HttpResponse<InputStream> r = tlsClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            return new Answer(r.statusCode(), r.headers(), r.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
    }

    RegistryConfig config() {
        return config;
    }

    /** A request body: its length, and its bytes, opened anew for every try so that a retry sends it whole. */
    record Body(long length, Opener opener) {
        static final Body EMPTY = new Body(0, InputStream::nullInputStream);

        /** Opens a body's bytes. */
        @FunctionalInterface
        interface Opener {
            InputStream open() throws IOException;
        }

        static Body of(byte[] bytes) {
            return new Body(bytes.length, () -> new ByteArrayInputStream(bytes));
        }

        InputStream open() throws IOException {
            return opener.open();
        }

        /** The body for the JDK's client. */
        BodyPublisher publisher() {
            if (length == 0) {
                return HttpRequest.BodyPublishers.noBody();
            }
            return HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                try {
                    return open();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }), length);
        }
    }

    /** A request to a registry. */
    record Call(String method, String path, Map<String, String> headers, Body body, List<String> scopes,
            URI absolute) {
        static Call get(String path, List<String> scopes, Map<String, String> headers) {
            return new Call("GET", path, headers, Body.EMPTY, scopes, null);
        }

        Call to(URI uri) {
            return new Call(method, path, headers, body, scopes, uri);
        }

        /** What the call asks for, for messages: no query string, since upload URLs carry opaque state. */
        String describe() {
            String p = absolute != null ? absolute.getRawPath() : path;
            int q = p.indexOf('?');
            return method + " " + (q < 0 ? p : p.substring(0, q));
        }
    }

    /** An answer; its body must be consumed or {@link #close() closed}. */
    record Response(int status, HttpHeaders headers, InputStream body, URI uri) implements AutoCloseable {
        Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        byte[] bytes(long limit, String what) {
            try (InputStream in = body) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                byte[] buf = new byte[1 << 16];
                long total = 0;
                for (int n; (n = in.read(buf)) > 0; ) {
                    total += n;
                    if (total > limit) {
                        throw new SlipwayException(what + " is larger than " + limit + " bytes");
                    }
                    out.write(buf, 0, n);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new RegistryException(what + ": connection failed while reading: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try {
                body.close();
            } catch (IOException ignored) {
                // Closing only releases the connection.
            }
        }
    }

    /** A registry as reached: where, and what it asked for authentication. */
    final class Endpoint {
        final String registry;
        private volatile URI base;
        private volatile WwwAuthenticate challenge;
        private volatile Optional<Credentials> credentials;
        private final Map<String, Token> tokens = new ConcurrentHashMap<>();

        Endpoint(String registry) {
            this.registry = registry;
        }

        synchronized URI base() {
            if (base == null) {
                ping();
            }
            return base;
        }

        Optional<Credentials> credentials() {
            if (credentials == null) {
                credentials = credentialSource.apply(registry);
            }
            return credentials;
        }

        void useCredentials(Credentials c) {
            credentials = Optional.of(c);
            tokens.clear();
        }

        WwwAuthenticate challenge() {
            return challenge;
        }

        private void ping() {
            List<URI> candidates = RegistryHosts.baseUris(registry, config.plainHttpAllowed(registry));
            IOException last = null;
            for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
                for (URI candidate : candidates) {
                    try {
                        Answer r = exchange("GET", candidate.resolve("/v2/"), Map.of(), null);
                        r.body().close();
                        if (r.status() == 401) {
                            challenge = preferred(WwwAuthenticate.parse(r.headers().firstValue("WWW-Authenticate").orElse(null)));
                        }
                        // Registries answer /v2/ with 200 or 401; a TLS port asked in plain HTTP answers 400.
                        if (r.status() == 200 || r.status() == 401) {
                            base = candidate;
                            return;
                        }
                        last = new IOException("/v2/ answered " + r.status() + " over " + candidate.getScheme());
                    } catch (SSLException e) {
                        if (isCertificateFailure(e)) {
                            // The server speaks TLS but is not trusted: plain HTTP would only hide that.
                            throw new RegistryException("cannot reach registry " + registry
                                    + ": its TLS certificate is not trusted (" + reason(rootCause(e))
                                    + "); to trust a private CA use --ca-cert FILE", e);
                        }
                        last = e;
                    } catch (IOException e) {
                        if (Thread.currentThread().isInterrupted()) {
                            throw new RegistryException("interrupted while contacting " + registry, e);
                        }
                        last = e;
                    }
                }
                if (last instanceof SSLException && candidates.size() == 1) {
                    break;
                }
                if (attempt < config.maxAttempts()) {
                    sleep(backoff(attempt, null));
                }
            }
            String hint = last instanceof SSLException && !config.plainHttpAllowed(registry)
                    ? " (for a private CA use --ca-cert; for a plain-HTTP registry, --insecure-registry " + registry + ")"
                    : "";
            throw new RegistryException("cannot reach registry " + registry + ": " + reason(last) + hint, last);
        }
    }

    private record Token(String value, Instant expires) {
    }

    Endpoint endpoint(String registry) {
        return endpoints.computeIfAbsent(RegistryHosts.canonical(registry), Endpoint::new);
    }

    /**
     * Sends a call, authenticating as the registry asks and retrying what may succeed on a second try.
     * Any status is returned except those it retried away; the caller judges the status.
     */
    Response send(Endpoint ep, Call call) {
        URI base = ep.base();
        URI uri = call.absolute() != null ? call.absolute() : base.resolve(call.path());
        boolean reauthenticated = false;
        Exception lastFailure = null;
        for (int attempt = 1; ; attempt++) {
            Response r;
            try {
                r = sendFollowingRedirects(ep, call, uri, authorization(ep, call.scopes()));
            } catch (IOException e) {
                lastFailure = e;
                if (attempt >= config.maxAttempts() || e instanceof SSLException) {
                    throw new RegistryException(ep.registry + ": " + call.describe() + " failed after " + attempt
                            + (attempt == 1 ? " try: " : " tries: ") + reason(e), e);
                }
                sleep(backoff(attempt, null));
                continue;
            }
            if (r.status() == 401 && !reauthenticated) {
                reauthenticated = true;
                List<WwwAuthenticate> challenges =
                        WwwAuthenticate.parse(r.header("WWW-Authenticate").orElse(null));
                r.close();
                WwwAuthenticate c = preferred(challenges);
                if (c != null) {
                    ep.challenge = c;
                    if (c.isBearer()) {
                        refreshToken(ep, call.scopes(), merge(call.scopes(), c.param("scope")));
                    }
                }
                attempt--;
                continue;
            }
            if ((r.status() == 429 || r.status() >= 500) && attempt < config.maxAttempts()) {
                Duration wait = backoff(attempt, r.header("Retry-After").orElse(null));
                r.close();
                sleep(wait);
                continue;
            }
            return r;
        }
    }

    /** Like {@link #send} but a status other than {@code expected} is a {@link RegistryException}. */
    Response expect(Endpoint ep, Call call, String what, int... expected) {
        Response r = send(ep, call);
        for (int s : expected) {
            if (r.status() == s) {
                return r;
            }
        }
        throw failure(ep, call, what, r);
    }

    RegistryException failure(Endpoint ep, Call call, String what, Response r) {
        byte[] body;
        try {
            body = r.bytes(ERROR_BODY_LIMIT, "error body");
        } catch (RuntimeException e) {
            body = new byte[0];
        }
        String code = null;
        String message = null;
        try {
            JsonNode errors = JsonTrees.read(body).path("errors");
            if (errors.isArray() && errors.size() > 0) {
                code = errors.get(0).path("code").asText(null);
                message = errors.get(0).path("message").asText(null);
            }
        } catch (IOException | RuntimeException ignored) {
            // Not the distribution error JSON: the status says enough.
        }
        StringBuilder m = new StringBuilder();
        m.append(what).append(": ").append(ep.registry).append(" answered ").append(r.status());
        if (code != null) {
            m.append(' ').append(code);
        }
        if (message != null && !message.isBlank()) {
            m.append(" (").append(printable(message)).append(')');
        }
        m.append(" to ").append(call.describe());
        if (r.status() == 401) {
            m.append(ep.credentials().isPresent()
                    ? "; the credentials were refused" : "; log in first with: slipway login " + ep.registry);
        } else if (r.status() == 403) {
            m.append("; access denied");
        }
        return new RegistryException(m.toString(), r.status(), code);
    }

    private Response sendFollowingRedirects(Endpoint ep, Call call, URI uri, String auth)
            throws IOException {
        URI current = uri;
        String method = call.method();
        for (int hop = 0; ; hop++) {
            Body body = method.equals("GET") || method.equals("HEAD") ? null : call.body();
            Map<String, String> headers = call.headers();
            if (auth != null && sameOrigin(uri, current)) {
                headers = new java.util.LinkedHashMap<>(headers);
                headers.put("Authorization", auth);
            }
            Answer r = exchange(method, current, headers, body);
            int s = r.status();
            Optional<String> location = r.headers().firstValue("Location");
            boolean redirect = (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) && location.isPresent()
                    && (method.equals("GET") || method.equals("HEAD"));
            if (!redirect) {
                return new Response(s, r.headers(), r.body(), current);
            }
            r.body().close();
            if (hop >= MAX_REDIRECTS) {
                throw new IOException("too many redirects");
            }
            URI next = current.resolve(location.get());
            if ("http".equals(next.getScheme()) && !"http".equals(current.getScheme())
                    && !config.plainHttpAllowed(hostPort(next))) {
                throw new IOException("refusing a redirect from HTTPS to plain HTTP");
            }
            current = next;
        }
    }

    /** The {@code Authorization} value for a call, fetching a bearer token when the registry wants one. */
    private String authorization(Endpoint ep, List<String> scopes) {
        WwwAuthenticate c = ep.challenge;
        if (c == null) {
            return null;
        }
        Optional<Credentials> creds = ep.credentials();
        if (c.isBasic()) {
            return creds.map(Credentials::basicHeader).orElse(null);
        }
        if (!c.isBearer()) {
            return null;
        }
        String key = scopeKey(scopes);
        Token t = ep.tokens.get(key);
        if (t == null || Instant.now().isAfter(t.expires())) {
            // One token per scope even when parallel transfers all start without one.
            synchronized (ep) {
                t = ep.tokens.get(key);
                if (t == null || Instant.now().isAfter(t.expires())) {
                    t = fetchToken(ep, c, scopes, creds);
                    ep.tokens.put(key, t);
                }
            }
        }
        return "Bearer " + t.value();
    }

    /** Replaces the token for {@code scopes} after the registry refused it, asking for {@code wanted}. */
    private void refreshToken(Endpoint ep, List<String> scopes, List<String> wanted) {
        synchronized (ep) {
            ep.tokens.put(scopeKey(scopes), fetchToken(ep, ep.challenge, wanted, ep.credentials()));
        }
    }

    private static String scopeKey(List<String> scopes) {
        return String.join(" ", new TreeSet<>(scopes));
    }

    /** Asks the challenge's realm for a token (distribution's token auth, or its OAuth2 variant for identity tokens). */
    private Token fetchToken(Endpoint ep, WwwAuthenticate c, List<String> scopes, Optional<Credentials> creds) {
        String realm = c.param("realm");
        if (realm == null || realm.isEmpty()) {
            throw new RegistryException(ep.registry + " asked for a bearer token without naming a realm", 401, null);
        }
        URI realmUri;
        try {
            realmUri = URI.create(realm);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(ep.registry + " named an invalid token realm", 401, null);
        }
        if (!"https".equals(realmUri.getScheme())
                && !("http".equals(realmUri.getScheme()) && config.plainHttpAllowed(hostPort(realmUri)))) {
            throw new RegistryException(ep.registry + ": refusing token realm " + realmUri.getScheme() + "://"
                    + realmUri.getHost() + " (plain HTTP is only for loopback and --insecure-registry hosts)", 401, null);
        }
        String service = c.param("service");
        boolean identityToken = creds.isPresent() && creds.get().username().equals(Credentials.TOKEN_USER);
        String method;
        URI uri;
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        Body body;
        if (identityToken) {
            StringBuilder form = new StringBuilder("grant_type=refresh_token&client_id=slipway");
            form.append("&refresh_token=").append(enc(creds.get().secret()));
            if (service != null) {
                form.append("&service=").append(enc(service));
            }
            if (!scopes.isEmpty()) {
                form.append("&scope=").append(enc(String.join(" ", scopes)));
            }
            method = "POST";
            uri = realmUri;
            headers.put("Content-Type", "application/x-www-form-urlencoded");
            body = Body.of(form.toString().getBytes(StandardCharsets.UTF_8));
        } else {
            StringBuilder q = new StringBuilder();
            if (service != null) {
                q.append("service=").append(enc(service));
            }
            for (String s : scopes) {
                q.append(q.length() == 0 ? "" : "&").append("scope=").append(enc(s));
            }
            if (creds.isPresent()) {
                q.append(q.length() == 0 ? "" : "&").append("account=").append(enc(creds.get().username()));
                headers.put("Authorization", creds.get().basicHeader());
            }
            String sep = realm.contains("?") ? "&" : "?";
            method = "GET";
            uri = URI.create(realm + (q.length() == 0 ? "" : sep + q));
            body = null;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Answer r = exchange(method, uri, headers, body);
                byte[] answer;
                try (InputStream in = r.body()) {
                    answer = readAtMost(in, TOKEN_ANSWER_LIMIT, "the token service's answer");
                }
                if ((r.status() == 429 || r.status() >= 500) && attempt < config.maxAttempts()) {
                    sleep(backoff(attempt, r.headers().firstValue("Retry-After").orElse(null)));
                    continue;
                }
                if (r.status() == 401 || r.status() == 403) {
                    throw new RegistryException("authentication to " + ep.registry + " failed: the token service at "
                            + realmUri.getHost() + " answered " + r.status()
                            + (creds.isPresent() ? "; the credentials were refused" : ""), 401, "UNAUTHORIZED");
                }
                if (r.status() != 200) {
                    throw new RegistryException("authentication to " + ep.registry + " failed: the token service at "
                            + realmUri.getHost() + " answered " + r.status(), r.status(), null);
                }
                return parseToken(ep, answer);
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new RegistryException("interrupted", e);
                }
                if (attempt >= config.maxAttempts()) {
                    throw new RegistryException("authentication to " + ep.registry + " failed: cannot reach the token service at "
                            + realmUri.getHost() + ": " + reason(e), e);
                }
                sleep(backoff(attempt, null));
            }
        }
    }

    /** Reads a small body whole; more than {@code limit} bytes is a {@link SlipwayException}. */
    private static byte[] readAtMost(InputStream in, int limit, String what) throws IOException {
        byte[] bytes = in.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new SlipwayException(what + " is larger than " + limit + " bytes");
        }
        return bytes;
    }

    private static Token parseToken(Endpoint ep, byte[] body) {
        JsonNode tree;
        try {
            tree = JsonTrees.read(body);
        } catch (IOException e) {
            throw new RegistryException("the token service of " + ep.registry + " answered something that is not JSON", 0, null);
        }
        String token = tree.path("token").asText("");
        if (token.isEmpty()) {
            token = tree.path("access_token").asText("");
        }
        if (token.isEmpty()) {
            throw new RegistryException("the token service of " + ep.registry + " answered without a token", 0, null);
        }
        long expiresIn = tree.path("expires_in").asLong(60);
        // Renew a little early, so that a token does not expire between being picked and being used.
        return new Token(token, Instant.now().plusSeconds(Math.max(expiresIn, 60) - 10));
    }

    /** The one challenge to act on: bearer over basic, as Docker does. */
    private static WwwAuthenticate preferred(List<WwwAuthenticate> challenges) {
        return challenges.stream().filter(WwwAuthenticate::isBearer).findFirst()
                .or(() -> challenges.stream().filter(WwwAuthenticate::isBasic).findFirst())
                .orElse(null);
    }

    private static List<String> merge(List<String> scopes, String challenged) {
        List<String> all = new ArrayList<>(scopes);
        if (challenged != null) {
            for (String s : challenged.split(" ")) {
                if (!s.isBlank() && !all.contains(s)) {
                    all.add(s);
                }
            }
        }
        return all;
    }

    Duration backoff(int attempt, String retryAfter) {
        if (retryAfter != null) {
            try {
                Duration d = Duration.ofSeconds(Long.parseLong(retryAfter.trim()));
                return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
            } catch (NumberFormatException ignored) {
                // An HTTP date: fall back to our own schedule.
            }
        }
        return config.firstRetryDelay().multipliedBy(1L << Math.min(attempt - 1, 16));
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted", e);
        }
    }

    private static boolean isCertificateFailure(SSLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                return true;
            }
        }
        return false;
    }

    private static Throwable rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    static String reason(Throwable e) {
        if (e == null) {
            return "no answer";
        }
        String m = e.getMessage();
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (e instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : printable(m);
    }

    private static String printable(String s) {
        String one = s.replaceAll("\\s+", " ").trim();
        return one.length() > 300 ? one.substring(0, 300) + "..." : one;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equals(b.getScheme()) && String.valueOf(a.getHost()).equalsIgnoreCase(String.valueOf(b.getHost()))
                && a.getPort() == b.getPort();
    }

    static String hostPort(URI u) {
        return u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
