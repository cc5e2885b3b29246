package dev.slipway.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

class LinterTest {

    private static Set<String> rules(LintResult r) {
        return r.findings().stream().map(Finding::rule).collect(java.util.stream.Collectors.toSet());
    }

    private static LintResult lint(String text) {
        return Linter.lint(text, "Dockerfile", LintConfig.defaults(), null);
    }

    @Test
    void articleSingleStageNodeGetsTheSizePitfalls() {
        LintResult r = Linter.lint(Path.of("examples/article/Dockerfile.single-stage"), null, LintConfig.defaults());
        assertThat(rules(r)).contains("ToolchainFinalImage", "DevDependenciesInFinalStage", "SourceInFinalImage");
        // The article's file copies package*.json before npm install, so the install is not cache-busted.
        assertThat(rules(r)).doesNotContain("CopyBeforeInstall");
    }

    @Test
    void articleSingleStageWithContextCopiedFirstGetsCopyBeforeInstall() throws IOException {
        String text = Files.readString(Path.of("examples/article/Dockerfile.single-stage"))
                .replace("COPY package*.json ./\n", "COPY . .\n");
        assertThat(rules(lint(text))).contains("ToolchainFinalImage", "DevDependenciesInFinalStage",
                "CopyBeforeInstall");
    }

    @Test
    void articleMultiStageNodeHasNoneOfThem() {
        LintResult r = Linter.lint(Path.of("examples/article/Dockerfile.node"), null, LintConfig.defaults());
        assertThat(rules(r)).doesNotContain("ToolchainFinalImage", "DevDependenciesInFinalStage", "CopyBeforeInstall",
                "SourceInFinalImage", "BroadCopyFrom", "RootUser");
    }

    @Test
    void articleGoScratchBuildIsClean() {
        LintResult r = Linter.lint(Path.of("examples/article/Dockerfile.go"), null, LintConfig.defaults());
        assertThat(rules(r)).doesNotContain("LibcMismatch", "ScratchWithoutCaCertificates", "ToolchainFinalImage");
    }

