package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** The command models read at start-up give picocli the same commands as the annotations. */
class CommandModelsTest {
    private static final Map<String, Properties> DESCRIBED = CommandModels.describeAll();
    private static final CommandModels MODELS = CommandModels.of(DESCRIBED);

    static Stream<String> described() {
        return SlipwayCommand.COMMANDS.keySet().stream().filter(DESCRIBED::containsKey);
    }

    @Test
    void everyCommandButHelpAndDbHasAModel() {
        assertThat(described()).containsExactlyElementsOf(SlipwayCommand.COMMANDS.keySet().stream()
                .filter(n -> !n.equals("help") && !n.equals("db")).toList());
    }

    @Test
    void theBuildWritesTheModelsOfTheseClasses() {
        for (Map.Entry<String, Properties> model : CommandModels.describeAll().entrySet()) {
            CommandModels.Model built = CommandModels.compiled(model.getKey());
            assertThat(built).as("the build's process-classes step writes " + CommandModels.className(model.getKey())).isNotNull();
            assertThat(built.keys()).as(model.getKey()).isEqualTo(model.getValue());
            assertThat(built.jar()).as("a model in a class directory, not a jar").isNull();
        }
        assertThat(CommandModels.compiled("db")).isNull();
        assertThat(CommandModels.compiled("save")).isNotNull();
        assertThat(CommandModels.compiled("no-such-command")).isNull();
        assertThat(CommandModels.compiled("../save")).isNull();
    }

