package dev.slipway.cli;

import dev.slipway.registry.DockerConfig;
import dev.slipway.registry.RegistryClient;
import dev.slipway.registry.RegistryConfig;
import dev.slipway.registry.TransferListener;
import dev.slipway.store.StoreRoot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options every command that talks to a registry takes (pull, push, login; later build). */
public final class RegistryOptions {
    @Option(names = "--insecure-registry", paramLabel = "HOST[:PORT]",
            description = "Allow plain HTTP to this registry (repeatable). Loopback registries always may. "
                    + "Also read from ROOT/registries.json (\"insecure-registries\").")
    List<String> insecure = new ArrayList<>();

    @Option(names = "--ca-cert", paramLabel = "FILE",
            description = "Trust the CA certificates in this PEM file, on top of the system's (repeatable). "
                    + "Also read from ROOT/registries.json (\"ca-certs\").")
    List<Path> caCerts = new ArrayList<>();

    @Option(names = "--config", paramLabel = "DIR",
            description = "Docker client configuration directory holding config.json (default: $DOCKER_CONFIG, "
                    + "else ~/.docker).")
    Path dockerConfigDir;

    DockerConfig dockerConfig() {
        return DockerConfig.in(dockerConfigDir);
    }

    RegistryConfig config(Path rootOption) {
        return RegistryConfig.load(StoreRoot.resolve(rootOption).dir())
                .withInsecure(insecure.toArray(String[]::new))
                .withCaCerts(caCerts);
    }

    RegistryClient client(Path rootOption, TransferListener listener) {
        return client(config(rootOption), listener);
    }

    RegistryClient client(RegistryConfig config, TransferListener listener) {
        return RegistryClient.withDockerCredentials(config, dockerConfig(), listener);
    }
}
