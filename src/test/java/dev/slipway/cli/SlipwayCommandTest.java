package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import org.junit.jupiter.api.io.TempDir;

class SlipwayCommandTest {

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    @Test
    void versionNamesTheProjectVersion() {
        CliRun r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("slipway \\d+\\.\\d+\\.\\d+\\S*\\s*");
    }

    @Test
    void helpListsGlobalOptions() {
        CliRun r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--root=DIR", "--debug");
    }

    @Test
    void everyCommandPrintsItsHelpWithDashDashHelpAsDockerCommandsDo() {
        SlipwayCommand.COMMANDS.keySet().forEach(name -> {
            for (String flag : new String[] {"--help", "-h"}) {
                CliRun r = run(name, flag);
                assertThat(r.exit()).as(name + " " + flag + ": " + r.err()).isZero();
                assertThat(r.out()).as(name + " " + flag).contains("Usage: slipway " + name + " ");
                assertThat(r.err()).as(name + " " + flag).isEmpty();
            }
        });
        CliRun sub = run("db", "update", "--help");
        assertThat(sub.exit()).as(sub.err()).isZero();
        assertThat(sub.out()).contains("Usage: slipway db update ");
    }

    @Test
    void unknownCommandIsAUsageErrorWithoutStackTrace() {
        CliRun r = run("frobnicate");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("frobnicate").doesNotContain("at dev.slipway");
    }

    @Test
    void aNamedCommandIsTheOnlyOneBuilt() {
        assertThat(SlipwayCommand.commandLine("--root", "/x", "--debug", "images", "-q").getSubcommands())
                .containsOnlyKeys("images");
        assertThat(SlipwayCommand.commandLine("--version").getSubcommands()).isEmpty();
    }

    @Test
    void everyCommandIsListedUnderTheNameItsAnnotationGives() {
        SlipwayCommand.COMMANDS.forEach((name, type) -> {
            CommandLine.Command command = type.getAnnotation(CommandLine.Command.class);
            assertThat(command.name()).as(type.getName()).isEqualTo(name);
            assertThat(command.aliases()).as("aliases of " + name + " would need entries of their own").isEmpty();
        });
        assertThat(SlipwayCommand.commandLine("save", "-o", "x.tar", "img").getSubcommands()).containsOnlyKeys("save");
        assertThat(SlipwayCommand.commandLine("export-oci").getSubcommands()).containsOnlyKeys("export-oci");
    }

    @Test
    void helpAndUnknownNamesGetEveryCommand() {
        int all = SlipwayCommand.COMMANDS.size();
        assertThat(SlipwayCommand.commandLine("--help", "images").getSubcommands()).hasSize(all);
        assertThat(SlipwayCommand.commandLine("help", "build").getSubcommands()).hasSize(all);
        assertThat(SlipwayCommand.commandLine("frobnicate").getSubcommands()).hasSize(all);
        assertThat(SlipwayCommand.commandLine().getSubcommands()).hasSize(all);
        assertThat(run("--help").out()).contains("images", "build", "scan", "db");
    }

    @Test
    void helpForOneCommandShowsItsOptions() {
        CliRun r = run("help", "build");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--build-arg", "--target");
    }

    @Test
    void inheritedRootWorksAfterTheCommandName(@TempDir Path dir) {
        CliRun r = run("images", "--root", dir.toString(), "-q");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEmpty();
        assertThat(run("images", "--root", dir.resolve("f").toString(), "--bogus").exit()).isEqualTo(2);
    }

    @Test
    void noCommandHasAnOptionOfATypeWhoseConverterPicocliIsToldToSkip() {
        Pattern unused = Pattern.compile(SlipwayCommand.UNUSED_CONVERTERS);
        List<String> types = new ArrayList<>();
        types(SlipwayCommand.commandLine(), types);
        assertThat(types).as("the walk reached the commands' options, db's subcommands' too")
                .contains("java.nio.file.Path", "java.lang.String", "int", "boolean");
        assertThat(types).noneMatch(t -> unused.matcher(t).matches());
        assertThat(unused.matcher(Duration.class.getName()).matches()).isTrue();
        assertThat(unused.matcher(Path.class.getName()).matches()).isFalse();
    }

    private static void types(CommandLine cl, List<String> types) {
        for (ArgSpec arg : cl.getCommandSpec().args()) {
            types.add(arg.type().getName());
            for (Class<?> aux : arg.auxiliaryTypes()) {
                types.add(aux.getName());
            }
        }
        cl.getSubcommands().values().forEach(sub -> types(sub, types));
    }

    @CommandLine.Command(name = "t")
    static class TimeOption {
        @CommandLine.Option(names = "--d")
        Duration d;
    }

    @Test
    void picocliRegistersNoConverterForTheSkippedTypes() {
        assertThat(SlipwayCommand.COMMANDS).isNotEmpty();
        CommandLine cl = new CommandLine(new TimeOption());
        assertThatThrownBy(() -> cl.parseArgs("--d", "PT1S")).hasMessageContaining("java.time.Duration");
    }
}
