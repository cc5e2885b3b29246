package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./slipway} launcher in a copy of the project with stand-ins for {@code mvn} and
 * {@code java} that log how they were called: it builds the jar when a source is newer, trains the
 * archive once per jar, and otherwise only starts java.
 */
class LauncherTest {
    @TempDir
    Path dir;

    private Path project;
    private Path log;
    private Path jar;
    private Path jsa;

    @BeforeEach
    void setUp() throws Exception {
        project = dir.resolve("project");
        log = dir.resolve("calls.log");
        Files.createDirectories(project.resolve("src/main/java/dev"));
        Files.copy(Path.of("slipway"), project.resolve("slipway"));
        Files.writeString(project.resolve("pom.xml"), "<project/>\n");
        Files.writeString(project.resolve("src/main/java/dev/A.java"), "class A {}\n");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        script(bin.resolve("mvn"), "echo \"mvn $* in $(pwd -P)\" >>'" + log + "'\nmkdir -p target && echo jar >target/slipway.jar\n");
        script(bin.resolve("java"), String.join("\n",
                "echo \"java $*\" >>'" + log + "'",
                "for a in \"$@\"; do case \"$a\" in -XX:ArchiveClassesAtExit=*) echo jsa >\"${a#*=}\" ;; esac; done",
                // The training's mark that SHA-256 is native names the libcrypto it loaded (the test's file says which).
                "case \"$*\" in *dev.slipway.cli.Training*) if [ -e '" + dir.resolve("native-sha") + "' ]; then",
                "  for a in \"$@\"; do last=\"$a\"; done; mkdir -p \"$last\" && cp '" + dir.resolve("native-sha")
                        + "' \"$last/sha256-native\"; fi ;; esac",
                "case \"$*\" in *dev.slipway.cli.Training*) if [ -e '" + dir.resolve("native-lib") + "' ]; then",
                "  for a in \"$@\"; do last=\"$a\"; done; mkdir -p \"$last\" && echo ELF >\"$last/libslipway.so\"; fi ;; esac",
                ""));
        jar = project.resolve("target/slipway.jar");
        jsa = project.resolve("target/slipway.jsa");
    }

    @Test
    void buildsAndTrainsOnceThenOnlyStartsJava() throws Exception {
        List<String> first = launch(project.resolve("slipway"), "images");
        assertThat(first).hasSize(3);
        assertThat(first.get(0)).startsWith("mvn ").contains("package");
        assertThat(first.get(1)).contains("-XX:ArchiveClassesAtExit=").contains("dev.slipway.cli.Training");
        assertThat(first.get(2)).contains("-XX:SharedArchiveFile=" + jsa).endsWith("-cp " + jar + " dev.slipway.cli.Main images");

        List<String> second = launch(project.resolve("slipway"), "--root", "/r", "save", "-o", "x.tar", "img");
        assertThat(second).hasSize(1);
        assertThat(second.get(0)).startsWith("java ").contains("-XX:SharedArchiveFile=" + jsa)
                .endsWith("-cp " + jar + " dev.slipway.cli.Main --root /r save -o x.tar img");
    }

    @Test
    void metadataCommandsAndSaveRunWithTheCollectorTheArchiveWasTrainedWith() throws Exception {
        List<String> first = launch(project.resolve("slipway"), "--version");
        assertThat(first.get(1)).contains("-XX:ArchiveClassesAtExit=").contains("-XX:+UseG1GC").doesNotContain("SerialGC");
        assertThat(first.get(2)).contains("-XX:+UseG1GC").doesNotContain("SerialGC");
        for (String command : List.of("images", "inspect", "save")) {
            assertThat(launch(project.resolve("slipway"), "--root", "/r", command, "x")).singleElement().asString()
                    .as(command).contains("-XX:+UseG1GC").doesNotContain("SerialGC");
        }
        for (String command : List.of("build", "pull", "push", "run", "load", "import")) {
            assertThat(launch(project.resolve("slipway"), "--root", "/r", command, "x")).singleElement().asString()
                    .as(command).contains("-XX:+UseSerialGC").doesNotContain("G1GC");
        }
    }

