package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.build.progress.Terminal;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
                + "and shows where their bytes went.")
public final class SlipwayCommand implements Runnable {
    private static final String DISABLE_CLOSURES = "picocli.disable.closures";
    static final String CONVERTERS_EXCLUDES = "picocli.converters.excludes";
    /** The types whose converters picocli is told not to register (its setting: regular expressions of class names). */
    static final String UNUSED_CONVERTERS = "java\\.(sql|time)\\..*";

    /**
     * The subcommands by name, in the order {@code --help} lists them. Not in the {@code @Command}
     * annotation: picocli would build the model of every one of them on each start, which costs more
     * than most commands take to run; {@link #commandLine(String...)} adds only the one the arguments
     * name. Named here rather than found by reading each class's annotation, which costs a start-up
     * a millisecond a class (a test checks that the names are the annotations').
     */
    static final Map<String, Class<?>> COMMANDS = commands(
            "help", CommandLine.HelpCommand.class,
            "import", ImportCommand.class,
            "images", ImagesCommand.class,
            "history", HistoryCommand.class,
            "inspect", InspectCommand.class,
            "tag", TagCommand.class,
            "rmi", RmiCommand.class,
            "prune", PruneCommand.class,
            "plan", PlanCommand.class,
            "save", SaveCommand.class,
            "load", LoadCommand.class,
            "export-oci", ExportOciCommand.class,
            "pull", PullCommand.class,
            "push", PushCommand.class,
            "login", LoginCommand.class,
            "logout", LogoutCommand.class,
            "build", BuildCommand.class,
            "run", RunCommand.class,
            "analyze", AnalyzeCommand.class,
            "compare", CompareCommand.class,
            "diff", DiffCommand.class,
            "lint", LintCommand.class,
            "sbom", SbomCommand.class,
            "scan", ScanCommand.class,
            "db", DbCommand.class);

    static {
        // Settings of picocli for what Slipway does not use, each unless the user set it:
        // its default factory looks up Groovy's Closure class once, to support closures in
        // annotations: a search of the class path that finds nothing (it opens the jar, which a
        // command whose classes all come from the launcher's archive never needs) and an exception;
        // and every command line (two for a command: the root's and the command's) registers
        // converters for java.sql's and java.time's types by reflection, initializing a dozen of
        // their classes (DriverManager, the date-time formatters), for options no command has (a
        // test checks the types of every command's options).
        setIfAbsent(DISABLE_CLOSURES, "true");
        setIfAbsent(CONVERTERS_EXCLUDES, UNUSED_CONVERTERS);
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

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

    /** The command line with every subcommand and Slipway's error handling: user errors as one line, bugs with a hint. */
    public static CommandLine commandLine() {
        return withSubcommands(COMMANDS.values());
    }

    /**
     * The command line for these arguments: with only the subcommand they name, none for
     * {@code --version}, and all of them when they ask for help or name no known command (so
     * usage and "did you mean" messages still list every command).
     */
    public static CommandLine commandLine(String... args) {
        boolean help = false;
        boolean version = false;
        String name = null;
        for (int i = 0; i < args.length && name == null; i++) {
            String a = args[i];
            if (a.equals("--root")) {
                i++;
            } else if (a.equals("-h") || a.equals("--help")) {
                help = true;
            } else if (a.equals("-V") || a.equals("--version")) {
                version = true;
            } else if (!a.startsWith("-")) {
                name = a;
            }
        }
        if (help || (name == null && !version) || "help".equals(name)) {
            return withSubcommands(COMMANDS.values());
        }
        Class<?> named = name == null ? null : COMMANDS.get(name);
        if (name != null && named == null) {
            return withSubcommands(COMMANDS.values());
        }
        List<Class<?>> commands = named == null ? List.of() : List.of(named);
        CommandLine fast = fromModels(name, commands);
        return fast != null ? fast : withSubcommands(commands);
    }

    /**
     * The command line built from {@link CommandModels} (no annotations read), or null. Its
     * parameter errors are reported by the command line built from the annotations, parsing the
     * same arguments again, so every usage error reads exactly as it always did; an error a command
     * raises while it runs is reported as usual.
     */
    private static CommandLine fromModels(String name, List<Class<?>> commands) {
        CommandModels models = CommandModels.load();
        CommandLine cl = models.commandLine(name);
        if (cl == null) {
            return null;
        }
        configure(cl);
        UsageErrorsFromAnnotations handler = new UsageErrorsFromAnnotations(cl, commands);
        cl.setExecutionStrategy(handler);
        cl.setParameterExceptionHandler(handler);
        return cl;
    }

    /** Classes, not lambdas: linking a lambda's call site costs a start more than these do. */
    private static final class UsageErrorsFromAnnotations
            implements CommandLine.IExecutionStrategy, CommandLine.IParameterExceptionHandler {
        private final CommandLine cl;
        private final List<Class<?>> commands;
        private final CommandLine.IParameterExceptionHandler usual;
        private boolean started;

        UsageErrorsFromAnnotations(CommandLine cl, List<Class<?>> commands) {
            this.cl = cl;
            this.commands = commands;
            this.usual = cl.getParameterExceptionHandler();
        }

        @Override
        public int execute(CommandLine.ParseResult parsed) {
            started = true;
            return new CommandLine.RunLast().execute(parsed);
        }

        @Override
        public int handleParseException(CommandLine.ParameterException e, String[] args) throws Exception {
            if (started) {
                return usual.handleParseException(e, args);
            }
            CommandLine annotated = withSubcommands(commands);
            annotated.setOut(cl.getOut());
            annotated.setErr(cl.getErr());
            ((SlipwayCommand) annotated.getCommand()).processStreams = ((SlipwayCommand) cl.getCommand()).processStreams;
            return annotated.execute(args);
        }
    }

    private static Map<String, Class<?>> commands(Object... nameThenClass) {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        for (int i = 0; i < nameThenClass.length; i += 2) {
            commands.put((String) nameThenClass[i], (Class<?>) nameThenClass[i + 1]);
        }
        return Collections.unmodifiableMap(commands);
    }

    /** The command line built from the annotations, with these subcommands. */
    static CommandLine withSubcommands(Collection<Class<?>> commands) {
        CommandLine cl = new CommandLine(new SlipwayCommand());
        for (Class<?> c : commands) {
            cl.addSubcommand(c);
        }
        configure(cl);
        return cl;
    }

    private static void configure(CommandLine cl) {
        cl.setExecutionExceptionHandler(new CommandLine.IExecutionExceptionHandler() {
            @Override
            public int handleExecutionException(Exception e, CommandLine commandLine, CommandLine.ParseResult parsed) {
                return handleException(e, commandLine, parsed);
            }
        });
        CommandLine run = cl.getSubcommands().get("run");
        if (run != null) {
            // `run IMAGE sh -c x`: everything after the image belongs to the container's command.
            run.setStopAtPositional(true);
        }
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
            // The jar's manifest has it (Implementation-Version, the same project version), and the
            // launcher's archive keeps the manifest: no read of the jar. Classes from a directory
            // have no manifest.
            Package p = SlipwayCommand.class.getPackage();
            String version = p == null ? null : p.getImplementationVersion();
            if (version == null) {
                Properties props = new Properties();
                try (InputStream in = SlipwayCommand.class.getModule().getResourceAsStream("dev/slipway/version.properties")) {
                    if (in != null) {
                        props.load(in);
                    }
                }
                version = props.getProperty("version", "unknown");
            }
            return new String[] {"slipway " + version};
        }
    }
}
