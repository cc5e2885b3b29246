package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.image.ImageReference;
import dev.slipway.registry.Credentials;
import dev.slipway.registry.DockerConfig;
import dev.slipway.registry.RegistryClient;
import dev.slipway.registry.TransferListener;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "login", mixinStandardHelpOptions = true, description = "Check credentials against a registry and save them in Docker's config.json.")
public final class LoginCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Option(names = {"-u", "--username"}, paramLabel = "USER", description = "User name.")
    String username;

    @Option(names = {"-p", "--password"}, paramLabel = "PASS",
            description = "Password or token (insecure: it shows in the process list; prefer --password-stdin).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password or token from standard input.")
    boolean passwordStdin;

    @Parameters(arity = "0..1", paramLabel = "REGISTRY", description = "The registry (default: Docker Hub).")
    String server;

    @Override
    public Integer call() {
        if (password != null && passwordStdin) {
            throw new SlipwayException("--password and --password-stdin are mutually exclusive");
        }
        String reg = server == null ? ImageReference.DOCKER_HUB : server.replaceFirst("^https?://", "")
                .replaceFirst("/.*$", "");
        Console console = System.console();
        String user = username;
        if (user == null && console != null) {
            user = console.readLine("Username: ");
        }
        if (user == null || user.isBlank()) {
            throw new SlipwayException("login needs a user name: use -u USER");
        }
        String secret = password;
        if (password != null) {
            spec.commandLine().getErr().println("WARNING! Using --password via the CLI is insecure. Use --password-stdin.");
        } else if (passwordStdin) {
            secret = readStdin();
        } else if (console != null) {
            char[] typed = console.readPassword("Password: ");
            secret = typed == null ? null : new String(typed);
        }
        if (secret == null || secret.isEmpty()) {
            throw new SlipwayException("login needs a password: use --password-stdin");
        }
        Credentials credentials = new Credentials(user, secret);
        RegistryClient client = registry.client(parent.rootOption(), TransferListener.NONE);
        client.login(reg, credentials);
        DockerConfig config = registry.dockerConfig();
        config.store(reg, credentials);
        spec.commandLine().getOut().println("Login Succeeded");
        spec.commandLine().getOut().flush();
        return 0;
    }

    private static String readStdin() {
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            StringBuilder all = new StringBuilder();
            for (int c; (c = r.read()) >= 0; ) {
                all.append((char) c);
            }
            return all.toString().replaceAll("[\r\n]+$", "");
        } catch (IOException e) {
            throw new SlipwayException("cannot read the password from standard input: " + e.getMessage());
        }
    }
}
