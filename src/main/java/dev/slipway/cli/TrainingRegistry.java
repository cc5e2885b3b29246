package dev.slipway.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry inside the {@link Training} process, in memory, on a loopback port: just enough of the
 * distribution API (blob HEAD and GET, monolithic and chunked uploads, manifest PUT and GET) for
 * the training to rehearse a push and a pull, so that the archive holds the HTTP client's classes
 * too, without anything leaving the machine.
 */
final class TrainingRegistry implements AutoCloseable {
    private static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[0-9a-f]{64})");
    private static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([0-9a-f-]*)");
    private static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");

    private final HttpServer server;
    private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    private final Map<String, ByteArrayOutputStream> uploads = new ConcurrentHashMap<>();
    /** {@code repository:reference} (a tag or a digest) to the manifest's media type and bytes. */
    private final Map<String, Map.Entry<String, byte[]>> manifests = new ConcurrentHashMap<>();

    private TrainingRegistry(HttpServer server) {
        this.server = server;
    }

    static TrainingRegistry start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        TrainingRegistry registry = new TrainingRegistry(server);
        server.createContext("/v2/", registry::handle);
        server.start();
        return registry;
    }

    /** {@code 127.0.0.1:PORT}, a name Slipway reaches over plain HTTP. */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Matcher m;
            if (path.equals("/v2/")) {
                send(ex, 200, null, null);
            } else if ((m = UPLOAD.matcher(path)).matches()) {
                upload(ex, method, m.group(1), m.group(2), body);
            } else if ((m = BLOB.matcher(path)).matches()) {
                byte[] blob = blobs.get(m.group(2));
                send(ex, blob == null ? 404 : 200, null, method.equals("HEAD") ? null : blob);
            } else if ((m = MANIFEST.matcher(path)).matches()) {
                manifest(ex, method, m.group(1), m.group(2), body);
            } else {
                send(ex, 404, null, null);
            }
        }
    }

    private void upload(HttpExchange ex, String method, String repository, String id, byte[] body) throws IOException {
        if (method.equals("POST")) {
            String fresh = UUID.randomUUID().toString();
            uploads.put(fresh, new ByteArrayOutputStream());
            ex.getResponseHeaders().add("Location", "/v2/" + repository + "/blobs/uploads/" + fresh);
            send(ex, 202, null, null);
            return;
        }
        ByteArrayOutputStream upload = uploads.get(id);
        if (upload == null) {
            send(ex, 404, null, null);
            return;
        }
        upload.write(body);
        String query = ex.getRequestURI().getQuery();
        if (method.equals("PUT") && query != null && query.startsWith("digest=")) {
            byte[] blob = upload.toByteArray();
            String digest = Digest.sha256(blob).toString();
            uploads.remove(id);
            if (!digest.equals(query.substring("digest=".length()))) {
                send(ex, 400, null, null);
                return;
            }
            blobs.put(digest, blob);
            send(ex, 201, null, null);
        } else {
            ex.getResponseHeaders().add("Location", "/v2/" + repository + "/blobs/uploads/" + id);
            ex.getResponseHeaders().add("Range", "0-" + (upload.size() - 1));
            send(ex, 202, null, null);
        }
    }

    private void manifest(HttpExchange ex, String method, String repository, String reference, byte[] body)
            throws IOException {
        if (method.equals("PUT")) {
            String type = ex.getRequestHeaders().getFirst("Content-Type");
            Map.Entry<String, byte[]> stored = Map.entry(type == null ? "" : type, body);
            String digest = Digest.sha256(body).toString();
            manifests.put(repository + ":" + reference, stored);
            manifests.put(repository + ":" + digest, stored);
            ex.getResponseHeaders().add("Docker-Content-Digest", digest);
            send(ex, 201, null, null);
            return;
        }
        Map.Entry<String, byte[]> stored = manifests.get(repository + ":" + reference);
        if (stored == null) {
            send(ex, 404, null, null);
            return;
        }
        ex.getResponseHeaders().add("Docker-Content-Digest", Digest.sha256(stored.getValue()).toString());
        send(ex, 200, stored.getKey(), method.equals("HEAD") ? null : stored.getValue());
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        if (type != null && !type.isEmpty()) {
            ex.getResponseHeaders().add("Content-Type", type);
        }
        ex.sendResponseHeaders(status, body == null ? -1 : body.length);
        if (body != null) {
            ex.getResponseBody().write(body);
        }
    }
}