    @Test
    void buildsRunWithC1AloneWhereTheTrainingFoundNativeSha256() throws Exception {
        Path crypto = Files.writeString(dir.resolve("libcrypto.so.3"), "");
        Files.writeString(dir.resolve("native-sha"), crypto + "\n");
        List<String> first = launch(project.resolve("slipway"), "build", "ctx");
        assertThat(first.get(first.size() - 1)).contains("-XX:TieredStopAtLevel=1").endsWith("Main build ctx");
        assertThat(project.resolve("target/slipway.sha256-native")).exists();
        assertThat(launch(project.resolve("slipway"), "pull", "x")).singleElement().asString()
                .doesNotContain("TieredStopAtLevel");
        assertThat(launch(Map.of("SLIPWAY_NATIVE", "0"), project.resolve("slipway"), "build", "ctx")).singleElement()
                .asString().doesNotContain("TieredStopAtLevel");
        // The libcrypto the training found is gone: the JDK hashes, which needs C2.
        Files.delete(crypto);
        assertThat(launch(project.resolve("slipway"), "build", "ctx")).singleElement().asString()
                .doesNotContain("TieredStopAtLevel");
    }

    @Test
    void buildsKeepC2WhereSha256IsNotNative() throws Exception {
        List<String> first = launch(project.resolve("slipway"), "build", "ctx");
        assertThat(first.get(first.size() - 1)).doesNotContain("TieredStopAtLevel").endsWith("Main build ctx");
        assertThat(project.resolve("target/slipway.sha256-native")).doesNotExist();
    }

    @Test
    void aNewTrainingForgetsTheOldMark() throws Exception {
        Files.writeString(dir.resolve("native-sha"), "/bin/sh\n");
        launch(project.resolve("slipway"), "images");
        assertThat(project.resolve("target/slipway.sha256-native")).exists();
        Files.delete(dir.resolve("native-sha"));
        Files.delete(jsa);
        List<String> calls = launch(project.resolve("slipway"), "build", "ctx");
        assertThat(calls.get(0)).contains("dev.slipway.cli.Training");
        assertThat(calls.get(1)).doesNotContain("TieredStopAtLevel");
        assertThat(project.resolve("target/slipway.sha256-native")).doesNotExist();
    }

    @Test
    void loadsTheNativeLibraryTheTrainingLeftBesideTheJar() throws Exception {
        Files.writeString(dir.resolve("native-lib"), "");
        Path lib = project.resolve("target/slipway-native.so");
        List<String> first = launch(project.resolve("slipway"), "build", "ctx");
        assertThat(lib).hasContent("ELF");
        assertThat(first.get(first.size() - 1)).contains("-Dslipway.native.library=" + lib);
        assertThat(launch(project.resolve("slipway"), "images")).singleElement().asString()
                .contains("-Dslipway.native.library=" + lib);
    }

    @Test
    void noNativeLibraryPropertyWithoutACopyNewerThanTheJar() throws Exception {
        Files.writeString(dir.resolve("native-lib"), "");
        launch(project.resolve("slipway"), "images");
        Path lib = project.resolve("target/slipway-native.so");
        Files.setLastModifiedTime(lib, FileTime.from(Instant.now().minusSeconds(300)));
        assertThat(launch(project.resolve("slipway"), "images")).singleElement().asString()
                .doesNotContain("slipway.native.library");
        Files.delete(dir.resolve("native-lib"));
        Files.delete(jsa);
        launch(project.resolve("slipway"), "images");
        assertThat(lib).doesNotExist();
    }

