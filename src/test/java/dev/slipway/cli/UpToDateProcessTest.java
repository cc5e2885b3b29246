package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slipway build} run twice as the launcher runs it, in processes of their own: the second
 * run takes the up-to-date check's path (it never loads picocli) and prints what the same warm
 * build prints with the check turned off ({@code SLIPWAY_NO_UPTODATE=1}), timings aside.
 * COPY-only, so no container runtime is needed.
 */
class UpToDateProcessTest {
    @TempDir
    Path dir;
    private SlipwayProcess slipway;
    private Path root;

    @BeforeEach
    void setUp() throws Exception {
        slipway = SlipwayProcess.create(dir);
        root = dir.resolve("root");
        Path src = Files.createDirectories(dir.resolve("ctx/src/sub"));
        Files.writeString(src.resolve("../a.txt"), "a\n");
        Files.writeString(src.resolve("b.txt"), "b\n");
        Files.writeString(dir.resolve("ctx/Dockerfile"), """
                FROM scratch AS files
                COPY src /src
                FROM scratch
                ARG GREETING=hello
                ENV GREETING=$GREETING
                COPY --from=files /src/a.txt /a.txt
                COPY src/sub /sub
                """);
    }

    private static String withoutTimes(String log) {
        return log.replaceAll("DONE \\d+\\.\\ds", "DONE <t>").replaceAll(" in \\d+\\.\\ds: ", " in <t>: ");
    }

    private static long loaded(Path classLog, String prefix) throws Exception {
        return Files.readAllLines(classLog).stream().filter(l -> l.contains("] " + prefix)).count();
    }

    @Test
    void aWarmRebuildTakesTheFastPathAndPrintsWhatTheNormalPathPrints() throws Exception {
        String[] plain = {"--root", root.toString(), "build", "--progress", "plain", "-t", "app:1", "ctx"};
        SlipwayProcess.Run cold = slipway.run(dir, Map.of(), null, plain);
        assertThat(cold.exit()).as(cold.err()).isZero();
        assertThat(cold.err()).contains("0 cached");

        Path normalLog = dir.resolve("normal-classes.log");
        SlipwayProcess.Run normal = slipway.run(dir, Map.of("SLIPWAY_NO_UPTODATE", "1"), normalLog, plain);
        Path fastLog = dir.resolve("fast-classes.log");
        SlipwayProcess.Run fast = slipway.run(dir, Map.of(), fastLog, plain);

        assertThat(normal.exit()).as(normal.err()).isZero();
        assertThat(fast.exit()).as(fast.err()).isZero();
        assertThat(loaded(normalLog, "picocli.")).as("the normal path parses the command line").isPositive();
        assertThat(loaded(fastLog, "picocli.")).as("classes of picocli the fast path loaded").isZero();
        assertThat(loaded(fastLog, "com.fasterxml.")).as("classes of Jackson the fast path loaded").isZero();
        assertThat(fast.out()).isEqualTo(cold.out()).isEqualTo(normal.out()).matches("sha256:[0-9a-f]{64}\n");
        assertThat(normal.err()).contains("#3 CACHED").contains("0 steps executed, 3 cached");
        assertThat(withoutTimes(fast.err())).isEqualTo(withoutTimes(normal.err()));

        // Quiet: the image ID alone, on stdout, once the quiet invocation has its own record.
        String[] quiet = {"--root", root.toString(), "build", "-q", "-t", "app:1", "ctx"};
        SlipwayProcess.Run first = slipway.run(dir, Map.of(), null, quiet);
        Path quietLog = dir.resolve("quiet-classes.log");
        SlipwayProcess.Run again = slipway.run(dir, Map.of(), quietLog, quiet);
        assertThat(again.out()).isEqualTo(first.out()).isEqualTo(cold.out());
        assertThat(again.err()).isEmpty();
        assertThat(loaded(quietLog, "picocli.")).isZero();
    }

    @Test
    void aChangedSourceOrAnotherJarRunsTheBuild() throws Exception {
        String[] args = {"--root", root.toString(), "build", "--progress", "plain", "-t", "app:1", "ctx"};
        Map<String, String> explain = Map.of("SLIPWAY_UPTODATE_EXPLAIN", "1");
        assertThat(slipway.run(dir, explain, null, args).exit()).isZero();
        assertThat(slipway.run(dir, explain, null, args).err()).startsWith(
                "slipway: up-to-date check: up to date");

        Files.writeString(dir.resolve("ctx/src/sub/b.txt"), "B\n");
        SlipwayProcess.Run changed = slipway.run(dir, explain, null, args);
        assertThat(changed.err()).contains("up-to-date check: " + dir.resolve("ctx/src/sub/b.txt") + " changed")
                .doesNotContain("0 steps executed");

        // A rebuilt jar (here: the same one touched) trusts no record of the old one.
        Files.setLastModifiedTime(slipway.jar(), java.nio.file.attribute.FileTime.fromMillis(0));
        SlipwayProcess.Run newJar = slipway.run(dir, explain, null, args);
        assertThat(newJar.err()).contains("up-to-date check: another Slipway jar wrote the record")
                .contains("0 steps executed, 3 cached");
        assertThat(slipway.run(dir, explain, null, args).err()).startsWith("slipway: up-to-date check: up to date");
    }
}
