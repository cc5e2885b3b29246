package dev.slipway.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.Instruction.ArgDef;
import dev.slipway.dockerfile.Instruction.CommandLine;
import dev.slipway.dockerfile.Instruction.KeyValue;
import dev.slipway.dockerfile.Instruction.SourceContent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DockerfileParserTest {

    private static Dockerfile parse(String text) {
        return DockerfileParser.parse(text, "Dockerfile");
    }

    /** The single instruction of the one stage of {@code FROM scratch} + {@code line}. */
    private static Instruction one(String line) {
        return parse("FROM scratch\n" + line + "\n").stages().get(0).instructions().get(0);
    }

    private static String error(String text) {
        try {
            parse(text);
        } catch (DockerfileParseException e) {
            return e.getMessage();
        }
        throw new AssertionError("accepted: " + text);
    }

    private static String errorOf(String line) {
        return error("FROM scratch\n" + line + "\n");
    }

    @Test
    void stagesMetaArgsAndDirectives() {
        Dockerfile df = parse("""
                # syntax=docker/dockerfile:1
                ARG BASE=alpine V
                FROM --platform=$BUILDPLATFORM ${BASE} AS Build
                RUN make
                from build
                COPY --from=build /out /out
                """);
        assertThat(df.directive("syntax")).contains("docker/dockerfile:1");
        assertThat(df.metaArgs()).singleElement().extracting(Instruction.Arg::args)
                .isEqualTo(List.of(new ArgDef("BASE", "alpine"), new ArgDef("V", null)));
        assertThat(df.stages()).hasSize(2);
        Stage first = df.stages().get(0);
        assertThat(first.index()).isZero();
        assertThat(first.name()).isEqualTo("build");
        assertThat(first.from().image()).isEqualTo("${BASE}");
        assertThat(first.from().platform()).isEqualTo("$BUILDPLATFORM");
        assertThat(first.from().origin()).isEqualTo(new Instruction.Origin(3, 3,
                "FROM --platform=$BUILDPLATFORM ${BASE} AS Build"));
        assertThat(first.instructions()).singleElement().isInstanceOf(Instruction.Run.class);
        assertThat(df.stages().get(1).name()).isNull();
        assertThat(df.stages().get(1).instructions().get(0)).isInstanceOf(Instruction.Copy.class);
    }

    @Test
    void errorsCarryFileAndLineAndAreSlipwayExceptions() {
        assertThatThrownBy(() -> parse("FROM a\n\nRUN x\nFOO bar\n"))
                .isInstanceOf(SlipwayException.class)
                .hasMessage("Dockerfile:4: unknown instruction: FOO");
        assertThat(error("RUN x\nFROM a\n")).isEqualTo("Dockerfile:1: no build stage in current context");
        assertThat(error("ARG x\n")).isEqualTo("Dockerfile: dockerfile contains no stages to build");
        assertThat(error("")).isEqualTo("Dockerfile: file with no instructions");
    }

    @Test
    void fromValidation() {
        assertThat(errorOf("FROM a AS 1st")).isEqualTo(
                "Dockerfile:2: invalid name for build stage: \"1st\", name can't start with a number or contain symbols");
        assertThat(errorOf("FROM a b")).isEqualTo("Dockerfile:2: FROM requires either one or three arguments");
        assertThat(errorOf("FROM")).isEqualTo("Dockerfile:2: FROM requires either one or three arguments");
        assertThat(errorOf("FROM --platform a")).isEqualTo("Dockerfile:2: missing a value on flag: --platform");
        assertThat(errorOf("FROM --plat=x a")).isEqualTo("Dockerfile:2: unknown flag: --plat");
        assertThat(parse("FROM a as my-stage_1.x").stages().get(0).name()).isEqualTo("my-stage_1.x");
    }

    @Test
    void runFormsAndFlags() {
        Instruction.Run shell = (Instruction.Run) one("RUN --network=none --security=insecure echo $HOME");
        assertThat(shell.command()).isEqualTo(new CommandLine(List.of("echo $HOME"), false));
        assertThat(shell.network()).isEqualTo("none");
        assertThat(shell.security()).isEqualTo("insecure");
        Instruction.Run exec = (Instruction.Run) one("RUN [\"echo\", \"$HOME\"]");
        assertThat(exec.command()).isEqualTo(new CommandLine(List.of("echo", "$HOME"), true));
        assertThat(exec.network()).isNull();
        assertThat(errorOf("RUN --network=bridge x")).isEqualTo("Dockerfile:2: invalid network mode \"bridge\"");
        assertThat(errorOf("RUN --security=x x")).isEqualTo("Dockerfile:2: security \"x\" is not valid");
        assertThat(errorOf("RUN --network=host --network=none x"))
                .isEqualTo("Dockerfile:2: duplicate flag specified: --network");
        assertThat(errorOf("RUN --device=/dev/x x")).isEqualTo("Dockerfile:2: unknown flag: --device");
    }

    @Test
    void runHeredocIsKept() {
        Instruction.Run run = (Instruction.Run) one("RUN <<EOF\necho hi\nEOF");
        assertThat(run.heredocs()).containsExactly(new Heredoc("EOF", "echo hi\n", true, false, 0));
        assertThat(run.origin().startLine()).isEqualTo(2);
        assertThat(run.origin().endLine()).isEqualTo(4);
    }

    @Test
    void runMounts() {
        Instruction.Run run = (Instruction.Run) one("RUN --mount=type=cache,target=/root/.cache,sharing=locked,"
                + "id=pip,mode=0700,uid=1000,gid=1000 --mount=type=secret,id=tok,env=TOKEN,required "
                + "--mount=type=tmpfs,dst=/tmp,size=64m --mount=target=/src,rw --mount=type=ssh "
                + "--mount=type=bind,from=builder,source=/out,target=/in,ro=false x");
        List<RunMount> m = run.mounts();
        assertThat(m).hasSize(6);
        assertThat(m.get(0)).extracting(RunMount::type, RunMount::target, RunMount::sharing, RunMount::id,
                        RunMount::mode, RunMount::uid, RunMount::gid, RunMount::readOnly)
                .containsExactly("cache", "/root/.cache", "locked", "pip", "0700", "1000", "1000", false);
        assertThat(m.get(1)).extracting(RunMount::type, RunMount::id, RunMount::env, RunMount::required,
                RunMount::readOnly).containsExactly("secret", "tok", "TOKEN", true, true);
        assertThat(m.get(2)).extracting(RunMount::type, RunMount::target, RunMount::size, RunMount::readOnly)
                .containsExactly("tmpfs", "/tmp", "64m", false);
        assertThat(m.get(3)).extracting(RunMount::type, RunMount::target, RunMount::readOnly)
                .containsExactly("bind", "/src", false);
        assertThat(m.get(4)).extracting(RunMount::type, RunMount::readOnly).containsExactly("ssh", true);
        assertThat(m.get(5)).extracting(RunMount::from, RunMount::source, RunMount::readOnly)
                .containsExactly("builder", "/out", false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "type=nfs,target=/x | unsupported mount type \"nfs\"",
            "target=/x,mode=0755 | mode not allowed for \"bind\" type mounts",
            "type=tmpfs,target=/x,uid=1 | uid not allowed for \"tmpfs\" type mounts",
            "target=/x,required | unexpected key 'required' for mount type 'bind'",
            "target=/x,sharing=shared | invalid cache sharing set for bind mount",
            "type=cache,target=/x,sharing=weird | unsupported sharing value \"weird\"",
            "type=cache,target=/x,mode=999 | invalid value 999 for mode",
            "type=cache,target=/x,uid=abc | invalid value abc for uid",
            "type=secret,from=x,target=/x | secret mount should not have a from",
            "type=secret | invalid secret mount. one of source, target required",
            "type=secret,source=a,id=b | both source and id can't be set",
            "type=ssh,source=a | ssh does not support source",
            "target=/x,typ=tmpfs | unexpected key 'typ' in 'typ=tmpfs'",
            "target | invalid field 'target' must be a key=value pair",
            "target=/x,ro=maybe | invalid value for ro: maybe",
            "target=/x,from=$STAGE | 'from' doesn't support variable expansion, define alias stage instead",
            "type=bind,target=/x,size=1m | unexpected key 'size' for mount type 'bind'",
            "type=tmpfs,target=/x,size=lots | invalid value for size: lots",
    })
    void invalidMounts(String spec, String message) {
        assertThat(errorOf("RUN --mount=" + spec + " x")).isEqualTo("Dockerfile:2: " + message);
    }

    @Test
    void mountValuesWithVariablesAreCheckedOnlyOnceExpanded() {
        Instruction.Run run = (Instruction.Run) one("RUN --mount=type=cache,target=$DIR,mode=$MODE x");
        RunMount raw = run.mounts().get(0);
        assertThat(raw.target()).isEqualTo("$DIR");
        assertThat(raw.mode()).isEqualTo("$MODE");
        RunMount expanded = RunMount.parse(raw.spec(), v -> v.replace("$DIR", "/c").replace("$MODE", "0755"));
        assertThat(expanded.target()).isEqualTo("/c");
        assertThat(expanded.mode()).isEqualTo("0755");
        assertThatThrownBy(() -> RunMount.parse(raw.spec(), v -> v.replace("$DIR", "/c").replace("$MODE", "9")))
                .hasMessage("invalid value 9 for mode");
        RunMount quoted = RunMount.parse("type=bind,\"target=/a,b\"", null);
        assertThat(quoted.target()).isEqualTo("/a,b");
    }

    @Test
    void cmdEntrypointShell() {
        assertThat(((Instruction.Cmd) one("CMD [\"a\", \"b\"]")).command())
                .isEqualTo(new CommandLine(List.of("a", "b"), true));
        assertThat(((Instruction.Entrypoint) one("ENTRYPOINT exec  app --x")).command())
                .isEqualTo(new CommandLine(List.of("exec  app --x"), false));
        assertThat(((Instruction.Entrypoint) one("ENTRYPOINT []")).command())
                .isEqualTo(new CommandLine(List.of(), true));
        assertThat(((Instruction.Shell) one("SHELL [\"pwsh\", \"-c\"]")).shell()).containsExactly("pwsh", "-c");
        assertThat(errorOf("SHELL pwsh -c")).isEqualTo("Dockerfile:2: SHELL requires the arguments to be in JSON form");
        assertThat(errorOf("SHELL []")).isEqualTo("Dockerfile:2: SHELL requires at least one argument");
        assertThat(errorOf("CMD --x=1 a")).isEqualTo("Dockerfile:2: unknown flag: --x");
    }

    @Test
    void envAndLabelBothForms() {
        Instruction.Env env = (Instruction.Env) one("ENV A=1 B=\"two words\" C=x\\ y");
        assertThat(env.vars()).containsExactly(new KeyValue("A", "1"), new KeyValue("B", "\"two words\""),
                new KeyValue("C", "x\\ y"));
        assertThat(env.legacyForm()).isFalse();
        Instruction.Env legacy = (Instruction.Env) one("ENV ONE TWO= THREE=world");
        assertThat(legacy.vars()).containsExactly(new KeyValue("ONE", "TWO= THREE=world"));
        assertThat(legacy.legacyForm()).isTrue();
        Instruction.Label label = (Instruction.Label) one("LABEL \"com.x\"=y z=1");
        assertThat(label.labels()).containsExactly(new KeyValue("\"com.x\"", "y"), new KeyValue("z", "1"));
        assertThat(errorOf("ENV X")).isEqualTo("Dockerfile:2: ENV must have two arguments");
        assertThat(errorOf("ENV =x")).isEqualTo("Dockerfile:2: ENV names can not be blank");
        assertThat(errorOf("LABEL a=b c")).isEqualTo(
                "Dockerfile:2: Syntax error - can't find = in \"c\". Must be of the form: name=value");
        assertThat(errorOf("LABEL")).isEqualTo("Dockerfile:2: LABEL requires at least one argument");
    }

    @Test
    void argForms() {
        Instruction.Arg arg = (Instruction.Arg) one("ARG a=\"1 2\" b c=");
        assertThat(arg.args()).containsExactly(new ArgDef("a", "\"1 2\""), new ArgDef("b", null), new ArgDef("c", ""));
        assertThat(errorOf("ARG =x")).isEqualTo("Dockerfile:2: ARG names can not be blank");
        assertThat(errorOf("ARG")).isEqualTo("Dockerfile:2: ARG requires at least one argument");
        assertThat(((Instruction.Arg) one("ARG --ignored=1 x")).args()).containsExactly(new ArgDef("x", null));
    }

    @Test
    void copyFlagsAndSources() {
        Instruction.Copy c = (Instruction.Copy) one(
                "COPY --from=build --chown=app:app --chmod=0755 --link --parents --exclude=*.md --exclude=x a b /dst/");
        assertThat(c.sources()).containsExactly("a", "b");
        assertThat(c.dest()).isEqualTo("/dst/");
        assertThat(c).extracting(Instruction.Copy::from, Instruction.Copy::chown, Instruction.Copy::chmod,
                Instruction.Copy::link, Instruction.Copy::parents).containsExactly("build", "app:app", "0755", true, true);
        assertThat(c.excludes()).containsExactly("*.md", "x");
        Instruction.Copy json = (Instruction.Copy) one("COPY [\"a b\", \"/c d\"]");
        assertThat(json.sources()).containsExactly("a b");
        assertThat(json.link()).isFalse();
        assertThat(((Instruction.Copy) one("COPY --chmod=u=rwX,go=rX a /b")).chmod()).isEqualTo("u=rwX,go=rX");
        assertThat(((Instruction.Copy) one("COPY --chmod=$MODE a /b")).chmod()).isEqualTo("$MODE");
    }

    @Test
    void copyHeredocSourcesBecomeContents() {
        Instruction.Copy c = (Instruction.Copy) one("COPY <<-a.txt <<'b.sh' c /d/\n\thello $x\na.txt\nrun $y\nb.sh");
        assertThat(c.sources()).containsExactly("c");
        assertThat(c.contents()).containsExactly(new SourceContent("a.txt", "hello $x\n", true),
                new SourceContent("b.sh", "run $y\n", false));
        assertThat(errorOf("COPY a <<EOF\nx\nEOF")).isEqualTo("Dockerfile:2: COPY cannot accept a heredoc as a destination");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "COPY a | COPY requires at least two arguments, but only one was provided. Destination could not be determined",
            "ADD a | ADD requires at least two arguments, but only one was provided. Destination could not be determined",
            "COPY --chmod=888 a b | invalid chmod parameter: '888'. it should be octal string and between 0 and 07777",
            "COPY --chmod=17777 a b | invalid chmod parameter: '17777'. it should be octal string and between 0 and 07777",
            "ADD --chmod=rwx a b | invalid chmod parameter: 'rwx'. it should be octal string and between 0 and 07777",
            "COPY --link=maybe a b | expecting boolean value for flag --link, not: maybe",
            "COPY --link= a b | missing a value on flag: --link",
            "COPY --from a b | missing a value on flag: --from",
            "COPY --checksum=sha256:x a b | unknown flag: --checksum",
            "ADD --parents a b | unknown flag: --parents",
            "COPY --from=$X a b | variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
            "ADD --checksum=sha256:0 a b c | checksum can't be specified for multiple sources",
            "COPY --chown=a --chown=b a b | duplicate flag specified: --chown",
    })
    void copyAddErrors(String line, String message) {
        assertThat(errorOf(line)).isEqualTo("Dockerfile:2: " + message);
    }

    @Test
    void addFlags() {
        Instruction.Add a = (Instruction.Add) one("ADD --checksum=sha256:abc --keep-git-dir=true --unpack=false "
                + "--chown=1 --chmod=644 --link=FALSE --exclude=x https://e.com/a.tgz /a/");
        assertThat(a).extracting(Instruction.Add::checksum, Instruction.Add::keepGitDir, Instruction.Add::unpack,
                        Instruction.Add::chown, Instruction.Add::chmod, Instruction.Add::link)
                .containsExactly("sha256:abc", true, false, "1", "644", false);
        assertThat(a.excludes()).containsExactly("x");
        assertThat(((Instruction.Add) one("ADD a b")).unpack()).isNull();
    }

    @Test
    void simpleOneArgumentInstructions() {
        assertThat(((Instruction.User) one("USER app:grp")).user()).isEqualTo("app:grp");
        assertThat(((Instruction.Workdir) one("WORKDIR /a b")).path()).isEqualTo("/a b");
        assertThat(((Instruction.Stopsignal) one("STOPSIGNAL SIGKILL")).signal()).isEqualTo("SIGKILL");
        assertThat(((Instruction.Maintainer) one("MAINTAINER Me <me@x>")).maintainer()).isEqualTo("Me <me@x>");
        assertThat(((Instruction.Expose) one("EXPOSE 8080 443/tcp 80")).ports())
                .containsExactly("443/tcp", "80", "8080");
        assertThat(((Instruction.Volume) one("VOLUME [\"/a\", \"/b\"]")).paths()).containsExactly("/a", "/b");
        assertThat(((Instruction.Volume) one("VOLUME /a /b")).paths()).containsExactly("/a", "/b");
        for (String name : List.of("USER", "WORKDIR", "STOPSIGNAL", "MAINTAINER")) {
            assertThat(errorOf(name)).isEqualTo("Dockerfile:2: " + name + " requires exactly one argument");
        }
        assertThat(errorOf("EXPOSE")).isEqualTo("Dockerfile:2: EXPOSE requires at least one argument");
        assertThat(errorOf("VOLUME [\" \"]")).isEqualTo("Dockerfile:2: VOLUME specified can not be an empty string");
        assertThat(errorOf("MAINTAINER --boo x")).isEqualTo("Dockerfile:2: unknown flag: --boo");
        assertThat(errorOf("USER --x=1 a")).isEqualTo("Dockerfile:2: unknown flag: --x");
    }

    @Test
    void onbuildHoldsItsParsedTrigger() {
        Instruction.Onbuild o = (Instruction.Onbuild) one("onbuild  COPY --from=x a b");
        assertThat(o.trigger()).isInstanceOfSatisfying(Instruction.Copy.class, c -> assertThat(c.from()).isEqualTo("x"));
        assertThat(o.expression()).isEqualTo("COPY --from=x a b");
        Instruction.Onbuild h = (Instruction.Onbuild) one("ONBUILD RUN <<EOF\nhi\nEOF");
        assertThat(h.expression()).isEqualTo("RUN <<EOF\nhi\nEOF");
        assertThat(((Instruction.Run) h.trigger()).heredocs()).extracting(Heredoc::content).containsExactly("hi\n");
        assertThat(errorOf("ONBUILD ONBUILD RUN x"))
                .isEqualTo("Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
        assertThat(errorOf("ONBUILD FROM x")).isEqualTo("Dockerfile:2: FROM isn't allowed as an ONBUILD trigger");
        assertThat(errorOf("ONBUILD MAINTAINER x"))
                .isEqualTo("Dockerfile:2: MAINTAINER isn't allowed as an ONBUILD trigger");
        assertThat(errorOf("ONBUILD")).isEqualTo("Dockerfile:2: ONBUILD requires at least one argument");
        assertThat(errorOf("ONBUILD BAD x")).isEqualTo("Dockerfile:2: unknown instruction: BAD");
    }

    @Test
    void healthcheck() {
        Instruction.Healthcheck h = (Instruction.Healthcheck) one(
                "HEALTHCHECK --interval=1m30s --timeout=3s --start-period=0s --start-interval=500ms --retries=3 "
                        + "CMD curl -f http://x/");
        assertThat(h.command()).isEqualTo(new CommandLine(List.of("curl -f http://x/"), false));
        assertThat(h).extracting(Instruction.Healthcheck::interval, Instruction.Healthcheck::timeout,
                        Instruction.Healthcheck::startPeriod, Instruction.Healthcheck::startInterval,
                        Instruction.Healthcheck::retries)
                .containsExactly(Duration.ofSeconds(90), Duration.ofSeconds(3), Duration.ZERO,
                        Duration.ofMillis(500), 3);
        assertThat(((Instruction.Healthcheck) one("HEALTHCHECK --bogus=1 none")).none()).isTrue();
        assertThat(((Instruction.Healthcheck) one("HEALTHCHECK cmd [\"a\"]")).command())
                .isEqualTo(new CommandLine(List.of("a"), true));
        assertThat(errorOf("HEALTHCHECK")).isEqualTo("Dockerfile:2: HEALTHCHECK requires at least one argument");
        assertThat(errorOf("HEALTHCHECK NONE x")).isEqualTo("Dockerfile:2: HEALTHCHECK NONE takes no arguments");
        assertThat(errorOf("HEALTHCHECK CMD")).isEqualTo("Dockerfile:2: Missing command after HEALTHCHECK CMD");
        assertThat(errorOf("HEALTHCHECK CONNECT TCP 7000"))
                .isEqualTo("Dockerfile:2: Unknown type \"CONNECT\" in HEALTHCHECK (try CMD)");
        assertThat(errorOf("HEALTHCHECK --interval=1us CMD x"))
                .isEqualTo("Dockerfile:2: Interval \"interval\" cannot be less than 1ms");
        assertThat(errorOf("HEALTHCHECK --timeout=5 CMD x"))
                .isEqualTo("Dockerfile:2: time: missing unit in duration \"5\"");
        assertThat(errorOf("HEALTHCHECK --timeout=5y CMD x"))
                .isEqualTo("Dockerfile:2: time: unknown unit \"y\" in duration \"5y\"");
        assertThat(errorOf("HEALTHCHECK --retries=-1 CMD x"))
                .isEqualTo("Dockerfile:2: --retries cannot be negative (-1)");
        assertThat(errorOf("HEALTHCHECK --retries=x CMD x"))
                .isEqualTo("Dockerfile:2: strconv.ParseInt: parsing \"x\": invalid syntax");
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(GoDuration.parse(".5s")).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void instructionNamesAnyCaseAndOriginKeepsText() {
        Instruction i = one("rUn echo \\\n  hi");
        assertThat(i.name()).isEqualTo("run");
        assertThat(i.origin()).isEqualTo(new Instruction.Origin(2, 3, "rUn echo   hi"));
    }

    @Test
    void parsesAPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("Containerfile");
        Files.writeString(file, "FROM a\nBAD\n");
        assertThatThrownBy(() -> DockerfileParser.parse(file)).hasMessage("Containerfile:2: unknown instruction: BAD");
        Files.writeString(file, "FROM a\n");
        assertThat(DockerfileParser.parse(file).stages()).hasSize(1);
    }
}