    @Test
    void rebuildsWhenASourceIsEditedAddedOrDeleted() throws Exception {
        launch(project.resolve("slipway"), "images");
        launch(project.resolve("slipway"), "images");

        age();
        Files.writeString(project.resolve("src/main/java/dev/A.java"), "class A { int x; }\n");
        assertThat(launch(project.resolve("slipway"), "images")).first().asString().startsWith("mvn ");
        assertThat(launch(project.resolve("slipway"), "images")).hasSize(1);

        age();
        Files.createDirectories(project.resolve("src/main/java/dev/sub"));
        Files.writeString(project.resolve("src/main/java/dev/sub/B.java"), "class B {}\n");
        assertThat(launch(project.resolve("slipway"), "images")).first().asString().startsWith("mvn ");

        age();
        Files.delete(project.resolve("src/main/java/dev/sub/B.java"));
        assertThat(launch(project.resolve("slipway"), "images")).first().asString().startsWith("mvn ");

        age();
        Files.writeString(project.resolve("pom.xml"), "<project></project>\n");
        assertThat(launch(project.resolve("slipway"), "images")).first().asString().startsWith("mvn ");
        assertThat(launch(project.resolve("slipway"), "images")).hasSize(1);
    }

    @Test
    void findsItsProjectThroughASymlinkAndARelativePath() throws Exception {
        launch(project.resolve("slipway"), "images");
        Path link = Files.createSymbolicLink(dir.resolve("sw"), project.resolve("slipway"));
        List<String> viaLink = launch(link, "images");
        assertThat(viaLink).hasSize(1);
        assertThat(viaLink.get(0)).endsWith("-cp " + jar + " dev.slipway.cli.Main images");

        List<String> relative = run(project, List.of("./slipway", "images"));
        assertThat(relative).hasSize(1);
        assertThat(relative.get(0)).contains("-XX:SharedArchiveFile=").endsWith("/target/slipway.jar dev.slipway.cli.Main images");

        // ../slipway from a symlink to a directory inside the project: the kernel finds the
        // launcher through the link's target, bash's logical "$PWD/.." is the link's parent.
        Path deep = Files.createDirectories(project.resolve("deep"));
        Path into = Files.createSymbolicLink(dir.resolve("into"), deep);
        Files.delete(jar);
        Files.deleteIfExists(project.resolve("target/slipway.sources"));
        List<String> throughLink = run(into, List.of("../slipway", "images"));
        assertThat(throughLink.get(0)).startsWith("mvn ").endsWith(" in " + project.toRealPath());
        assertThat(run(into, List.of("../slipway", "images"))).hasSize(1);
        assertThat(project.resolve("target/slipway.sources")).content().contains("src/main/java/dev/A.java");
        age();
        Files.writeString(project.resolve("src/main/java/dev/A.java"), "class A { int y; }\n");
        assertThat(run(into, List.of("../slipway", "images"))).first().asString().startsWith("mvn ");
    }

    @Test
    void aCutShortListOfSourcesIsMadeAgain() throws Exception {
        launch(project.resolve("slipway"), "images");
        Path sources = project.resolve("target/slipway.sources");
        age();
        Files.writeString(project.resolve("src/main/java/dev/A.java"), "class A { int z; }\n");
        for (String cut : List.of("", "pom.xml\n")) {
            Files.writeString(sources, cut);
            Files.setLastModifiedTime(sources, FileTime.from(Instant.now()));
            assertThat(launch(project.resolve("slipway"), "images")).as("list: '" + cut + "'")
                    .first().asString().startsWith("mvn ");
            age();
            Files.writeString(project.resolve("src/main/java/dev/A.java"), "class A { int z" + cut.length() + "; }\n");
        }
        launch(project.resolve("slipway"), "images");
        launch(project.resolve("slipway"), "images");
        assertThat(Files.readAllLines(sources)).contains("src/main/java/dev/A.java").last().asString().startsWith(":end");
    }

