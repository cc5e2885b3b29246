package dev.slipway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code docker-credential-NAME} program: {@code get}, {@code store} and {@code erase} with the
 * request on stdin (docker/docker-credential-helpers protocol). Its output is never echoed, since it
 * holds secrets; a failure is reported by exit code only.
 */
final class CredentialHelper {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 30;

    private final String name;
    private final List<Path> searchPath;

    CredentialHelper(String name, List<Path> searchPath) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new SlipwayException("invalid credential helper name in docker config: " + name);
        }
        this.name = name;
        this.searchPath = searchPath;
    }

    String program() {
        return "docker-credential-" + name;
    }

    Optional<Credentials> get(String serverUrl) {
        Result r = run("get", serverUrl.getBytes(StandardCharsets.UTF_8));
        if (r.exit != 0) {
            // Helpers report unknown servers with a non-zero exit and "credentials not found".
            if (r.output.contains("credentials not found") || r.output.isBlank()) {
                return Optional.empty();
            }
            throw new SlipwayException(program() + " get failed (exit " + r.exit + ")");
        }
        if (r.output.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode tree = JSON.readTree(r.output);
            String user = tree.path("Username").asText("");
            String secret = tree.path("Secret").asText("");
            return secret.isEmpty() ? Optional.empty() : Optional.of(new Credentials(user, secret));
        } catch (IOException e) {
            throw new SlipwayException(program() + " get returned something that is not JSON");
        }
    }

    void store(String serverUrl, Credentials credentials) {
        byte[] request;
        try {
            request = JSON.writeValueAsBytes(JSON.createObjectNode()
                    .put("ServerURL", serverUrl)
                    .put("Username", credentials.username())
                    .put("Secret", credentials.secret()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Result r = run("store", request);
        if (r.exit != 0) {
            throw new SlipwayException(program() + " store failed (exit " + r.exit + ")");
        }
    }

    void erase(String serverUrl) {
        Result r = run("erase", serverUrl.getBytes(StandardCharsets.UTF_8));
        if (r.exit != 0 && !r.output.contains("credentials not found")) {
            throw new SlipwayException(program() + " erase failed (exit " + r.exit + ")");
        }
    }

    private record Result(int exit, String output) {
    }

    private Result run(String verb, byte[] stdin) {
        Path exe = searchPath.stream().map(d -> d.resolve(program())).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new SlipwayException("credential helper " + program()
                        + " (named in the docker config) is not on the PATH"));
        Process p;
        try {
            p = new ProcessBuilder(exe.toString(), verb).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new SlipwayException("cannot run " + program() + ": " + e.getMessage());
        }
        try {
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // A helper that exits before reading its input reports through its exit code.
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream o = p.getInputStream()) {
                o.transferTo(out);
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new SlipwayException(program() + " " + verb + " timed out");
            }
            return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SlipwayException("cannot run " + program() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SlipwayException(program() + " interrupted");
        }
    }
}
