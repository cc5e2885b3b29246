package dev.slipway.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.ShellLexer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each ARG scoping rule of BuildKit's dispatcher (reference notes §1.9). */
class StageScopeTest {

    private static final ShellLexer LEX = new ShellLexer('\\');
    private static final PlatformSpec HOST = new PlatformSpec("linux", "amd64", "");

    private static GlobalScope global(String metaArgs, Map<String, String> buildArgs) {
        List<Instruction.Arg> meta = DockerfileParser.parse(metaArgs + "FROM scratch\n", "Dockerfile").metaArgs();
        return GlobalScope.resolve("Dockerfile", meta, buildArgs, HOST, new PlatformSpec("linux", "arm64", ""), LEX);
    }

    private static Instruction.ArgDef arg(String name, String dflt) {
        return new Instruction.ArgDef(name, dflt);
    }

    @Test
    void argValueComesFromBuildArgThenDefaultThenGlobalElseUnset() {
        GlobalScope g = global("ARG META=m\nARG BOTH=global\n", Map.of("GIVEN", "cli"));
        StageScope s = StageScope.onImage(g, Map.of());
        s.declare(arg("GIVEN", "default"), LEX);
        s.declare(arg("BOTH", "stage"), LEX);
        s.declare(arg("META", null), LEX);
        s.declare(arg("NONE", null), LEX);
        assertThat(s.lookup("GIVEN")).isEqualTo("cli");
        assertThat(s.lookup("BOTH")).isEqualTo("stage");
        assertThat(s.lookup("META")).isEqualTo("m");
        assertThat(s.lookup("NONE")).isNull();
        assertThat(s.isDeclared("NONE")).isTrue();
        assertThat(LEX.expand("${NONE-x}", s::lookup).result()).isEqualTo("x");
        assertThat(s.args()).containsExactly(new StageScope.DeclaredArg("GIVEN", "cli"),
                new StageScope.DeclaredArg("BOTH", "stage"), new StageScope.DeclaredArg("META", "m"),
                new StageScope.DeclaredArg("NONE", null));
    }

    @Test
    void metaArgsAndPlatformArgsAreInvisibleUntilRedeclared() {
        GlobalScope g = global("ARG VERSION=1.0\n", Map.of());
        StageScope s = StageScope.onImage(g, Map.of());
        assertThat(s.lookup("VERSION")).isNull();
        assertThat(s.lookup("TARGETARCH")).isNull();
        s.declare(arg("TARGETARCH", null), LEX);
        s.declare(arg("VERSION", null), LEX);
        assertThat(s.lookup("TARGETARCH")).isEqualTo("arm64");
        assertThat(s.lookup("VERSION")).isEqualTo("1.0");
    }

    @Test
    void defaultsExpandWithTheStageEnvAtThatPointAndEmptyDefaultIsSet() {
        StageScope s = StageScope.onImage(global("", Map.of()), Map.of("HOME", "/root"));
        assertThat(s.declare(arg("CFG", "$HOME/.cfg$LATER"), LEX)).containsExactly("LATER");
        s.declare(arg("BAR", ""), LEX);
        assertThat(s.lookup("CFG")).isEqualTo("/root/.cfg");
        assertThat(s.lookup("BAR")).isEmpty();
    }

    @Test
    void envOverridesArgAndALaterArgOverridesOnlyTheBuildEnv() {
        StageScope s = StageScope.onImage(global("", Map.of()), null);
        s.declare(arg("V", "from-arg"), LEX);
        s.env("V", "from-env");
        assertThat(s.lookup("V")).isEqualTo("from-env");
        s.declare(arg("V", "again"), LEX);
        assertThat(s.buildEnv()).contains(entry("V", "again"));
        assertThat(s.imageEnv()).contains(entry("V", "from-env"));
        assertThat(s.imageEnv()).doesNotContainKey("W");
    }

    @Test
    void argsAreNotInTheImageEnvAndScratchGetsTheDefaultPath() {
        StageScope s = StageScope.onImage(global("", Map.of()), null);
        s.declare(arg("SECRET", "x"), LEX);
        assertThat(s.imageEnv()).containsExactly(entry("PATH", StageScope.DEFAULT_PATH));
        assertThat(s.buildEnv()).containsEntry("SECRET", "x");
        assertThat(StageScope.onImage(global("", Map.of()), Map.of("PATH", "/bin")).lookup("PATH")).isEqualTo("/bin");
    }

    @Test
    void childStagesInheritArgsAndEnvButSiblingsDoNot() {
        GlobalScope g = global("", Map.of());
        StageScope parent = StageScope.onImage(g, null);
        parent.declare(arg("A", "1"), LEX);
        StageScope child = parent.child();
        StageScope sibling = StageScope.onImage(g, null);
        child.declare(arg("B", "2"), LEX);
        assertThat(child.lookup("A")).isEqualTo("1");
        assertThat(child.isDeclared("A")).isTrue();
        assertThat(sibling.lookup("A")).isNull();
        assertThat(parent.lookup("B")).isNull();
    }

    @Test
    void proxyArgsTravelOutOfBandUnlessDeclared() {
        GlobalScope g = global("", Map.of("HTTP_PROXY", "http://p:3128", "no_proxy", "local", "OTHER", "x"));
        StageScope s = StageScope.onImage(g, null);
        assertThat(s.lookup("HTTP_PROXY")).isNull();
        assertThat(s.proxyEnv()).containsExactly(entry("HTTP_PROXY", "http://p:3128"), entry("no_proxy", "local"));
        s.declare(arg("HTTP_PROXY", null), LEX);
        assertThat(s.lookup("HTTP_PROXY")).isEqualTo("http://p:3128");
        assertThat(s.proxyEnv()).containsOnlyKeys("no_proxy");
        assertThat(GlobalScope.isProxyArg("Http_Proxy")).isTrue();
    }

    @Test
    void globalScopeHasPlatformArgsOverridableByBuildArgs() {
        GlobalScope g = global("ARG TARGETOS=custom\nARG X=$BUILDARCH-$TARGETARCH\n", Map.of("BUILDARCH", "zz"));
        assertThat(g.values()).containsEntry("BUILDPLATFORM", "linux/amd64").containsEntry("TARGETPLATFORM", "linux/arm64")
                .containsEntry("TARGETOS", "custom").containsEntry("X", "zz-arm64").containsEntry("TARGETVARIANT", "");
        assertThat(g.metaArgNames()).containsExactly("TARGETOS", "X");
    }

    @Test
    void platformSpecParsesAndFormats() {
        assertThat(PlatformSpec.parse("linux/arm/v7").format()).isEqualTo("linux/arm/v7");
        assertThat(PlatformSpec.parse("Linux/AMD64")).isEqualTo(new PlatformSpec("linux", "amd64", ""));
        assertThat(PlatformSpec.host().os()).isEqualTo("linux");
        assertThat(PlatformSpec.host().architecture()).isNotEmpty().doesNotContain("x86_64", "aarch64");
    }
}
