package dev.slipway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.dockerfile.DockerfileParseException;
import dev.slipway.dockerfile.DockerfileParser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BuildPlanTest {

    private static final PlatformSpec AMD64 = new PlatformSpec("linux", "amd64", "");
    private static final PlatformSpec ARM = new PlatformSpec("linux", "arm", "v7");

    private static BuildPlan plan(String dockerfile, Map<String, String> args, String target) {
        return BuildPlan.create(DockerfileParser.parse(dockerfile, "Dockerfile"),
                new BuildPlan.PlanOptions(args, target, AMD64, ARM));
    }

    private static BuildPlan plan(String dockerfile) {
        return plan(dockerfile, Map.of(), null);
    }

    private static String image(BuildPlan plan, int stage) {
        return ((PlannedStage.Base.Image) plan.stages().get(stage).base()).reference();
    }

    @Test
    void metaArgsExpandInFromWithDefaultsAndBuildArgOverrides() {
        String df = "ARG REPO=library\nARG IMG=${REPO}/alpine\nARG TAG\nFROM $IMG:${TAG:-3.20} AS img\nFROM alpine\n";
        assertThat(image(plan(df), 0)).isEqualTo("library/alpine:3.20");
        // The override replaces the default and is not itself expanded.
        assertThat(image(plan(df, Map.of("TAG", "edge", "REPO", "me"), null), 0)).isEqualTo("me/alpine:edge");
        assertThat(image(plan(df, Map.of("IMG", "x$REPO"), null), 0)).isEqualTo("x$REPO:3.20");
    }

    @Test
    void undeclaredBuildArgsAreNotVisibleInFromAndAreReportedUnused() {
        BuildPlan p = plan("FROM alpine${SUFFIX}\n", Map.of("SUFFIX", ":edge"), null);
        assertThat(image(p, 0)).isEqualTo("alpine");
        assertThat(p.unusedBuildArgs()).containsExactly("SUFFIX");
        assertThat(plan("FROM alpine\n", Map.of("HTTP_PROXY", "x", "https_proxy", "y"), null).unusedBuildArgs()).isEmpty();
    }

    @Test
    void platformArgsAreAutomaticInFromLines() {
        BuildPlan p = plan("FROM --platform=$BUILDPLATFORM golang AS b\nFROM busybox:$TARGETARCH-$TARGETVARIANT-$TARGETOS\n");
        assertThat(p.stages().get(0).platform()).isEqualTo("linux/amd64");
        assertThat(image(p, 1)).isEqualTo("busybox:arm-v7-linux");
        assertThat(image(plan("FROM busybox:$TARGETARCH\n", Map.of("TARGETARCH", "riscv64"), null), 0))
                .isEqualTo("busybox:riscv64");
    }

    @Test
    void metaArgErrorsCarryTheLine() {
        assertThatThrownBy(() -> plan("# c\nARG X=${NOPE:?must-be-set}\nFROM alpine\n"))
                .isInstanceOf(DockerfileParseException.class)
                .hasMessageStartingWith("Dockerfile:2: ").hasMessageContaining("NOPE: must-be-set");
    }

    @Test
    void emptyBaseNameAndEmptyPlatformAreRefused() {
        assertThatThrownBy(() -> plan("ARG B\nFROM $B\n")).hasMessage("Dockerfile:2: base name ($B) should not be blank");
        assertThatThrownBy(() -> plan("FROM --platform=$P alpine\n"))
                .hasMessage("Dockerfile:1: empty platform value from expression $P");
    }

    @Test
    void stagesAreFoundByNameIndexOrTreatedAsImages() {
        BuildPlan p = plan("FROM alpine AS Base\nFROM base AS two\nCOPY --from=BASE /a /a\nCOPY --from=0 /b /b\n"
                + "COPY --from=nginx:alpine /c /c\nFROM two\n"
                + "RUN --mount=from=two,target=/y true\n");
        PlannedStage two = p.stages().get(1);
        assertThat(two.base()).isEqualTo(new PlannedStage.Base.StageBase(0));
        assertThat(two.dependencies()).containsExactly(
                PlannedStage.Dependency.onStage("from", 2, 0),
                PlannedStage.Dependency.onStage("copy", 3, 0),
                PlannedStage.Dependency.onStage("copy", 4, 0),
                PlannedStage.Dependency.onImage("copy", 5, "nginx:alpine"));
        assertThat(p.stages().get(2).stageDependencies()).containsExactly(1);
    }

    @Test
    void fromComparesTheExpandedNameCaseSensitivelyLikeBuildKit() {
        BuildPlan p = plan("FROM alpine AS base\nFROM Base\n", Map.of(), "base");
        assertThat(p.stages().get(1).base()).isEqualTo(new PlannedStage.Base.Image("Base"));
        assertThatThrownBy(() -> plan("FROM alpine AS base\nFROM Base\n"))
                .hasMessageContaining("repository name must be lowercase");
    }

    @Test
    void fromCanNameAStageThroughAMetaArg() {
        BuildPlan p = plan("ARG FLAVOUR=dev\nFROM alpine AS base-dev\nFROM alpine AS base-prod\nFROM base-${FLAVOUR}\n");
        assertThat(p.stages().get(2).base()).isEqualTo(new PlannedStage.Base.StageBase(0));
        assertThat(p.stages().get(1).built()).isFalse();
        BuildPlan prod = plan("ARG FLAVOUR=dev\nFROM alpine AS base-dev\nFROM alpine AS base-prod\nFROM base-${FLAVOUR}\n",
                Map.of("FLAVOUR", "prod"), null);
        assertThat(prod.stages().get(2).base()).isEqualTo(new PlannedStage.Base.StageBase(1));
        assertThat(prod.stages().get(0).built()).isFalse();
    }

    @Test
    void variablesInFromFlagsAreRefusedWithTheLine() {
        assertThatThrownBy(() -> plan("ARG V=1\nFROM alpine\nCOPY --from=tool:${V} /t /t\n"))
                .hasMessageStartingWith("Dockerfile:3: variable expansion is not supported for --from");
    }

    @Test
    void referenceErrorsNameFileAndLine() {
        assertThatThrownBy(() -> plan("FROM alpine AS a\nFROM alpine AS b\nCOPY --from=c2 /x /x\nCOPY --from=b /x /x\n"))
                .isInstanceOf(DockerfileParseException.class)
                .hasMessage("Dockerfile:4: circular dependency detected on stage: b");
        assertThatThrownBy(() -> plan("FROM alpine AS a\nCOPY --from=later /x /x\nFROM alpine AS later\n"))
                .hasMessage("Dockerfile:2: cannot copy from stage \"later\", it needs to be defined before current stage \"a\"");
        assertThatThrownBy(() -> plan("FROM alpine\nRUN --mount=from=1,target=/x true\nFROM alpine\n"))
                .hasMessage("Dockerfile:2: cannot mount from stage \"1\", it needs to be defined before current stage \"stage-0\"");
        assertThatThrownBy(() -> plan("FROM alpine\nCOPY --from=7 /x /x\n")).hasMessage("Dockerfile:2: invalid stage index 7");
        assertThatThrownBy(() -> plan("FROM alpine AS a\nRUN true\nFROM busybox AS A\n"))
                .hasMessage("Dockerfile:3: duplicate stage name \"a\" (first defined at line 1)");
        assertThatThrownBy(() -> plan("FROM alpine AS a\n", Map.of(), "b"))
                .hasMessage("Dockerfile: target stage \"b\" could not be found");
    }

    @Test
    void targetPrunesAndGroupsRunInParallel() {
        String df = "FROM alpine AS a\nFROM alpine AS b\nFROM a AS c\nCOPY --from=b /x /x\nFROM alpine AS unused\n"
                + "FROM c AS final\nCOPY --from=a /y /y\n";
        BuildPlan last = plan(df);
        assertThat(last.target()).isEqualTo(4);
        assertThat(last.stages().stream().map(PlannedStage::built).toList()).containsExactly(true, true, true, false, true);
        assertThat(last.parallelGroups()).containsExactly(List.of(0, 1), List.of(2), List.of(4));
        BuildPlan toB = plan(df, Map.of(), "B");
        assertThat(toB.target()).isEqualTo(1);
        assertThat(toB.builtStages()).extracting(PlannedStage::name).containsExactly("b");
        assertThat(toB.parallelGroups()).containsExactly(List.of(1));
    }

    @Test
    void unreachableStagesStillHaveTheirFromExpandedButNotTheirImageChecked() {
        assertThatThrownBy(() -> plan("ARG E\nFROM $E AS x\nFROM alpine\n")).hasMessageContaining("should not be blank");
        assertThat(plan("FROM NotAnImage AS x\nFROM alpine\n").stages().get(0).built()).isFalse();
    }
}
