package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {

    private static CliRun run(String... args) {
        return CliRun.run(args);
    }

    private static String statusOf(String table, String stage) {
        return table.lines().filter(l -> l.matches("\\d+\\s+" + stage + "\\s.*")).findFirst().orElseThrow()
                .replaceAll(".*\\s", "");
    }

    @Test
    void articleBuildArgsExampleForDevelopmentBuildsBaseAndDevelopmentOnly() {
        CliRun r = run("plan", "-f", "examples/article/Dockerfile.build-args", "--target", "development", "examples/article");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(statusOf(r.out(), "base")).isEqualTo("build");
        assertThat(statusOf(r.out(), "development")).isEqualTo("build");
        assertThat(statusOf(r.out(), "builder")).isEqualTo("skip");
        assertThat(statusOf(r.out(), "production")).isEqualTo("skip");
        assertThat(r.out()).contains("target development", "  1: base\n  2: development\n");
    }

    @Test
    void jsonShapeListsStagesDependenciesAndGroups() throws IOException {
        CliRun r = run("plan", "-f", "examples/article/Dockerfile.parallel", "--format", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("target").get("index").asInt()).isEqualTo(2);
        assertThat(root.get("parallelGroups").toString()).isEqualTo("[[0,1],[2]]");
        JsonNode last = root.get("stages").get(2);
        assertThat(last.get("name").isNull()).isTrue();
        assertThat(last.get("dependencies").toString()).contains("\"via\":\"copy\"", "\"stage\":0", "\"stage\":1");
        assertThat(root.get("stages").get(0).get("base").toString())
                .isEqualTo("{\"type\":\"image\",\"reference\":\"golang:1.22-alpine\"}");
    }

    @Test
    void dockerfileDefaultsToTheContextAndBuildArgsReachFrom(@TempDir Path ctx) throws IOException {
        Files.writeString(ctx.resolve("Dockerfile"), "ARG TAG=1\nFROM alpine:$TAG AS a\nFROM scratch\nCOPY --from=a / /\n");
        CliRun r = run("plan", "--build-arg", "TAG=3.20", "--build-arg", "UNUSED=1", ctx.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("alpine:3.20", "scratch", "Build args not consumed: UNUSED");
    }

    @Test
    void errorsNameFileAndLineAndExitOne(@TempDir Path ctx) throws IOException {
        Files.writeString(ctx.resolve("Dockerfile"), "FROM alpine\n\nFOO bar\n");
        CliRun r = run("plan", ctx.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: Dockerfile:3: ").doesNotContain("at dev.slipway");
        Files.writeString(ctx.resolve("Dockerfile"), "FROM alpine AS a\n");
        CliRun t = run("plan", "--target", "x", ctx.toString());
        assertThat(t.exit()).isEqualTo(1);
        assertThat(t.err()).contains("target stage \"x\" could not be found");
        assertThat(run("plan", "--format", "yaml", ctx.toString()).exit()).isEqualTo(1);
        assertThat(run("plan", ctx.resolve("missing").toString()).err()).contains("no such file");
    }
}
