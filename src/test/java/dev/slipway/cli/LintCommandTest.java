package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LintCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = SlipwayCommand.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void findingsMeetingTheThresholdExitOne(@TempDir Path dir) throws IOException {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\nUSER app\n");
        assertThat(run("lint", "--no-color", df.toString())).isZero();
        assertThat(out.toString()).isEqualTo(df + ":2:1 info ApkNoCache: Use apk add --no-cache to keep the package "
                + "index out of the layer\n");
        assertThat(run("lint", "-t", "info", "-f", df.toString())).isEqualTo(1);
        assertThat(run("lint", "-t", "info", "--ignore", "DL3019", dir.toString())).isZero();
    }

    @Test
    void configFileIsFoundAboveTheDockerfile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".slipway.yaml"), "failure-threshold: info\n");
        Path sub = Files.createDirectories(dir.resolve("a"));
        Path df = Files.writeString(sub.resolve("Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\nUSER app\n");
        assertThat(run("lint", df.toString())).isEqualTo(1);
        Path other = Files.writeString(dir.resolve("other.yaml"), "ignored: [ApkNoCache]\n");
        assertThat(run("lint", "--config", other.toString(), df.toString())).isZero();
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path dir) throws IOException {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        assertThat(run("lint", "--format", "xml", df.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("unknown --format \"xml\"");
        assertThat(run("lint", "-t", "loud", df.toString())).isEqualTo(2);
        assertThat(run("lint", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(run("lint", "--ignore", "NoSuchRule", df.toString())).isEqualTo(2);
        assertThat(run("lint", "--bogus")).isEqualTo(2);
    }

    @Test
    void listAndExplain() {
        assertThat(run("lint", "--list")).isZero();
        assertThat(out.toString()).contains("NoAptListsCleanup").contains("StageNameCasing").contains("CopyBeforeInstall");
        assertThat(run("lint", "--explain", "DL3009")).isZero();
        assertThat(out.toString()).contains("NoAptListsCleanup (warning").contains("Bad:").contains("rm -rf /var/lib/apt/lists");
        assertThat(run("lint", "--explain", "Nope")).isEqualTo(2);
    }

    @Test
    void fixRewritesTheFileAndPrintsTheDiff(@TempDir Path dir) throws IOException {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\nUSER app\n");
        assertThat(run("lint", "--fix", "-t", "info", df.toString())).isZero();
        assertThat(Files.readString(df)).isEqualTo("FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER app\n");
        assertThat(out.toString()).contains("-RUN apk add curl\n+RUN apk add --no-cache curl\n");
    }

    @Test
    void sarifAndJsonFormats(@TempDir Path dir) throws IOException {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine\n");
        run("lint", "--format", "sarif", df.toString());
        assertThat(out.toString()).contains("\"version\" : \"2.1.0\"").contains("\"ruleId\" : \"ImageUntagged\"");
        out.getBuffer().setLength(0);
        run("lint", "--format", "json", df.toString());
        assertThat(out.toString()).startsWith("[").contains("\"code\" : \"RootUser\"");
    }

    @Test
    void buildCheckLintsWithoutBuilding(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nCMD run\nUSER app\n");
        assertThat(run("--root", dir.resolve("root").toString(), "build", "--check", dir.toString())).isEqualTo(1);
        assertThat(out.toString()).contains(":2:1 warning JSONArgsRecommended:").contains("Check complete, 1 problem found.");
        assertThat(dir.resolve("root")).doesNotExist();
        Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nCMD [\"run\"]\nUSER app\n");
        assertThat(run("build", "--check", dir.toString())).isZero();
        assertThat(out.toString()).contains("Check complete, no problems found.");
    }
}
