package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.Dockerfile;
import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.plan.BuildPlan;
import dev.slipway.plan.PlanReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Show how a Dockerfile would be built: stages, bases, dependencies, "
                + "which stages are built or skipped, and which can run in parallel.")
public final class PlanCommand implements Callable<Integer> {

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: CONTEXT/Dockerfile).")
    Path file;

    @Option(names = "--target", paramLabel = "STAGE", description = "Plan for this stage instead of the last one.")
    String target;

    @Option(names = "--build-arg", paramLabel = "KEY=VALUE",
            description = "A build arg; repeatable. KEY alone takes the value of the environment variable KEY.")
    List<String> buildArgs = List.of();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json.")
    String format;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONTEXT", defaultValue = ".",
            description = "The build context directory (default: the current directory).")
    Path context;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (!format.equals("text") && !format.equals("json")) {
            throw new SlipwayException("unknown --format \"" + format + "\": use text or json");
        }
        Path dockerfile = file != null ? file : context.resolve("Dockerfile");
        if (!Files.isRegularFile(dockerfile)) {
            throw new SlipwayException("cannot read Dockerfile " + dockerfile + ": no such file");
        }
        Dockerfile parsed = DockerfileParser.parse(dockerfile);
        BuildPlan plan = BuildPlan.create(parsed, BuildPlan.PlanOptions.of(parseBuildArgs(buildArgs), target));
        spec.commandLine().getOut().print(format.equals("json") ? PlanReport.json(plan) : PlanReport.text(plan));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** Docker's {@code --build-arg} rules: {@code K=V}, or {@code K} alone to take the value from the environment. */
    static Map<String, String> parseBuildArgs(List<String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq == 0) {
                throw new SlipwayException("invalid --build-arg \"" + arg + "\": missing name");
            }
            if (eq < 0) {
                String env = System.getenv(arg);
                if (env != null) {
                    out.put(arg, env);
                }
            } else {
                out.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        return out;
    }
}
