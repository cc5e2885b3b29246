package dev.slipway.cli;

import dev.slipway.build.ContainerRunner;
import dev.slipway.build.exec.Network;
import dev.slipway.build.exec.OutputSink;
import dev.slipway.store.Store;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a command in a new container of an image; its writes are discarded.")
public final class RunCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--rm", description = "Remove the container when it exits (always the case).")
    boolean rm;

    @Option(names = {"-e", "--env"}, paramLabel = "KEY[=VALUE]", description = "Set an environment variable.")
    List<String> env = new ArrayList<>();

    @Option(names = {"-u", "--user"}, paramLabel = "USER[:GROUP]", description = "Run as this user.")
    String user;

    @Option(names = {"-w", "--workdir"}, paramLabel = "DIR", description = "Working directory inside the container.")
    String workdir;

    @Option(names = "--entrypoint", paramLabel = "CMD", description = "Override the image's ENTRYPOINT.")
    String entrypoint;

    @Option(names = "--network", paramLabel = "MODE", description = "host (default) or none.")
    String network = "host";

    @Parameters(index = "0", paramLabel = "IMAGE")
    String image;

    @Parameters(index = "1..*", paramLabel = "COMMAND")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        OutputSink sink = (stream, text) -> {
            PrintWriter w = stream == OutputSink.Stream.STDOUT ? out : err;
            synchronized (w) {
                w.println(text);
                w.flush();
            }
        };
        ContainerRunner.Options options = new ContainerRunner.Options(image, command, entrypoint, env, user, workdir,
                Network.parse(network));
        return ContainerRunner.forHost(Store.open(parent.rootOption())).run(options, sink);
    }
}
