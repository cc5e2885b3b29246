package dev.slipway.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PlainHttpTest {
    private final List<AutoCloseable> servers = new CopyOnWriteArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final PlainHttp http = new PlainHttp(Duration.ofSeconds(5), Duration.ofSeconds(60));

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable s : servers) {
            s.close();
        }
        threads.shutdownNow();
    }

    @Test
    void fixedAndChunkedBodiesArriveWholeOverOneKeptAliveConnection() throws Exception {
        byte[] big = new byte[3 << 20];
        new Random(7).nextBytes(big);
        Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            try (ex) {
                clientPorts.add(ex.getRemoteAddress().getPort());
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().add("X-Path", ex.getRequestURI().getRawPath());
                // Length 0 makes the server send the body chunked.
                ex.sendResponseHeaders(200, ex.getRequestURI().getPath().equals("/chunked") ? 0 : big.length);
                ex.getResponseBody().write(big);
            }
        });
        server.start();
        servers.add(() -> server.stop(0));
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());

        for (String path : List.of("/fixed", "/chunked", "/fixed")) {
            PlainHttp.Answer a = http.send("GET", base.resolve(path), Map.of(), null);
            try (InputStream in = a.body()) {
                assertThat(a.status()).isEqualTo(200);
                assertThat(a.headers().firstValue("x-path")).hasValue(path);
                assertThat(in.readAllBytes()).isEqualTo(big);
            }
        }
        assertThat(clientPorts).hasSize(1);
    }

    @Test
    void aConnectionTheServerClosedWhileIdleIsReplacedAndTheRequestSentAgain() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        // Promises keep-alive, then closes every connection after one answer.
        int port = rawServer(s -> {
            String line = readHead(s);
            requests.add(line);
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        });
        URI uri = URI.create("http://127.0.0.1:" + port + "/v2/");
        for (int i = 0; i < 3; i++) {
            PlainHttp.Answer a = http.send("POST", uri, Map.of(), RegistryTransport.Body.of("x".getBytes()));
            try (InputStream in = a.body()) {
                assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("ok");
            }
            // Let the server's close reach this side, so the next request finds the connection dead.
            Thread.sleep(50);
        }
        assertThat(requests).hasSize(3).allMatch(l -> l.equals("POST /v2/ HTTP/1.1"));
    }

    @Test
    void anAnswerSentBeforeTheBodyWasTakenIsStillSeen() throws Exception {
        int port = rawServer(s -> {
            readHead(s);
            write(s, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"x\"\r\nContent-Length: 0\r\n\r\n");
        });
        byte[] body = new byte[32 << 20];
        PlainHttp.Answer a = http.send("PUT", URI.create("http://127.0.0.1:" + port + "/upload"), Map.of(),
                RegistryTransport.Body.of(body));
        a.body().close();
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"x\"");
    }

    @Test
    void aBodyCutShortIsAnErrorNotAShortBlob() throws Exception {
        int port = rawServer(s -> {
            readHead(s);
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
        });
        PlainHttp.Answer a = http.send("GET", URI.create("http://127.0.0.1:" + port + "/b"), Map.of(), null);
        try (InputStream in = a.body()) {
            assertThatThrownBy(in::readAllBytes).isInstanceOf(EOFException.class).hasMessageContaining("91 bytes");
        }
    }

    @Test
    void headAnswersHaveNoBodyAndTheConnectionIsReused() throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        int port = rawServer(s -> {
            for (int i = 0; i < 2; i++) {
                requests.add(readHead(s));
                write(s, i == 0 ? "HTTP/1.1 200 OK\r\nContent-Length: 12345\r\n\r\n"
                        : "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            }
        });
        URI uri = URI.create("http://127.0.0.1:" + port + "/v2/r/blobs/x");
        PlainHttp.Answer head = http.send("HEAD", uri, Map.of(), null);
        assertThat(head.body().read()).isEqualTo(-1);
        head.body().close();
        PlainHttp.Answer second = http.send("HEAD", uri, Map.of(), null);
        second.body().close();
        assertThat(head.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(404);
        assertThat(requests).hasSize(2);
    }

    @Test
    void headerValuesWithLineBreaksAreRefused() {
        assertThatThrownBy(() -> http.send("GET", URI.create("http://127.0.0.1:9/x"),
                Map.of("Authorization", "Bearer a\r\nX-Evil: 1"), null))
                .isInstanceOf(IOException.class).hasMessageContaining("Authorization");
    }

    @Test
    void aSilentServerTimesOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int port = rawServer(s -> await(release));
        PlainHttp quick = new PlainHttp(Duration.ofSeconds(5), Duration.ofMillis(300));
        try {
            assertThatThrownBy(() -> quick.send("GET", URI.create("http://127.0.0.1:" + port + "/"), Map.of(), null))
                    .isInstanceOf(SocketTimeoutException.class);
        } finally {
            release.countDown();
        }
    }

    @Test
    void anInterruptedReaderStopsAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int port = rawServer(s -> {
            readHead(s);
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nsome");
            await(release);
        });
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch ended = new CountDownLatch(1);
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        Future<?> reader = threads.submit(() -> {
            try {
                PlainHttp.Answer a = http.send("GET", URI.create("http://127.0.0.1:" + port + "/"), Map.of(), null);
                try (InputStream in = a.body()) {
                    reading.countDown();
                    return in.readAllBytes();
                }
            } catch (IOException e) {
                failures.add(e);
                throw e;
            } finally {
                ended.countDown();
            }
        });
        assertThat(reading.await(10, TimeUnit.SECONDS)).isTrue();
        reader.cancel(true);
        try {
            // The read timeout is 60 s: ending well before it means the interrupt ended the read.
            assertThat(ended.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(failures).hasSize(1);
        } finally {
            release.countDown();
        }
    }

    /** A server running {@code handler} on each accepted connection, which it then closes; returns its port. */
    private int rawServer(Consumer<Socket> handler) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        servers.add(ss);
        threads.submit(() -> {
            List<Socket> open = new ArrayList<>();
            while (!ss.isClosed()) {
                Socket s;
                try {
                    s = ss.accept();
                } catch (IOException e) {
                    break;
                }
                open.add(s);
                threads.submit(() -> {
                    try (s) {
                        handler.accept(s);
                    } catch (IOException e) {
                        // the client went away
                    }
                    return null;
                });
            }
            return null;
        });
        return ss.getLocalPort();
    }

    /** Reads a request's head, and its body unless it is a PUT; returns the request line. */
    private static String readHead(Socket s) {
        try {
            InputStream in = s.getInputStream();
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int c = in.read();
                if (c < 0) {
                    throw new EOFException("request cut short");
                }
                head.append((char) c);
            }
            String[] lines = head.toString().split("\r\n");
            long length = 0;
            for (String l : lines) {
                if (l.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                    length = Long.parseLong(l.substring(15).trim());
                }
            }
            if (!lines[0].startsWith("PUT")) {
                in.readNBytes((int) length);
            }
            return lines[0];
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void write(Socket s, String answer) {
        try {
            OutputStream out = s.getOutputStream();
            out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
