package dev.slipway.cli;

import dev.slipway.image.ImageReference;
import dev.slipway.registry.DockerConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "logout", mixinStandardHelpOptions = true, description = "Remove a registry's credentials from Docker's config.json.")
public final class LogoutCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", paramLabel = "DIR",
            description = "Docker client configuration directory holding config.json (default: $DOCKER_CONFIG, "
                    + "else ~/.docker).")
    Path dockerConfigDir;

    @Parameters(arity = "0..1", paramLabel = "REGISTRY", description = "The registry (default: Docker Hub).")
    String server;

    @Override
    public Integer call() {
        String reg = server == null ? ImageReference.DOCKER_HUB : server.replaceFirst("^https?://", "")
                .replaceFirst("/.*$", "");
        boolean removed = DockerConfig.in(dockerConfigDir).erase(reg);
        spec.commandLine().getOut().println(removed ? "Removing login credentials for " + reg
                : "Not logged in to " + reg);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