    @Test
    void theUsualLaunchForksNothingButJava() throws Exception {
        Path bin = dir.resolve("bin");
        for (String tool : List.of("find", "readlink", "dirname")) {
            String real = Files.exists(Path.of("/usr/bin", tool)) ? "/usr/bin/" + tool : "/bin/" + tool;
            script(bin.resolve(tool), "echo \"" + tool + " $*\" >>'" + log + "'\nexec " + real + " \"$@\"\n");
        }
        launch(project.resolve("slipway"), "images");
        launch(project.resolve("slipway"), "images");
        List<String> steady = launch(project.resolve("slipway"), "--root", "/r", "images");
        assertThat(steady).hasSize(1);
        assertThat(steady.get(0)).startsWith("java ");
    }

    @Test
    void worksFromAPathWithASpace() throws Exception {
        Path spaced = dir.resolve("my projects/slip way");
        Files.createDirectories(spaced.getParent());
        Files.move(project, spaced);
        List<String> first = launch(spaced.resolve("slipway"), "images");
        assertThat(first).hasSize(3);
        assertThat(first.get(0)).endsWith(" in " + spaced.toRealPath());
        assertThat(first.get(2)).endsWith("-cp " + spaced.resolve("target/slipway.jar") + " dev.slipway.cli.Main images");
        assertThat(launch(spaced.resolve("slipway"), "images")).hasSize(1);
        Files.setLastModifiedTime(spaced.resolve("target/slipway.jar"), FileTime.from(Instant.now().minusSeconds(60)));
        Files.setLastModifiedTime(spaced.resolve("target/slipway.jsa"), FileTime.from(Instant.now().minusSeconds(50)));
        Files.setLastModifiedTime(spaced.resolve("target/slipway.sources"), FileTime.from(Instant.now().minusSeconds(50)));
        Files.writeString(spaced.resolve("src/main/java/dev/A.java"), "class A { int s; }\n");
        assertThat(launch(spaced.resolve("slipway"), "images")).first().asString().startsWith("mvn ");
    }

    @Test
    void aStaleArchiveIsNotUsedAndIsMadeAgain() throws Exception {
        launch(project.resolve("slipway"), "images");
        Instant now = Instant.now();
        try (var sources = Files.walk(project.resolve("src"))) {
            for (Path p : sources.toList()) {
                Files.setLastModifiedTime(p, FileTime.from(now.minusSeconds(120)));
            }
        }
        Files.setLastModifiedTime(project.resolve("pom.xml"), FileTime.from(now.minusSeconds(120)));
        Files.setLastModifiedTime(jsa, FileTime.from(now.minusSeconds(60)));
        Files.setLastModifiedTime(jar, FileTime.from(now.minusSeconds(30)));
        List<String> calls = launch(project.resolve("slipway"), "images");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0)).contains("dev.slipway.cli.Training");
        assertThat(calls.get(1)).contains("-XX:SharedArchiveFile=" + jsa);
    }

    /** Moves the jar, its archive and the launcher's list of sources a minute into the past. */
    private void age() throws Exception {
        Instant now = Instant.now();
        Files.setLastModifiedTime(jar, FileTime.from(now.minusSeconds(60)));
        Files.setLastModifiedTime(jsa, FileTime.from(now.minusSeconds(50)));
        Path sources = project.resolve("target/slipway.sources");
        if (Files.exists(sources)) {
            Files.setLastModifiedTime(sources, FileTime.from(now.minusSeconds(50)));
        }
    }

    private List<String> launch(Path launcher, String... args) throws Exception {
        return launch(Map.of(), launcher, args);
    }

    private List<String> launch(Map<String, String> env, Path launcher, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        return run(dir, command, env);
    }

    /** Runs the command, returns the calls of mvn and java it made (and clears the log). */
    private List<String> run(Path cwd, List<String> command) throws Exception {
        return run(cwd, command, Map.of());
    }

    private List<String> run(Path cwd, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("SLIPWAY_"));
        pb.environment().putAll(env);
        // What a shell that cd'ed there passes on: its logical directory.
        pb.environment().put("PWD", cwd.toString());
        pb.environment().put("PATH", dir.resolve("bin") + ":/usr/bin:/bin");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        Files.deleteIfExists(log);
        return calls;
    }

    private static void script(Path path, String body) throws Exception {
        Files.writeString(path, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
