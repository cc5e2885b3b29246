package dev.slipway.registry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code docker-registry}, started for one test class on a free 127.0.0.1 port with its
 * own storage (never the package's default config, which listens on every interface).
 */
public final class TestRegistry implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final int port;
    private final Path dir;

    private TestRegistry(Process process, int port, Path dir) {
        this.process = process;
        this.port = port;
        this.dir = dir;
    }

    /** Extra sections for the config: htpasswd auth, TLS, token auth. */
    public record Options(Path htpasswd, Path tlsCert, Path tlsKey, String tokenRealm, Path tokenRootCerts) {
        public static Options plain() {
            return new Options(null, null, null, null, null);
        }
    }

    public static TestRegistry start(Path dir, Options options) throws IOException, InterruptedException {
        int port = freePort();
        Files.createDirectories(dir.resolve("data"));
        StringBuilder cfg = new StringBuilder();
        cfg.append("version: 0.1\n")
                .append("log:\n  level: warn\n  accesslog:\n    disabled: true\n")
                .append("storage:\n  filesystem:\n    rootdirectory: ").append(dir.resolve("data")).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("http:\n  addr: 127.0.0.1:").append(port).append('\n');
        if (options.tlsCert() != null) {
            cfg.append("  tls:\n    certificate: ").append(options.tlsCert())
                    .append("\n    key: ").append(options.tlsKey()).append('\n');
        }
        if (options.htpasswd() != null) {
            cfg.append("auth:\n  htpasswd:\n    realm: slipway-test\n    path: ").append(options.htpasswd()).append('\n');
        } else if (options.tokenRealm() != null) {
            cfg.append("auth:\n  token:\n    realm: ").append(options.tokenRealm())
                    .append("\n    service: slipway-test-registry\n    issuer: slipway-test-issuer\n")
                    .append("    rootcertbundle: ").append(options.tokenRootCerts()).append('\n');
        }
        Path config = dir.resolve("config.yml");
        Files.writeString(config, cfg);
        Process p = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("registry.log").toFile())
                .start();
        TestRegistry registry = new TestRegistry(p, port, dir);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IOException("docker-registry exited: " + Files.readString(dir.resolve("registry.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return registry;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        registry.close();
        throw new IOException("docker-registry did not start listening on 127.0.0.1:" + port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    /** {@code 127.0.0.1:PORT}, as an image reference names it. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String log() throws IOException {
        return Files.readString(dir.resolve("registry.log"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a command to completion; its output, or an exception with it when it fails. */
    public static String run(List<String> command, Path workDir) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out);
        }
        return out;
    }
}
