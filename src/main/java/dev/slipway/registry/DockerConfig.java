package dev.slipway.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import dev.slipway.image.JsonTrees;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Docker's client configuration ({@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json})
 * as far as registry credentials go: {@code credHelpers}, then {@code credsStore}, then {@code auths},
 * the order Docker and Jib look them up in. Writing keeps every other field of the file.
 */
public final class DockerConfig {

    private final Path file;
    private final List<Path> helperPath;

    public DockerConfig(Path file, List<Path> helperPath) {
        this.file = file;
        this.helperPath = List.copyOf(helperPath);
    }

    /** The file Docker itself uses, with helpers looked up on {@code $PATH}. */
    public static DockerConfig standard() {
        return new DockerConfig(defaultFile(System.getenv(), Path.of(System.getProperty("user.home"))),
                pathDirectories(System.getenv("PATH")));
    }

    /** The config in {@code dir} (Docker's {@code --config DIR}), or the standard one when {@code dir} is null. */
    public static DockerConfig in(Path dir) {
        return dir == null ? standard()
                : new DockerConfig(dir.resolve("config.json"), pathDirectories(System.getenv("PATH")));
    }

    static Path defaultFile(Map<String, String> env, Path home) {
        String dir = env.get("DOCKER_CONFIG");
        return (dir != null && !dir.isEmpty() ? Path.of(dir) : home.resolve(".docker")).resolve("config.json");
    }

    static List<Path> pathDirectories(String path) {
        List<Path> dirs = new ArrayList<>();
        if (path != null) {
            for (String p : path.split(":")) {
                if (!p.isEmpty()) {
                    dirs.add(Path.of(p));
                }
            }
        }
        return dirs;
    }

    public Path file() {
        return file;
    }

    /** The credentials for a registry, if any source has them. */
    public Optional<Credentials> lookup(String registry) {
        ObjectNode tree = read();
        String helper = helperFor(tree, registry);
        if (helper != null) {
            CredentialHelper h = new CredentialHelper(helper, helperPath);
            Optional<Credentials> found = h.get(RegistryHosts.configKey(registry));
            if (found.isEmpty() && !RegistryHosts.configKey(registry).equals(RegistryHosts.canonical(registry))) {
                found = h.get(RegistryHosts.canonical(registry));
            }
            if (found.isPresent()) {
                return found;
            }
        }
        JsonNode auths = tree.path("auths");
        for (String key : matchingKeys(auths, registry)) {
            JsonNode entry = auths.get(key);
            Credentials c = fromEntry(entry);
            if (c != null) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** Stores credentials where Docker would: the registry's helper or {@code credsStore}, else {@code auths}. */
    public void store(String registry, Credentials credentials) {
        ObjectNode tree = read();
        String key = RegistryHosts.configKey(registry);
        String helper = helperFor(tree, registry);
        ObjectNode auths = tree.has("auths") && tree.get("auths").isObject()
                ? (ObjectNode) tree.get("auths") : tree.putObject("auths");
        for (String old : matchingKeys(auths, registry)) {
            auths.remove(old);
        }
        if (helper != null) {
            new CredentialHelper(helper, helperPath).store(key, credentials);
            // Docker leaves an empty entry so that `docker info` lists the registry as logged in.
            auths.putObject(key);
        } else {
            auths.putObject(key).put("auth", credentials.toAuth());
        }
        write(tree);
    }

    /** Forgets a registry's credentials; false when there were none in the file or helper. */
    public boolean erase(String registry) {
        ObjectNode tree = read();
        String helper = helperFor(tree, registry);
        boolean found = false;
        JsonNode authsNode = tree.path("auths");
        if (authsNode instanceof ObjectNode auths) {
            for (String key : matchingKeys(auths, registry)) {
                auths.remove(key);
                found = true;
            }
        }
        if (helper != null) {
            new CredentialHelper(helper, helperPath).erase(RegistryHosts.configKey(registry));
            found = true;
        }
        if (found) {
            write(tree);
        }
        return found;
    }

    private static String helperFor(ObjectNode tree, String registry) {
        JsonNode helpers = tree.path("credHelpers");
        for (Iterator<Map.Entry<String, JsonNode>> it = helpers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (RegistryHosts.keyMatches(e.getKey(), registry) && e.getValue().isTextual()
                    && !e.getValue().asText().isEmpty()) {
                return e.getValue().asText();
            }
        }
        JsonNode store = tree.path("credsStore");
        return store.isTextual() && !store.asText().isEmpty() ? store.asText() : null;
    }

    /** Keys of {@code auths} that name the registry, the exact key first. */
    private static List<String> matchingKeys(JsonNode auths, String registry) {
        List<String> keys = new ArrayList<>();
        String preferred = RegistryHosts.configKey(registry);
        if (auths.has(preferred)) {
            keys.add(preferred);
        }
        auths.fieldNames().forEachRemaining(k -> {
            if (!k.equals(preferred) && RegistryHosts.keyMatches(k, registry)) {
                keys.add(k);
            }
        });
        return keys;
    }

    private static Credentials fromEntry(JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            return null;
        }
        String auth = entry.path("auth").asText("");
        if (!auth.isEmpty()) {
            return Credentials.fromAuth(auth);
        }
        String user = entry.path("username").asText("");
        String password = entry.path("password").asText("");
        if (!user.isEmpty() && !password.isEmpty()) {
            return new Credentials(user, password);
        }
        String identityToken = entry.path("identitytoken").asText("");
        return identityToken.isEmpty() ? null : new Credentials(Credentials.TOKEN_USER, identityToken);
    }

    private ObjectNode read() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return JsonNodeFactory.instance.objectNode();
        } catch (IOException e) {
            throw new SlipwayException("cannot read docker config " + file + ": " + e.getMessage());
        }
        try {
            JsonNode tree = JsonTrees.read(bytes);
            if (tree == null || tree.isMissingNode()) {
                return JsonNodeFactory.instance.objectNode();
            }
            if (!tree.isObject()) {
                throw new SlipwayException("docker config " + file + " is not a JSON object");
            }
            return (ObjectNode) tree;
        } catch (IOException e) {
            // The parser's message may quote the file's content, which holds secrets.
            throw new SlipwayException("docker config " + file + " is not valid JSON");
        }
    }

    /** Replaces the file atomically, readable by its owner only, as Docker writes it. */
    private void write(ObjectNode tree) {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(JsonTrees.writeIndented(tree)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SlipwayException("cannot write docker config " + file + ": " + e.getMessage());
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // Only a leftover temp file next to the config.
            }
        }
    }
}
