package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {
    private static int exit(String... args) {
        return CliRun.run(args).exit();
    }

    @Test
    void findingsMeetingTheThresholdExitOne(@TempDir Path dir) throws IOException {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\nUSER app\n");
        CliRun plain = CliRun.run("lint", "--no-color", df.toString());
        assertThat(plain.exit()).isZero();
        assertThat(plain.out()).isEqualTo(df + ":2:1 info ApkNoCache: Use apk add --no-cache to keep the package "
                + "index out of the layer\n");
        assertThat(exit("lint", "-t", "info", "-f", df.toString())).isEqualTo(1);
        assertThat(exit("lint", "-t", "info", "--ignore", "DL3019", dir.toString())).isZero();
    }

    @Test
    void configFileIsFoundAboveTheDockerfile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".slipway.yaml"), "failure-threshold: info\n");
        Path sub = Files.createDirectories(dir.resolve("a"));
        Path df = Files.writeString(sub.resolve("Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\nUSER app\n");
        assertThat(exit("lint", df.toString())).isEqualTo(1);
        Path other = Files.writeString(dir.resolve("other.yaml"), "ignored: [ApkNoCache]\n");
        assertThat(exit("lint", "--config", other.toString(), df.toString())).isZero();
    }

    @Test
    void usageErrorsExitTwo(@TempDir Path dir) throws IOException {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\n");
        CliRun xml = CliRun.run("lint", "--format", "xml", df.toString());
        assertThat(xml.exit()).isEqualTo(2);
        assertThat(xml.err()).contains("unknown --format \"xml\"");
        assertThat(exit("lint", "-t", "loud", df.toString())).isEqualTo(2);
        assertThat(exit("lint", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(exit("lint", "--ignore", "NoSuchRule", df.toString())).isEqualTo(2);
        assertThat(exit("lint", "--bogus")).isEqualTo(2);
    }

    @Test
    void listAndExplain() {
        CliRun list = CliRun.run("lint", "--list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("NoAptListsCleanup").contains("StageNameCasing").contains("CopyBeforeInstall");
        CliRun explain = CliRun.run("lint", "--explain", "DL3009");
        assertThat(explain.exit()).isZero();
        assertThat(explain.out()).contains("NoAptListsCleanup (warning").contains("Bad:")
                .contains("rm -rf /var/lib/apt/lists");
        assertThat(exit("lint", "--explain", "Nope")).isEqualTo(2);
    }

    @Test
    void fixRewritesTheFileAndPrintsTheDiff(@TempDir Path dir) throws IOException {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nRUN apk add curl\nUSER app\n");
        CliRun fix = CliRun.run("lint", "--fix", "-t", "info", df.toString());
        assertThat(fix.exit()).isZero();
        assertThat(Files.readString(df)).isEqualTo("FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER app\n");
        assertThat(fix.out()).contains("-RUN apk add curl\n+RUN apk add --no-cache curl\n");
    }

    @Test
    void sarifAndJsonFormats(@TempDir Path dir) throws IOException {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM alpine\n");
        assertThat(CliRun.run("lint", "--format", "sarif", df.toString()).out())
                .contains("\"version\" : \"2.1.0\"").contains("\"ruleId\" : \"ImageUntagged\"");
        assertThat(CliRun.run("lint", "--format", "json", df.toString()).out()).startsWith("[").contains("\"code\" : \"RootUser\"");
    }

    @Test
    void buildCheckLintsWithoutBuilding(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nCMD run\nUSER app\n");
        CliRun check = CliRun.run("--root", dir.resolve("root").toString(), "build", "--check", dir.toString());
        assertThat(check.exit()).isEqualTo(1);
        assertThat(check.out()).contains(":2:1 warning JSONArgsRecommended:").contains("Check complete, 1 problem found.");
        assertThat(dir.resolve("root")).doesNotExist();
        Files.writeString(dir.resolve("Dockerfile"), "FROM alpine:3.20\nCMD [\"run\"]\nUSER app\n");
        CliRun clean = CliRun.run("build", "--check", dir.toString());
        assertThat(clean.exit()).isZero();
        assertThat(clean.out()).contains("Check complete, no problems found.");
    }
}
