package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.analyze.AnalyzerTest;
import dev.slipway.analyze.Fixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnalyzeCommandsTest {
    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.in(tmp.resolve("root"), args);
    }

    private Path fixtureArchive() {
        return AnalyzerTest.fixture().writeDockerArchive(tmp.resolve("fixture.tar"), "example/app:big");
    }

    @Test
    void textReportShowsDiveAndCorrectedFigures() {
        CliRun r = run("analyze", fixtureArchive().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        // dive: Σmin / Σcum over the sightings worked out in AnalyzerTest: 15050 / 20950
        String efficiency = String.format(Locale.ROOT, "%.2f %%", 100.0 * 15050 / 20950);
        assertThat(r.out()).contains("efficiency:            " + efficiency)
                .contains("wasted bytes:          10900 bytes (11 kB)")
                .contains("reclaimable bytes:     7400 bytes (7.4kB)")
                .contains("base image:            1 layer")
                .contains("deleted with its directory")
                .containsPattern("4kB\\s+4kB\\s+/app/copy.bin /app/data.bin");
    }

    @Test
    void jsonFormat() throws Exception {
        CliRun r = run("analyze", "--format", "json", fixtureArchive().toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("image").get("repository").asText()).isEqualTo("example/app");
        assertThat(root.get("image").get("tag").asText()).isEqualTo("big");
        assertThat(root.get("dive").get("efficiency").asDouble()).isEqualTo(15050.0 / 20950);
        assertThat(root.get("corrected").get("reclaimableBytes").asLong()).isEqualTo(7400);
    }

    @Test
    void ciFailsWithDefaultsAndSaysWhichRules() {
        CliRun r = run("analyze", "--ci", fixtureArchive().toString());
        assertThat(r.exit()).isEqualTo(1);
        // efficiency 0.72 < 0.9; user wasted 10900 / 13950 = 0.78 > 0.1
        assertThat(r.out()).contains("FAIL  lowestEfficiency (image efficiency is too low (efficiency=0.72 < threshold=0.9))")
                .contains("FAIL  highestUserWastedPercent")
                .contains("SKIP  highestWastedBytes (disabled)")
                .contains("FAIL [fail:2 skip:1]");
        assertThat(r.err()).contains("error: CI rules failed: highestUserWastedPercent, lowestEfficiency");
    }

    @Test
    void ciPassesWithLooseFlagsAndWithADiveCiFile() throws Exception {
        CliRun flags = run("analyze", "--ci", "--lowest-efficiency", "0.7", "--highestUserWastedPercent", "0.8",
                "--highest-wasted-bytes", "10900", fixtureArchive().toString());
        assertThat(flags.exit()).as(flags.out() + flags.err()).isZero();
        assertThat(flags.out()).contains("PASS [pass:3]");

        Path config = tmp.resolve("rules.yaml");
        Files.writeString(config, "rules:\n  lowestEfficiency: 0.7\n  highestWastedBytes: 10kB\n"
                + "  highestUserWastedPercent: disabled\n");
        CliRun file = run("analyze", "--ci", "--ci-config", config.toString(), fixtureArchive().toString());
        assertThat(file.exit()).isEqualTo(1);
        assertThat(file.out()).contains("FAIL  highestWastedBytes (too many bytes wasted (wasted-bytes=10900 > threshold=10000))")
                .contains("SKIP  highestUserWastedPercent (disabled)");
        assertThat(file.err()).contains("CI rules failed: highestWastedBytes");
    }

    @Test
    void compareShowsTheArticleTable() throws Exception {
        Fixture.Image full = AnalyzerTest.fixture();
        Fixture.Image base = new Fixture.Image("base")
                .layer(new Fixture.Tar().file("hello", Fixture.bytes(3000, 9)), "ADD hello /", null);
        Path a = full.writeDockerArchive(tmp.resolve("a.tar"), "app:fat");
        Path b = base.writeDockerArchive(tmp.resolve("b.tar"), "app:slim");
        CliRun r = run("compare", a.toString(), b.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        long sizeA = full.tars().stream().mapToLong(t -> t.length).sum();
        long sizeB = base.tars().get(0).length;
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).matches("REPOSITORY\\s+TAG\\s+SIZE\\s+LAYERS\\s+FILES\\s+WASTED\\s+DIFF\\s+DIFF %");
        assertThat(lines[1].split("\\s+")).containsExactly("app", "fat",
                dev.slipway.store.DockerFormat.humanSize(sizeA), "4", "4", "7.4kB", "0B", "+0.0%");
        assertThat(lines[2].split("\\s+")).containsExactly("app", "slim",
                dev.slipway.store.DockerFormat.humanSize(sizeB), "1", "1", "0B",
                "-" + dev.slipway.store.DockerFormat.humanSize(sizeA - sizeB),
                String.format(Locale.ROOT, "%+.1f%%", 100.0 * (sizeB - sizeA) / sizeA));
    }

    @Test
    void diffListsAddedRemovedAndChanged() {
        Fixture.Image before = new Fixture.Image("before")
                .layer(new Fixture.Tar().dir("etc").file("etc/a", Fixture.bytes(100, 1))
                        .file("etc/b", Fixture.bytes(200, 2)).dir("opt").file("opt/x", Fixture.bytes(50, 3)), "a", null);
        Fixture.Image after = new Fixture.Image("after")
                .layer(new Fixture.Tar().dir("etc").file("etc/a", Fixture.bytes(100, 1))
                        .file("etc/b", Fixture.bytes(250, 4)).file("etc/c", Fixture.bytes(1500, 5)), "a", null);
        Path a = before.writeDockerArchive(tmp.resolve("before.tar"), "x:1");
        Path b = after.writeDockerArchive(tmp.resolve("after.tar"), "x:2");
        CliRun r = run("diff", a.toString(), b.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("These entries have been added to .*after.tar:\nFILE\\s+SIZE\n/etc/c\\s+1.5kB\n")
                .containsPattern("These entries have been deleted from .*before.tar:\nFILE\\s+SIZE\n/opt\\s+50B\n/opt/x\\s+50B\n")
                .containsPattern("changed between .*:\nFILE\\s+SIZE1\\s+SIZE2\n/etc/b\\s+200B\\s+250B\n")
                .doesNotContain("/etc/a");
    }

    @Test
    void badFormatAndMissingImageAreOneLineErrors() {
        CliRun bad = run("analyze", "--format", "yaml", fixtureArchive().toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("error: unsupported --format yaml (use text, json or dive-json)\n");
        CliRun missing = run("analyze", "nosuch:image");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).startsWith("error: No such image");
    }
}
