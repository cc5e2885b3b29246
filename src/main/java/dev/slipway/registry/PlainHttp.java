package dev.slipway.registry;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * HTTP/1.1 over plain TCP, for registries reached over {@code http://} (loopback and
 * {@code --insecure-registry} hosts). The JDK's {@code HttpClient} sets up TLS even for plain HTTP
 * (0.2 s of every command's start) and moves bodies through its asynchronous pipeline, where each
 * buffer is copied and queued twice: fetching the five layers of a 500 MB image from a local registry
 * (standalone, same JVM options) took 2.8 CPU s through it and 1.5 s over a socket whose bytes go
 * straight into the reader's buffer, as here.
 *
 * <p>Connections are kept alive and reused per host. A reused connection the server closed while idle
 * fails before any answer arrives; the request then goes once more over a new connection (its body is
 * opened anew). Reads time out after {@code readTimeout} without data, and a thread interrupted while
 * it waits on a socket stops at once (the socket is closed), so cancelled transfers end with the pull.
 * Bodies are framed by {@code Content-Length}, chunked encoding, or the connection's end.
 */
final class PlainHttp {
    private static final int MAX_HEAD_BYTES = 64 << 10;
    private static final int MAX_LINE_BYTES = 16 << 10;
    private static final int MAX_IDLE_PER_HOST = 16;
    private static final int BUFFER = 64 << 10;

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final Map<String, Deque<Connection>> idle = new HashMap<>();

    PlainHttp(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis());
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, readTimeout.toMillis());
    }

    /** An answer, over plain HTTP or HTTPS: its status, headers and body (to read to its end, or close). */
    record Answer(int status, HttpHeaders headers, InputStream body) {
    }

    /** Sends a request; {@code body} is null for none. */
    Answer send(String method, URI uri, Map<String, String> headers, RegistryTransport.Body body) throws IOException {
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IOException("not a plain HTTP URL: " + uri.getScheme() + "://" + uri.getHost());
        }
        byte[] head = requestHead(method, uri, headers, body);
        String key = RegistryTransport.hostPort(uri);
        Connection reused = take(key);
        if (reused != null) {
            try {
                return reused.exchange(method, head, body);
            } catch (Stale e) {
                reused.close();
            } catch (IOException | RuntimeException e) {
                reused.close();
                throw e;
            }
        }
        Connection fresh = connect(key, uri);
        try {
            return fresh.exchange(method, head, body);
        } catch (Stale e) {
            fresh.close();
            throw e.cause;
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
    }

    private Connection take(String key) {
        synchronized (idle) {
            Deque<Connection> q = idle.get(key);
            return q == null ? null : q.pollLast();
        }
    }

    private void release(Connection c) {
        synchronized (idle) {
            Deque<Connection> q = idle.computeIfAbsent(c.key, k -> new ArrayDeque<>());
            if (q.size() < MAX_IDLE_PER_HOST) {
                q.addLast(c);
                return;
            }
        }
        c.close();
    }

    private static byte[] requestHead(String method, URI uri, Map<String, String> headers,
            RegistryTransport.Body body) throws IOException {
        StringBuilder h = new StringBuilder(256);
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        h.append(method).append(' ').append(path);
        if (uri.getRawQuery() != null) {
            h.append('?').append(uri.getRawQuery());
        }
        h.append(" HTTP/1.1\r\nHost: ").append(RegistryTransport.hostPort(uri)).append("\r\nUser-Agent: slipway\r\n");
        for (Map.Entry<String, String> e : headers.entrySet()) {
            String name = e.getKey();
            String value = e.getValue();
            if (!token(name) || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                // A value from a registry or token service could otherwise smuggle in headers.
                throw new IOException("refusing to send an invalid " + name + " header");
            }
            h.append(name).append(": ").append(value).append("\r\n");
        }
        if (body != null) {
            h.append("Content-Length: ").append(body.length()).append("\r\n");
        }
        h.append("\r\n");
        return h.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean token(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || c == ':') {
                return false;
            }
        }
        return true;
    }

    private Connection connect(String key, URI uri) throws IOException {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() < 0 ? 80 : uri.getPort();
        // A channel's socket, not a plain one: its reads and writes end when the thread is interrupted.
        SocketChannel channel = SocketChannel.open();
        Socket s = channel.socket();
        try {
            s.connect(new InetSocketAddress(host, port), connectTimeoutMillis);
            s.setSoTimeout(readTimeoutMillis);
            s.setTcpNoDelay(true);
            return new Connection(key, s);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** A failure of a connection before any byte of an answer arrived: the request may be sent again. */
    private static final class Stale extends Exception {
        final IOException cause;

        Stale(IOException cause) {
            super(cause.getMessage(), cause, false, false);
            this.cause = cause;
        }
    }

    /** One TCP connection; used by one request at a time. */
    private final class Connection {
        final String key;
        final Socket socket;
        final BufferedInputStream in;
        final OutputStream out;
        private boolean closed;

        private Connection(String key, Socket socket) throws IOException {
            this.key = key;
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream(), BUFFER);
            this.out = new BufferedOutputStream(socket.getOutputStream(), BUFFER);
        }

        Answer exchange(String method, byte[] head, RegistryTransport.Body body) throws IOException, Stale {
            IOException writeFailure = null;
            try {
                out.write(head);
                if (body != null && body.length() > 0) {
                    try (InputStream b = body.open()) {
                        // Reads as large as the output buffer, so that they go to the socket without a copy.
                        byte[] buf = new byte[BUFFER];
                        long copied = 0;
                        for (int n; (n = b.read(buf)) >= 0; ) {
                            out.write(buf, 0, n);
                            copied += n;
                        }
                        if (copied != body.length()) {
                            throw new IllegalStateException("request body of " + copied + " bytes, not " + body.length());
                        }
                    }
                }
                out.flush();
            } catch (IOException e) {
                writeFailure = e;
            }
            Head answer;
            try {
                answer = readHead();
            } catch (EOFException e) {
                throw new Stale(writeFailure != null ? writeFailure : e);
            } catch (IOException e) {
                if (writeFailure != null) {
                    throw new Stale(writeFailure);
                }
                throw e;
            }
            // A server that answered before taking the whole body (a 401 to an upload) closes the
            // connection: its answer still counts, the connection does not.
            boolean reusable = writeFailure == null && answer.keepAlive;
            return new Answer(answer.status, answer.headers, body(method, answer, reusable));
        }

        private record Head(int status, HttpHeaders headers, boolean keepAlive) {
        }

        /** The status line and headers, skipping interim (1xx) answers. */
        private Head readHead() throws IOException {
            int budget = MAX_HEAD_BYTES;
            while (true) {
                String status = line(true);
                budget -= status.length();
                if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                    throw new IOException("not an HTTP/1.1 answer");
                }
                int code;
                try {
                    code = Integer.parseInt(status.substring(9, 12));
                } catch (NumberFormatException e) {
                    throw new IOException("not an HTTP/1.1 answer");
                }
                Map<String, List<String>> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                for (String l; !(l = line(false)).isEmpty(); ) {
                    budget -= l.length();
                    if (budget < 0) {
                        throw new IOException("the answer's headers are larger than " + MAX_HEAD_BYTES + " bytes");
                    }
                    int colon = l.indexOf(':');
                    if (colon <= 0 || !token(l.substring(0, colon))) {
                        throw new IOException("malformed header line in the answer");
                    }
                    fields.computeIfAbsent(l.substring(0, colon), k -> new ArrayList<>()).add(l.substring(colon + 1).trim());
                }
                if (code >= 100 && code < 200) {
                    continue;
                }
                HttpHeaders headers = HttpHeaders.of(fields, (k, v) -> true);
                boolean close = headers.allValues("Connection").stream()
                        .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("close"));
                return new Head(code, headers, status.startsWith("HTTP/1.1") && !close);
            }
        }

        /** One header line without its line end; at the very start, an immediate end of stream is an EOF. */
        private String line(boolean first) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw first && b.size() == 0 ? new EOFException("the connection closed before an answer")
                            : new IOException("the connection closed in the middle of the answer's headers");
                }
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                if (b.size() >= MAX_LINE_BYTES) {
                    throw new IOException("a line of the answer is longer than " + MAX_LINE_BYTES + " bytes");
                }
                b.write(c);
            }
        }

        private InputStream body(String method, Head head, boolean reusable) throws IOException {
            int s = head.status;
            if (method.equals("HEAD") || s == 204 || s == 304) {
                AnswerBody none = new AnswerBody(this, reusable, 0);
                none.finish();
                return none;
            }
            String te = head.headers.firstValue("Transfer-Encoding").orElse("");
            if (!te.isEmpty()) {
                if (!te.toLowerCase(Locale.ROOT).trim().endsWith("chunked")) {
                    throw new IOException("unsupported transfer encoding " + te);
                }
                return new ChunkedBody(this, reusable);
            }
            List<String> lengths = head.headers.allValues("Content-Length");
            if (lengths.isEmpty()) {
                return new AnswerBody(this, false, -1);
            }
            long length;
            try {
                length = Long.parseLong(lengths.get(0).trim());
            } catch (NumberFormatException e) {
                throw new IOException("invalid Content-Length in the answer");
            }
            if (length < 0 || lengths.stream().anyMatch(l -> !l.trim().equals(lengths.get(0).trim()))) {
                throw new IOException("invalid Content-Length in the answer");
            }
            AnswerBody fixed = new AnswerBody(this, reusable, length);
            if (length == 0) {
                fixed.finish();
            }
            return fixed;
        }

        void close() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // Nothing more to do with a connection being dropped.
            }
        }
    }

    /**
     * A body of {@code remaining} bytes (-1: up to the connection's end). Closed after its last byte,
     * the connection goes back to the pool; closed earlier, it is dropped.
     */
    private class AnswerBody extends InputStream {
        final Connection connection;
        final boolean reusable;
        long remaining;
        boolean finished;
        boolean closed;

        AnswerBody(Connection connection, boolean reusable, long remaining) {
            this.connection = connection;
            this.reusable = reusable;
            this.remaining = remaining;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (finished || closed) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            int want = remaining < 0 ? len : (int) Math.min(len, remaining);
            int n = connection.in.read(b, off, want);
            if (n < 0) {
                if (remaining < 0) {
                    finished = true;
                    return -1;
                }
                throw new EOFException("the connection closed with " + remaining + " bytes of the answer missing");
            }
            if (remaining > 0) {
                remaining -= n;
                if (remaining == 0) {
                    finish();
                }
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return finished || closed ? 0 : (int) Math.min(connection.in.available(), remaining < 0 ? Integer.MAX_VALUE : remaining);
        }

        void finish() {
            finished = true;
        }

        /** A short rest already received (the body of an answer read only for its status) keeps the connection. */
        private void skipBuffered() {
            try {
                if (remaining <= connection.in.available()) {
                    while (remaining > 0) {
                        long n = connection.in.skip(remaining);
                        if (n <= 0) {
                            return;
                        }
                        remaining -= n;
                    }
                    finish();
                }
            } catch (IOException e) {
                // The connection is dropped instead.
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (!finished && reusable && remaining > 0) {
                skipBuffered();
            }
            if (finished && reusable) {
                release(connection);
            } else {
                connection.close();
            }
        }
    }

    /** A chunked body; the trailer after the last chunk is read and dropped. */
    private final class ChunkedBody extends AnswerBody {
        private long chunkLeft;

        ChunkedBody(Connection connection, boolean reusable) {
            super(connection, reusable, -1);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (super.finished || super.closed) {
                return -1;
            }
            if (len == 0) {
                return 0;
            }
            if (chunkLeft == 0) {
                chunkLeft = nextChunk();
                if (chunkLeft == 0) {
                    while (!connection.line(false).isEmpty()) {
                        // trailer fields
                    }
                    finish();
                    return -1;
                }
            }
            int n = connection.in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("the connection closed in the middle of a chunk");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                String end = connection.line(false);
                if (!end.isEmpty()) {
                    throw new IOException("malformed chunked body");
                }
            }
            return n;
        }

        @Override
        public int available() throws IOException {
            return super.finished || super.closed ? 0 : (int) Math.min(connection.in.available(), chunkLeft);
        }

        private long nextChunk() throws IOException {
            String l = connection.line(false);
            int semi = l.indexOf(';');
            String hex = (semi < 0 ? l : l.substring(0, semi)).trim();
            if (hex.isEmpty() || hex.length() > 15) {
                throw new IOException("malformed chunk size in the answer");
            }
            try {
                return Long.parseLong(hex, 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size in the answer");
            }
        }
    }
}