    @Test
    void findingsCarryLineSeverityAndMessage() {
        LintResult r = lint("FROM debian:12\n\nRUN apt-get update && apt-get install -y --no-install-recommends curl\n"
                + "USER app\n");
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("NoAptListsCleanup");
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.column()).isEqualTo(1);
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.file()).isEqualTo("Dockerfile");
        });
    }

    @Test
    void hadolintAndSlipwayPragmasSilenceTheNextInstruction() {
        String base = "FROM debian:12\nUSER app\n%sRUN apt-get install -y curl\nRUN apt-get install -y wget\n";
        assertThat(lint(String.format(base, "")).findings()).filteredOn(f -> f.rule().equals("AptNoInstallRecommends"))
                .hasSize(2);
        for (String pragma : List.of("# hadolint ignore=DL3015\n", "# slipway ignore=AptNoInstallRecommends\n",
                "#hadolint ignore=DL3008, DL3015 # pinned elsewhere\n")) {
            List<Finding> left = lint(String.format(base, pragma)).findings();
            assertThat(left).filteredOn(f -> f.rule().equals("AptNoInstallRecommends"))
                    .extracting(Finding::line).containsExactly(5);
        }
    }

    @Test
    void globalAndStagePragmas() {
        String global = "FROM alpine AS a\n# hadolint global ignore=DL3006\nFROM alpine\nUSER app\n";
        assertThat(rules(lint(global))).doesNotContain("ImageUntagged");
        String stage = "# slipway stage ignore=ImageUntagged\nFROM alpine AS a\nFROM alpine\nUSER app\n";
        assertThat(lint(stage).findings()).filteredOn(f -> f.rule().equals("ImageUntagged"))
                .extracting(Finding::line).containsExactly(3);
    }

    @Test
    void checkDirectiveSkipsRulesAndTurnsFindingsIntoErrors() {
        String text = "FROM alpine:3.20 as build\nMAINTAINER me\nUSER app\n";
        assertThat(rules(lint(text))).contains("FromAsCasing", "MaintainerDeprecated");
        LintResult skipped = lint("# check=skip=FromAsCasing\n" + text);
        assertThat(rules(skipped)).doesNotContain("FromAsCasing").contains("MaintainerDeprecated");
        LintResult all = lint("# check=skip=all\n" + text);
        assertThat(all.findings()).isEmpty();
        LintResult errors = lint("# check=error=true\n" + text);
        assertThat(errors.findings()).isNotEmpty().allSatisfy(f -> assertThat(f.severity()).isEqualTo(Severity.ERROR));
    }

    @Test
    void configIgnoresOverridesAndThreshold(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve(".slipway.yaml"), "ignored: [DL3006]\noverride:\n  error: [RootUser]\n"
                + "  ignore: [MaintainerDeprecated]\nfailure-threshold: error\ntrustedRegistries: docker.io\n");
        Path sub = Files.createDirectories(dir.resolve("svc/app"));
        Path df = sub.resolve("Dockerfile");
        Files.writeString(df, "FROM alpine\nMAINTAINER me\n");
        LintConfig config = LintConfig.find(sub).map(LintConfig::load).orElseThrow();
        assertThat(config.failureThreshold()).isEqualTo(Severity.ERROR);
        assertThat(config.trustedRegistries()).containsExactly("docker.io");
        LintResult r = Linter.lint(df, sub, config);
        assertThat(rules(r)).containsExactly("RootUser");
        assertThat(r.findings().get(0).severity()).isEqualTo(Severity.ERROR);
        assertThat(r.fails(config.failureThreshold())).isTrue();
        assertThat(r.fails(Severity.IGNORE)).isFalse();
    }

    @Test
    void badConfigIsAUsageError() {
        assertThatThrownBy(() -> LintConfig.parse("bogus: 1\n", Path.of("x.yaml")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("unknown key \"bogus\"");
        assertThatThrownBy(() -> LintConfig.parse("failure-threshold: loud\n", Path.of("x.yaml")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("unknown severity");
        assertThatThrownBy(() -> LintConfig.parse("ignored: [\n", Path.of("x.yaml")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("invalid config");
    }

    @Test
    void unparsableFileIsOneParseError() {
        LintResult r = lint("FROM alpine:3.20\nHEALTHCHECK --interval=xyz CMD true\n");
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.rule()).isEqualTo("ParseError");
            assertThat(f.severity()).isEqualTo(Severity.ERROR);
        });
    }

    @Test
    void textFormatIsFileLineColumnLevelRule() {
        LintResult r = lint("FROM alpine:3.20\nUSER root\n");
        assertThat(Formats.text(List.of(r), false))
                .isEqualTo("Dockerfile:2:1 warning RootUser: The last USER of the final stage is root\n");
        assertThat(Formats.text(List.of(r), true)).contains("\u001b[33mwarning\u001b[0m");
    }

    @Test
    void jsonFormatIsAFlatArray() throws IOException {
        LintResult r = lint("FROM alpine\nUSER root\n");
        JsonNode json = new ObjectMapper().readTree(Formats.json(List.of(r)));
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("code").asText()).isEqualTo("ImageUntagged");
        assertThat(json.get(0).get("line").asInt()).isEqualTo(1);
        assertThat(json.get(1).get("level").asText()).isEqualTo("warning");
    }

    @Test
    void sarifHasTheRequiredShape() throws IOException {
        LintResult r = lint("FROM alpine\nUSER root\nRUN apk add curl\n");
        JsonNode sarif = SarifCheck.validate(Formats.sarif(List.of(r, lint("FROM alpine:3.20\nUSER app\n"))));
        assertThat(sarif.get("runs").get(0).get("results")).hasSize(r.findings().size());
        assertThat(SarifCheck.problems(new ObjectMapper().readTree("{\"version\":\"2.0.0\",\"runs\":[{}]}")))
                .isNotEmpty();
    }

    @Test
    void checkstyleIsWellFormedXml() throws Exception {
        LintResult r = lint("FROM alpine\nENV A=\"<&>\" TOKEN_X=1\n");
        String xml = Formats.checkstyle(List.of(r));
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new java.io.ByteArrayInputStream(xml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(doc.getElementsByTagName("error").getLength()).isEqualTo(r.findings().size());
        assertThat(doc.getDocumentElement().getNodeName()).isEqualTo("checkstyle");
    }

    @Test
    void buildSummaryListsWarningsLikeBuildKit() {
        LintResult r = lint("FROM alpine:3.20\nRUN apk add curl\nCMD run\n");
        assertThat(Linter.buildSummary(r.findings())).isEqualTo("2 warnings found (use slipway lint for details and fixes):\n"
                + " - RootUser: The final stage has no USER instruction, so the container runs as root (line 1)\n"
                + " - JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to"
                + " OS signals (line 3)\n");
        assertThat(Linter.buildSummary(lint("FROM alpine:3.20\nRUN apk add --no-cache curl\nUSER app\n").findings()))
                .isEmpty();
    }
}
