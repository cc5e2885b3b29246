package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.build.progress.Terminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(
        name = "slipway",
        mixinStandardHelpOptions = true,
        versionProvider = SlipwayCommand.Version.class,
        description = "Builds small, correct OCI images from Dockerfiles without a daemon, "
                + "and shows where their bytes went.",
        subcommands = {
            CommandLine.HelpCommand.class,
            ImportCommand.class,
            ImagesCommand.class,
            HistoryCommand.class,
            InspectCommand.class,
            TagCommand.class,
            RmiCommand.class,
            PruneCommand.class,
            PlanCommand.class,
            SaveCommand.class,
            LoadCommand.class,
            ExportOciCommand.class,
            PullCommand.class,
            PushCommand.class,
            LoginCommand.class,
            LogoutCommand.class,
            BuildCommand.class,
            RunCommand.class,
            AnalyzeCommand.class,
            CompareCommand.class,
            DiffCommand.class,
            LintCommand.class,
            SbomCommand.class,
            ScanCommand.class,
            DbCommand.class,
        })
public final class SlipwayCommand implements Runnable {

    @Option(names = "--root", scope = ScopeType.INHERIT, paramLabel = "DIR",
            description = "Where Slipway keeps its state (default: $SLIPWAY_ROOT, else /var/lib/slipway "
                    + "for root, ~/.local/share/slipway otherwise).")
    Path root;

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces and internal detail on errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Set by {@link Main}: the commands print to this process's stdout and stderr, not to a test's writers. */
    boolean processStreams;

    /** The state directory chosen by {@code --root}, or null to use the default. */
    public Path rootOption() {
        return root;
    }

    public boolean debug() {
        return debug;
    }

    /** Whether the commands' stdout ({@code fd} 1) or stderr (2) is a terminal that can show live progress. */
    public boolean isTerminal(int fd) {
        return processStreams && Terminal.isTerminal(fd);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command line with Slipway's error handling: user errors as one line, bugs with a hint. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SlipwayCommand());
        cl.setExecutionExceptionHandler(SlipwayCommand::handleException);
        // `run IMAGE sh -c x`: everything after the image belongs to the container's command.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        return cl;
    }

    private static int handleException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        boolean debug = ((SlipwayCommand) cl.getCommandSpec().root().userObject()).debug;
        if (debug) {
            e.printStackTrace(err);
        }
        if (e instanceof SlipwayException se) {
            err.println("error: " + se.getMessage());
            err.flush();
            return se.exitCode();
        }
        if (e instanceof UncheckedIOException || e instanceof IOException) {
            err.println("error: " + (e.getCause() != null && e instanceof UncheckedIOException
                    ? e.getCause() : e));
        } else {
            err.println("error: internal error: " + e + (debug ? "" : " (run with --debug for details)"));
        }
        err.flush();
        return 1;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws IOException {
            Properties props = new Properties();
            try (InputStream in = SlipwayCommand.class.getResourceAsStream("/dev/slipway/version.properties")) {
                if (in != null) {
                    props.load(in);
                }
            }
            return new String[] {"slipway " + props.getProperty("version", "unknown")};
        }
    }
}