    @Test
    void theRootWithoutASubcommandMatchesItsAnnotations() {
        CommandLine fast = MODELS.commandLine(null);
        assertThat(fast).isNotNull();
        assertSameSpec(fast.getCommandSpec(), SlipwayCommand.withSubcommands(List.of()).getCommandSpec());
        assertThat(fast.getSubcommands()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("described")
    void eachModelMatchesTheAnnotations(String name) {
        CommandLine fast = MODELS.commandLine(name);
        assertThat(fast).as(name).isNotNull();
        CommandLine annotated = SlipwayCommand.withSubcommands(List.of(SlipwayCommand.COMMANDS.get(name)));
        assertSameSpec(fast.getCommandSpec(), annotated.getCommandSpec());
        assertSameSpec(fast.getSubcommands().get(name).getCommandSpec(),
                annotated.getSubcommands().get(name).getCommandSpec());
    }

    @ParameterizedTest
    @MethodSource("described")
    void commandsGetTheirParentAndSpec(String name) throws Exception {
        CommandLine sub = MODELS.commandLine(name).getSubcommands().get(name);
        Object command = sub.getCommand();
        for (var f : command.getClass().getDeclaredFields()) {
            f.setAccessible(true);
            if (f.isAnnotationPresent(CommandLine.ParentCommand.class)) {
                assertThat(f.get(command)).as(name + " parent").isInstanceOf(SlipwayCommand.class);
            }
            if (f.isAnnotationPresent(CommandLine.Spec.class)) {
                assertThat(f.get(command)).as(name + " spec").isSameAs(sub.getCommandSpec());
            }
            if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                assertThat(f.get(command)).as(name + " mixin").isNotNull();
            }
        }
    }

    @Test
    void optionsReachTheirFields(@TempDir Path dir) {
        CommandLine cl = MODELS.commandLine("build");
        cl.parseArgs("--root", dir.toString(), "--debug", "build", "-t", "a:1", "-t", "b:2", "--build-arg", "X=1",
                "--insecure-registry", "r:5000", "--jobs", "3", dir.toString());
        SlipwayCommand root = (SlipwayCommand) cl.getCommand();
        assertThat(root.rootOption()).isEqualTo(dir);
        assertThat(root.debug()).isTrue();
        CommandLine.ParseResult sub = cl.getParseResult().subcommand();
        assertThat(sub.matchedOptionValue("-t", List.of())).isEqualTo(List.of("a:1", "b:2"));
        BuildCommand build = (BuildCommand) cl.getSubcommands().get("build").getCommand();
        assertThat(build.registry.insecure).containsExactly("r:5000");
        CommandLine annotated = SlipwayCommand.withSubcommands(List.of(BuildCommand.class));
        annotated.parseArgs("--root", dir.toString(), "build", "-t", "a:1", "-t", "b:2", "--build-arg", "X=1",
                "--insecure-registry", "r:5000", "--jobs", "3", dir.toString());
        BuildCommand expected = (BuildCommand) annotated.getSubcommands().get("build").getCommand();
        for (var f : BuildCommand.class.getDeclaredFields()) {
            if (f.isAnnotationPresent(CommandLine.Option.class) || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                f.setAccessible(true);
                try {
                    assertThat(f.get(build)).as(f.getName()).isEqualTo(f.get(expected));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
    }

    static Stream<Arguments> usageErrors() {
        return Stream.of(
                Arguments.of((Object) new String[] {"save", "--bogus", "x"}),
                Arguments.of((Object) new String[] {"save"}),
                Arguments.of((Object) new String[] {"images", "a", "b"}),
                Arguments.of((Object) new String[] {"history", "-H"}),
                Arguments.of((Object) new String[] {"build", "--jobs", "many", "."}),
                Arguments.of((Object) new String[] {"--version", "--root"}),
                Arguments.of((Object) new String[] {"--version", "--debug=maybe"}),
                Arguments.of((Object) new String[] {"lint", "--format"}));
    }

    @ParameterizedTest
    @MethodSource("usageErrors")
    void usageErrorsReadAsTheAnnotatedCommandsPrintThem(String[] args) {
        CliRun viaModels = CliRun.run(args);
        String name = null;
        for (String a : args) {
            if (!a.startsWith("-")) {
                name = a;
                break;
            }
        }
        CommandLine annotated = SlipwayCommand.withSubcommands(
                name == null ? List.of() : List.of(SlipwayCommand.COMMANDS.get(name)));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        annotated.setOut(new PrintWriter(out));
        annotated.setErr(new PrintWriter(err));
        int exit = annotated.execute(args);
        assertThat(viaModels.exit()).isEqualTo(exit).isEqualTo(2);
        assertThat(viaModels.err()).isEqualTo(err.toString()).isNotEmpty();
        assertThat(viaModels.out()).isEqualTo(out.toString());
    }

    @Test
    void theCommandLineForACommandIsBuiltFromItsModel() {
        assertThat(SlipwayCommand.commandLine("save", "-o", "x.tar", "img").getCommandSpec().userObject())
                .isInstanceOf(SlipwayCommand.class);
        CommandSpec save = SlipwayCommand.commandLine("save", "-o", "x.tar", "img").getSubcommands().get("save")
                .getCommandSpec();
        assertThat(save.options()).allSatisfy(o -> assertThat(o.userObject()).isNull());
        CommandSpec annotated = SlipwayCommand.commandLine("help").getSubcommands().get("save").getCommandSpec();
        assertThat(annotated.options()).allSatisfy(o -> assertThat(o.userObject()).isNotNull());
    }

    @Test
    void theModelsAreExactlyThoseOfTheDescribedCommands() throws Exception {
        Path built = Path.of(CommandModels.class.getResource("/" + CommandModels.PACKAGE.replace('.', '/')).toURI());
        try (var files = Files.list(built)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(
                    CommandModels.describeAll().keySet().stream().map(CommandModelsTest::classFile).toList());
        }
    }

    private static String classFile(String command) {
        String name = CommandModels.className(command);
        return name.substring(name.lastIndexOf('.') + 1) + ".class";
    }

    @Test
    void writingTheModelsRemovesThoseOfCommandsNoLongerDescribed(@TempDir Path dir) throws Exception {
        Path models = Files.createDirectories(dir.resolve(CommandModels.PACKAGE.replace('.', '/')));
        Files.writeString(models.resolve("Model_db.class"), "stale");
        Files.writeString(models.resolve("db.properties"), "db.class=dev.slipway.cli.DbCommand\n");
        Files.writeString(models.resolve("notes.txt"), "kept\n");
        CommandModelClasses.main(new String[] {dir.toString()});
        try (var files = Files.list(models)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(
                    Stream.concat(CommandModels.describeAll().keySet().stream().map(CommandModelsTest::classFile),
                            Stream.of("notes.txt")).toList());
        }
    }

    @Test
    void aModelsClassGivesBackEveryStringAsWritten(@TempDir Path dir) throws Exception {
        Properties model = new Properties();
        String tricky = "quote \" backslash \\ \\u000a newline \n return \r tab \t nul \0 del \u007f next-line \u0085 "
                + "e-acute \u00e9 line-separator \u2028 snowman \u2603 emoji \ud83d\ude00 */ end";
        model.setProperty("odd-name.a.0.description", tricky);
        model.setProperty("odd-name.class", "x");
        model.setProperty("odd-name.empty", "");
        CommandModelClasses.write(dir, Map.of("odd-name", model, "save", CommandModels.describeAll().get("save")));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            for (String name : List.of("odd-name", "save")) {
                String[] pairs = (String[]) loader.loadClass(CommandModels.className(name))
                        .getMethod(CommandModels.METHOD).invoke(null);
                Properties back = new Properties();
                for (int i = 0; i < pairs.length; i += 2) {
                    back.setProperty(pairs[i], pairs[i + 1]);
                }
                assertThat(back).as(name).isEqualTo(name.equals("save") ? CommandModels.describeAll().get("save") : model);
            }
        }
    }

    @Test
    void aCommandNameThatCannotNameAClassIsRefused(@TempDir Path dir) {
        assertThatThrownBy(() -> CommandModelClasses.write(dir, Map.of("Bad Name", new Properties())))
                .isInstanceOf(java.io.IOException.class).hasMessageContaining("Bad Name");
        Map<String, Properties> clash = new java.util.LinkedHashMap<>();
        clash.put("export-oci", new Properties());
        clash.put("export_oci", new Properties());
        assertThatThrownBy(() -> CommandModelClasses.write(dir, clash)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aModelRecordsTheClassFilesItWasMadeFrom() {
        Properties save = CommandModels.describeAll().get("save");
        assertThat(save.getProperty("save.crc")).startsWith(SaveCommand.class.getName() + "=");
        assertThat(save.getProperty("slipway.crc")).startsWith(SlipwayCommand.class.getName() + "=");
        assertThat(CommandModels.unchanged(save.getProperty("save.crc"), null)).isTrue();
        Properties build = CommandModels.describeAll().get("build");
        assertThat(build.getProperty("build.crc")).contains(RegistryOptions.class.getName() + "=");
    }

    @Test
    void aModelMadeFromOtherClassFilesIsNotUsed() {
        Map<String, Properties> edited = CommandModels.describeAll();
        Properties save = edited.get("save");
        save.setProperty("save.crc", save.getProperty("save.crc").replaceFirst("=(\\d+)", "=1$1"));
        assertThat(CommandModels.of(edited).commandLine("save")).isNull();
        assertThat(CommandModels.of(edited).commandLine("images")).isNotNull();
        Map<String, Properties> mixinEdited = CommandModels.describeAll();
        Properties build = mixinEdited.get("build");
        build.setProperty("build.crc", build.getProperty("build.crc").replaceFirst(
                "(" + RegistryOptions.class.getName().replace(".", "\\.").replace("$", "\\$") + ")=\\d+", "$1=7"));
        assertThat(build.getProperty("build.crc")).isNotEqualTo(CommandModels.describeAll().get("build").getProperty("build.crc"));
        assertThat(CommandModels.of(mixinEdited).commandLine("build")).isNull();
        Map<String, Properties> rootEdited = CommandModels.describeAll();
        rootEdited.get("images").setProperty("slipway.crc", SlipwayCommand.class.getName() + "=0");
        assertThat(CommandModels.of(rootEdited).commandLine("images")).isNull();
        Map<String, Properties> noCrc = CommandModels.describeAll();
        noCrc.get("tag").remove("tag.crc");
        assertThat(CommandModels.of(noCrc).commandLine("tag")).isNull();
    }

    @Test
    void aClassPackedInTheModelsJarIsNotReadAgain() {
        String wrong = SaveCommand.class.getName() + "=1";
        assertThat(CommandModels.unchanged(wrong, null)).isFalse();
        assertThat(CommandModels.unchanged(wrong, "file:/elsewhere/slipway.jar")).isFalse();
        assertThat(CommandModels.unchanged(wrong, CommandModels.location(SaveCommand.class))).isTrue();
        String missing = "dev.slipway.cli.NoSuchCommand=1";
        assertThat(CommandModels.unchanged(missing, CommandModels.location(SaveCommand.class))).isFalse();
    }

    @CommandLine.Command(name = "t")
    static class Plain {
        @CommandLine.Option(names = "--a", defaultValue = "x", description = "A (default: ${DEFAULT-VALUE}).")
        String a;
    }

    @CommandLine.Command(name = "t")
    static class InterpolatedDefault {
        @CommandLine.Option(names = "--a", defaultValue = "${sys:user.home}")
        String a;
    }

    @CommandLine.Command(name = "t")
    static class InterpolatedLabel {
        @CommandLine.Parameters(paramLabel = "${env:HOME}")
        String a;
    }

    @CommandLine.Command(name = "t")
    static class InterpolatedSplit {
        @CommandLine.Option(names = "--a", split = "${sys:path.separator}")
        List<String> a;
    }

    @CommandLine.Command(name = "t", exitCodeOnInvalidInput = 3)
    static class ExitCode {
        @CommandLine.Option(names = "--a")
        String a;
    }

    @CommandLine.Command(name = "t", showDefaultValues = true)
    static class ShowDefaults {
        @CommandLine.Option(names = "--a")
        String a;
    }

    @CommandLine.Command(name = "t", sortOptions = false)
    static class Unsorted {
        @CommandLine.Option(names = "--a")
        String a;
    }

    @CommandLine.Command(name = "t", separator = ":")
    static class Separator {
        @CommandLine.Option(names = "--a")
        String a;
    }

    @CommandLine.Command(name = "t")
    static class Interactive {
        @CommandLine.Option(names = "--password", interactive = true)
        char[] password;
    }

    static Stream<Arguments> notDescribable() {
        return Stream.of(InterpolatedDefault.class, InterpolatedLabel.class, InterpolatedSplit.class, ExitCode.class,
                ShowDefaults.class, Unsorted.class, Separator.class, Interactive.class).map(Arguments::of);
    }

    @Test
    void aPlainCommandIsDescribed() {
        assertThat(CommandModels.describe(new Properties(), "t", new CommandLine(new Plain()).getCommandSpec())).isTrue();
    }

    @ParameterizedTest
    @MethodSource("notDescribable")
    void whatTheModelCannotCarryLeavesTheCommandToItsAnnotations(Class<?> type) throws Exception {
        var constructor = type.getDeclaredConstructor();
        CommandSpec spec = new CommandLine(constructor.newInstance()).getCommandSpec();
        assertThat(CommandModels.describe(new Properties(), "t", spec)).as(type.getSimpleName()).isFalse();
    }

    @Test
    void aModelThatNoLongerMatchesItsClassIsNotUsed() {
        Map<String, Properties> stale = CommandModels.describeAll();
        stale.get("save").setProperty("save.class", "dev.slipway.cli.Other");
        assertThat(CommandModels.of(stale).commandLine("save")).isNull();
        assertThat(CommandModels.of(stale).commandLine("images")).isNotNull();
        Map<String, Properties> missingField = CommandModels.describeAll();
        missingField.get("images").setProperty("images.a.0.field", "gone");
        assertThat(CommandModels.of(missingField).commandLine("images")).isNull();
        Map<String, Properties> rootChanged = CommandModels.describeAll();
        rootChanged.get("slipway").setProperty("slipway.class", "dev.slipway.cli.Other");
        rootChanged.get("images").setProperty("slipway.class", "dev.slipway.cli.Other");
        assertThat(CommandModels.of(rootChanged).commandLine(null)).isNull();
        assertThat(CommandModels.of(rootChanged).commandLine("images")).isNull();
        assertThat(CommandModels.of(rootChanged).commandLine("save")).isNotNull();
        Map<String, Properties> noRoot = CommandModels.describeAll();
        noRoot.remove("slipway");
        assertThat(CommandModels.of(noRoot).commandLine(null)).isNull();
        noRoot.get("images").keySet().removeIf(k -> ((String) k).startsWith("slipway."));
        assertThat(CommandModels.of(noRoot).commandLine("images")).isNull();
    }

    private static void assertSameSpec(CommandSpec fast, CommandSpec annotated) {
        String name = annotated.qualifiedName();
        assertThat(fast.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF)).as(name + " usage")
                .isEqualTo(annotated.commandLine().getUsageMessage(CommandLine.Help.Ansi.OFF));
        assertThat(fast.name()).isEqualTo(annotated.name());
        assertThat(fast.version()).isEqualTo(annotated.version());
        assertThat(describe(fast.args())).as(name + " arguments").isEqualTo(describe(annotated.args()));
    }

    private static List<String> describe(List<ArgSpec> args) {
        List<String> out = new ArrayList<>();
        for (ArgSpec a : args) {
            StringBuilder b = new StringBuilder();
            if (a instanceof OptionSpec o) {
                b.append("option ").append(List.of(o.names())).append(" help=").append(o.help())
                        .append(" usageHelp=").append(o.usageHelp()).append(" versionHelp=").append(o.versionHelp())
                        .append(" negatable=").append(o.negatable()).append(" fallback=").append(o.fallbackValue())
                        .append(" order=").append(o.order());
            } else {
                b.append("positional index=").append(((PositionalParamSpec) a).index());
            }
            b.append(" arity=").append(a.arity()).append(" required=").append(a.required())
                    .append(" label=").append(a.paramLabel()).append(" hideSyntax=").append(a.hideParamSyntax())
                    .append(" description=").append(List.of(a.description())).append(" split=").append(a.splitRegex())
                    .append(" hidden=").append(a.hidden()).append(" default=").append(a.defaultValue())
                    .append(" showDefault=").append(a.showDefaultValue()).append(" scope=").append(a.scopeType())
                    .append(" inherited=").append(a.inherited()).append(" type=").append(a.type().getName())
                    .append(" aux=").append(List.of(a.auxiliaryTypes())).append(" multi=").append(a.isMultiValue())
                    .append(" interactive=").append(a.interactive()).append(" initial=").append(a.initialValue())
                    .append(" toString=").append(a);
            out.add(b.toString());
        }
        return out;
    }
}
