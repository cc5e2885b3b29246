package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.ShellLexer;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.Platform;
import dev.slipway.plan.GlobalScope;
import dev.slipway.plan.PlatformSpec;
import dev.slipway.plan.StageScope;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Config and history semantics of the instructions that change no files, as BuildKit's dispatcher has them. */
class ConfigStepsTest {
    private static final StepContext CTX = new StepContext(new ShellLexer('\\'), "2024-01-01T00:00:00Z", 1704067200L);

    /** Applies the instructions of a one-stage Dockerfile (after FROM) to a state with the given env. */
    private static StageState apply(String body, Map<String, String> buildArgs, List<String> baseEnv, List<String> baseCmd) {
        String text = "FROM base\n" + body;
        List<Instruction> ins = DockerfileParser.parse(text, "Dockerfile").stages().get(0).instructions();
        GlobalScope global = GlobalScope.resolve("Dockerfile", List.of(), buildArgs, PlatformSpec.host(),
                PlatformSpec.host(), new ShellLexer('\\'));
        java.util.LinkedHashMap<String, String> env = new java.util.LinkedHashMap<>();
        for (String e : baseEnv) {
            env.put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        ImageConfig image = ImageConfig.empty(Platform.host()).withConfig(new ImageConfig.ContainerConfig.Builder()
                .env(baseEnv).cmd(baseCmd).build());
        StageState s = new StageState(image, List.of(), StageScope.onImage(global, env), false);
        for (Instruction i : ins) {
            s = ConfigSteps.apply(s, i, CTX);
        }
        return s;
    }

    private static StageState apply(String body) {
        return apply(body, Map.of(), List.of("PATH=/bin"), null);
    }

    private static List<String> history(StageState s) {
        return s.image().history().stream().map(ImageConfig.History::createdBy).toList();
    }

    @Test
    void envExpandsAllWordsAgainstTheEnvBeforeTheInstruction() {
        StageState s = apply("ENV abc=hello\nENV abc=bye def=$abc\n");
        assertThat(s.config().env()).containsExactly("PATH=/bin", "abc=bye", "def=hello");
        assertThat(history(s)).containsExactly("ENV abc=hello", "ENV abc=bye def=hello");
        assertThat(s.image().history()).allMatch(ImageConfig.History::isEmptyLayer)
                .allMatch(h -> h.created().equals("2024-01-01T00:00:00Z") && h.comment().equals("buildkit.dockerfile.v0"));
    }

    @Test
    void envReplacesAnExistingKeyInPlace() {
        StageState s = apply("ENV PATH=/usr/bin:$PATH X=1\n");
        assertThat(s.config().env()).containsExactly("PATH=/usr/bin:/bin", "X=1");
    }

    @Test
    void entrypointDropsAnInheritedCmdButKeepsOneFromTheSameStage() {
        StageState inherited = apply("ENTRYPOINT [\"/bin/app\"]\n", Map.of(), List.of(), List.of("serve"));
        assertThat(inherited.config().cmd()).isNull();
        assertThat(inherited.config().entrypoint()).containsExactly("/bin/app");

        StageState same = apply("CMD [\"serve\"]\nENTRYPOINT [\"/bin/app\"]\n", Map.of(), List.of(), List.of("old"));
        assertThat(same.config().cmd()).containsExactly("serve");
        assertThat(history(same)).containsExactly("CMD [\"serve\"]", "ENTRYPOINT [\"/bin/app\"]");
    }

    @Test
    void shellFormUsesTheStageShellAndCmdSetsArgsEscaped() {
        StageState s = apply("SHELL [\"/bin/bash\", \"-ec\"]\nCMD echo \"hi\" there\n");
        assertThat(s.config().cmd()).containsExactly("/bin/bash", "-ec", "echo \"hi\" there");
        assertThat(s.config().argsEscaped()).isTrue();
        assertThat(history(s)).containsExactly("SHELL [/bin/bash -ec]", "CMD [\"/bin/bash\" \"-ec\" \"echo \\\"hi\\\" there\"]");
    }

    @Test
    void labelsMergeAndExpand() {
        StageState s = apply("ENV V=1.2\nLABEL a=1 b=\"two words\"\nLABEL a=$V\n");
        assertThat(s.config().labels()).containsExactly(Map.entry("a", "1.2"), Map.entry("b", "two words"));
        assertThat(history(s)).contains("LABEL a=1 b=two words", "LABEL a=1.2");
    }

    @Test
    void exposeExpandsWordsRangesAndProtocols() {
        StageState s = apply("ENV P=\"80 443\"\nEXPOSE $P 53/UDP 8000-8002\n");
        assertThat(s.config().exposedPorts()).containsOnlyKeys("80/tcp", "443/tcp", "53/udp", "8000/tcp", "8001/tcp",
                "8002/tcp");
        assertThatThrownBy(() -> apply("EXPOSE 80/xyz\n")).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("invalid proto: xyz");
    }

    @Test
    void volumeUserStopsignalAndMaintainer() {
        StageState s = apply("ENV D=/data\nVOLUME $D /logs\nUSER ${U:-app}:staff\nSTOPSIGNAL SIGTERM\nMAINTAINER me\n");
        assertThat(s.config().volumes()).containsOnlyKeys("/data", "/logs");
        assertThat(s.config().user()).isEqualTo("app:staff");
        assertThat(s.config().stopSignal()).isEqualTo("SIGTERM");
        assertThat(s.image().author()).isEqualTo("me");
        assertThat(history(s)).contains("VOLUME [/data /logs]", "USER app:staff", "STOPSIGNAL SIGTERM", "MAINTAINER me");
        assertThatThrownBy(() -> apply("STOPSIGNAL SIGNOPE\n")).hasMessageContaining("Invalid signal: SIGNOPE");
    }

    @Test
    void healthcheckStoresNanosecondsAndGoStyleHistory() {
        StageState s = apply("HEALTHCHECK --interval=5m --timeout=3s CMD curl -f x\n");
        ImageConfig.Healthcheck hc = s.config().healthcheck();
        assertThat(hc.test()).containsExactly("CMD-SHELL", "curl -f x");
        assertThat(hc.interval()).isEqualTo(300_000_000_000L);
        assertThat(hc.timeout()).isEqualTo(3_000_000_000L);
        assertThat(hc.startPeriod()).isNull();
        assertThat(history(s)).containsExactly("HEALTHCHECK {Test:[CMD-SHELL curl -f x] Interval:5m0s Timeout:3s "
                + "StartPeriod:0s StartInterval:0s Retries:0}");
        assertThat(apply("HEALTHCHECK NONE\n").config().healthcheck().test()).containsExactly("NONE");
    }

    @Test
    void onbuildIsStoredRawWithoutHistory() {
        StageState s = apply("ONBUILD RUN echo $HOME\n");
        assertThat(s.config().onBuild()).containsExactly("RUN echo $HOME");
        assertThat(s.image().history()).isEmpty();
    }

    @Test
    void argValuesComeFromBuildArgsThenDefaultsAndStayOutOfTheImageEnv() {
        StageState s = apply("ARG A=def B C\nENV E=$A-$B\n", Map.of("B", "given"), List.of("PATH=/bin"), null);
        assertThat(s.scope().buildEnv()).containsEntry("A", "def").containsEntry("B", "given").doesNotContainKey("C");
        assertThat(s.config().env()).containsExactly("PATH=/bin", "E=def-given");
        assertThat(history(s).get(0)).isEqualTo("ARG A=def B=given C");
    }

    @Test
    void runHistoryListsArgsInScopeWithEnvWinning() {
        StageState s = apply("ARG foo=bar2 bar=123\nENV bar=env\n");
        assertThat(RunStep.commandString(List.of("/bin/sh", "-c", "ls /etc/"), s.scope()))
                .isEqualTo("|2 foo=bar2 bar=env /bin/sh -c ls /etc/");
        assertThat(RunStep.commandString(List.of("/bin/true"), apply("ENV X=1\n").scope())).isEqualTo("/bin/true");
    }

    @Test
    void goDurationsFormatLikeGo() {
        assertThat(GoFormat.duration(0)).isEqualTo("0s");
        assertThat(GoFormat.duration(1_500_000_000L)).isEqualTo("1.5s");
        assertThat(GoFormat.duration(90_000_000_000L)).isEqualTo("1m30s");
        assertThat(GoFormat.duration(3_600_000_000_000L)).isEqualTo("1h0m0s");
        assertThat(GoFormat.duration(100_000_000L)).isEqualTo("100ms");
    }

    @Test
    void workdirNormalizesAgainstTheCurrentOne() {
        assertThat(WorkdirStep.normalize("/a", "b/../c")).isEqualTo("/a/c");
        assertThat(WorkdirStep.normalize("", "rel")).isEqualTo("/rel");
        assertThat(WorkdirStep.normalize("/a", "/x/")).isEqualTo("/x");
    }

    @Test
    void runAccessorsDefaultLikeBuildKit() {
        StageState s = apply("");
        assertThat(s.shell()).containsExactly("/bin/sh", "-c");
        assertThat(s.workdir()).isEqualTo("/");
        assertThat(s.user()).isEmpty();
    }
}
