package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.build.exec.Network;
import dev.slipway.image.ImageConfig;
import dev.slipway.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real builds (runc, overlayfs, root) of small Dockerfiles on a busybox base, through the Java API. */
@Tag("integration")
class BuildIntegrationTest {
    @TempDir
    Path tmp;

    Store store;
    StringWriter log;

    @BeforeEach
    void setUp() throws Exception {
        store = Store.open(tmp.resolve("root"));
        TestBaseImage.create(store, tmp, "busybox:test");
        log = new StringWriter();
    }

    private ImageBuilder.Result build(String dockerfile, BuildRequest request) throws Exception {
        Path ctx = request.context();
        Files.createDirectories(ctx);
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        return ImageBuilder.forHost(store, Progress.plain(new PrintWriter(log, true))).build(request);
    }

    private ImageBuilder.Result build(String dockerfile) throws Exception {
        return build(dockerfile, BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("out:latest")));
    }

    /** The runtime bundles left under the store: a build or run keeps them only while it lasts. */
    private List<Path> bundles() throws IOException {
        Path dir = store.root().exec().resolve("bundles");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** Runs a command in the built image and returns its stdout. */
    private String run(String image, String... cmd) {
        return TestContainers.stdout(store, image, cmd);
    }

    @Test
    void runCreatesALayerAndHistory() throws Exception {
        ImageBuilder.Result r = build("FROM busybox:test\nARG A=1\nRUN echo hello > /hello.txt && echo step-output\n");
        assertThat(r.config().diffIds()).hasSize(2);
        List<ImageConfig.History> h = r.config().history();
        assertThat(h.get(h.size() - 1).createdBy()).isEqualTo("RUN |1 A=1 /bin/sh -c echo hello > /hello.txt && echo step-output # buildkit");
        assertThat(h.get(h.size() - 2).createdBy()).isEqualTo("ARG A=1");
        assertThat(h.get(h.size() - 2).isEmptyLayer()).isTrue();
        assertThat(bundles()).isEmpty();
        assertThat(run("out:latest", "cat", "/hello.txt")).isEqualTo("hello");
        assertThat(bundles()).isEmpty();
        assertThat(log.toString()).containsPattern("#\\d+ \\[3/3\\] RUN echo hello").containsPattern("#\\d+ \\d+\\.\\d{3} step-output")
                .containsPattern("#\\d+ DONE \\d+\\.\\ds");
    }
    @Test
    void multiStageBuildsOnAnEarlierStageAndMountsAnother() throws Exception {
        ImageBuilder.Result r = build("""
                FROM busybox:test AS base
                ENV APP=/opt/app
                RUN mkdir -p $APP && echo base > $APP/base.txt
                FROM busybox:test AS other
                RUN echo other > /other.txt
                FROM base AS final
                RUN --mount=type=bind,from=other,source=/other.txt,target=/mnt/o cp /mnt/o $APP/copied.txt
                FROM busybox:test AS unused
                RUN exit 1
                FROM final
                """, BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("out:latest")).withTarget("final"));
        assertThat(run("out:latest", "cat", "/opt/app/base.txt", "/opt/app/copied.txt")).isEqualTo("base\nother");
        assertThat(r.config().configOrEmpty().envValue("APP")).isEqualTo("/opt/app");
        assertThat(log.toString()).doesNotContain("exit 1").contains("[final 2/2] RUN --mount");
    }

    @Test
    void aFailingRunNamesTheLineAndTagsNothing() throws Exception {
        assertThatThrownBy(() -> build("FROM busybox:test\nRUN echo before\nRUN echo doomed && exit 3\n"))
                .isInstanceOf(StepFailedException.class)
                .hasMessage("Dockerfile:3: process \"/bin/sh -c echo doomed && exit 3\" did not complete successfully: "
                        + "exit code: 3")
                .satisfies(e -> assertThat(((StepFailedException) e).lastLines()).contains("doomed"));
        assertThat(store.references().list().keySet()).extracting(Object::toString)
                .noneMatch(n -> n.contains("out"));
        assertThat(log.toString()).contains("ERROR: process").contains("   3 | >>> RUN echo doomed && exit 3");
        assertThat(bundles()).isEmpty();
    }

    @Test
    void entrypointResetsTheBaseImagesCmd() throws Exception {
        build("FROM busybox:test\nCMD [\"echo\", \"base\"]\n",
                BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("withcmd:latest")));
        ImageBuilder.Result r = build("FROM withcmd:latest\nENTRYPOINT [\"echo\", \"entry\"]\n");
        assertThat(r.config().configOrEmpty().cmd()).isNull();
        assertThat(run("out:latest")).isEqualTo("entry");
    }

    @Test
    void workdirMakesALayerOwnedByTheUser() throws Exception {
        ImageBuilder.Result r = build("FROM busybox:test\nUSER app\nWORKDIR /srv/data\nWORKDIR /\nRUN stat -c %U /srv/data > /tmp/owner\n");
        List<ImageConfig.History> h = r.config().history();
        ImageConfig.History wd = h.stream().filter(x -> "WORKDIR /srv/data".equals(x.createdBy())).findFirst().orElseThrow();
        assertThat(wd.isEmptyLayer()).isFalse();
        assertThat(h.stream().filter(x -> "WORKDIR /".equals(x.createdBy())).findFirst().orElseThrow().isEmptyLayer()).isTrue();
        assertThat(r.config().diffIds()).hasSize(3);
        assertThat(run("out:latest", "stat", "-c", "%U %a", "/srv/data")).isEqualTo("app 755");
    }

    @Test
    void onbuildTriggersRunInTheChildOnly() throws Exception {
        build("FROM busybox:test\nONBUILD RUN echo triggered > /trigger.txt\n",
                BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("parent:latest")));
        ImageBuilder.Result r = build("FROM parent:latest\nRUN cat /trigger.txt\n");
        assertThat(run("out:latest", "cat", "/trigger.txt")).isEqualTo("triggered");
        assertThat(r.config().configOrEmpty().onBuild()).isNull();
    }

    @Test
    void secretsAreMountedButNeverInLayersOrHistory() throws Exception {
        Path secret = Files.writeString(tmp.resolve("token"), "s3cr3t-value");
        ImageBuilder.Result r = build("""
                FROM busybox:test
                RUN --mount=type=secret,id=tok cat /run/secrets/tok > /dev/null && echo seen-$(wc -c < /run/secrets/tok)
                RUN --mount=type=secret,id=tok,env=TOKEN [ ${#TOKEN} -eq 12 ] && echo env-ok > /ok
                RUN ls /run/secrets 2>/dev/null | wc -l > /count
                """, BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("out:latest"))
                .withSecrets(Map.of("tok", new BuildRequest.Secret("tok", secret, null))));
        assertThat(log.toString()).contains("seen-12");
        assertThat(run("out:latest", "cat", "/ok", "/count")).isEqualTo("env-ok\n0");
        for (ImageConfig.History h : r.config().history()) {
            assertThat(String.valueOf(h.createdBy())).doesNotContain("s3cr3t");
        }
        for (var d : r.config().diffIds()) {
            assertThat(new String(store.content().read(d), java.nio.charset.StandardCharsets.ISO_8859_1))
                    .doesNotContain("s3cr3t");
        }
    }

    @Test
    void cacheMountsPersistBetweenBuilds() throws Exception {
        String df = "FROM busybox:test\nRUN --mount=type=cache,target=/cache echo x >> /cache/log && wc -l < /cache/log > /n\n";
        build(df);
        assertThat(run("out:latest", "cat", "/n")).isEqualTo("1");
        build(df, BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("out:latest")).withNoCache(true));
        assertThat(run("out:latest", "cat", "/n")).isEqualTo("2");
        assertThat(run("out:latest", "ls", "-A", "/cache")).isEmpty();
    }

    @Test
    void networkNoneHasOnlyLoopback() throws Exception {
        build("FROM busybox:test\nRUN ls /sys/class/net > /ifaces\nRUN --network=host ls /sys/class/net > /host-ifaces\n",
                BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("out:latest")).withNetwork(Network.NONE));
        assertThat(run("out:latest", "cat", "/ifaces")).isEqualTo("lo");
        assertThat(run("out:latest", "cat", "/host-ifaces")).isNotEqualTo("lo");
    }

    @Test
    void sourceDateEpochMakesBuildsReproducible() throws Exception {
        String df = "FROM busybox:test\nRUN echo same > /f && mkdir -p /d/e\nWORKDIR /w\nENV A=1\n";
        BuildRequest req = BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("out:latest")).withEpoch(1700000000L);
        ImageBuilder.Result a = build(df, req);
        Thread.sleep(1100);
        ImageBuilder.Result b = build(df, req);
        assertThat(b.imageId()).isEqualTo(a.imageId());
        assertThat(b.manifestDigest()).isEqualTo(a.manifestDigest());
        assertThat(a.config().created()).isEqualTo("2023-11-14T22:13:20Z");
    }

    @Test
    void heredocRunsAsAScriptOrAShellBody() throws Exception {
        build("""
                FROM busybox:test
                RUN <<EOF
                echo one > /one
                echo two >> /one
                EOF
                RUN <<EOF
                #!/bin/sh
                echo "script $0" > /script
                EOF
                RUN cat <<A > /a && cat <<B > /b
                alpha
                A
                beta
                B
                """);
        assertThat(run("out:latest", "cat", "/one", "/script", "/a", "/b"))
                .isEqualTo("one\ntwo\nscript /dev/pipes/EOF\nalpha\nbeta");
    }

    @Test
    void independentStagesRunAtTheSameTime() throws Exception {
        // Each stage marks a shared cache mount, then waits for the other's mark: run one after
        // the other, the first stage gives up after 60 s and the build fails. No wall clock is
        // compared, so load on the machine cannot fail it.
        String waitFor = "for i in $(seq 600); do [ -e /c/%1$s ] && break; sleep 0.1; done; [ -e /c/%1$s ]";
        build("""
                FROM busybox:test AS a
                RUN --mount=type=cache,id=rendezvous,sharing=shared,target=/c touch /c/a && %s && echo a > /a
                FROM busybox:test AS b
                RUN --mount=type=cache,id=rendezvous,sharing=shared,target=/c touch /c/b && %s && echo b > /b
                FROM busybox:test
                RUN --mount=type=bind,from=a,target=/ma --mount=type=bind,from=b,target=/mb cat /ma/a /mb/b > /ab
                """.formatted(waitFor.formatted("b"), waitFor.formatted("a")),
                BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("out:latest")).withJobs(2));
        assertThat(run("out:latest", "cat", "/ab")).isEqualTo("a\nb");
    }

    @Test
    void copyFromStagesTheContextAndHeredocs() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("app.txt"), "from context\n");
        Files.writeString(ctx.resolve("skip.log"), "ignored\n");
        Files.writeString(ctx.resolve(".dockerignore"), "*.log\n");
        ImageBuilder.Result r = build("""
                FROM busybox:test AS builder
                RUN mkdir /out && echo built > /out/bin
                FROM busybox:test
                ENV NAME=world
                COPY --from=builder /out/bin /app/bin
                COPY --link --chown=app:app app.txt /app/
                COPY <<EOF /app/greeting
                hello $NAME
                EOF
                COPY . /ctx/
                """);
        assertThat(run("out:latest", "sh", "-c", "cat /app/bin /app/app.txt /app/greeting; stat -c %U /app/app.txt; ls /ctx"))
                .isEqualTo("built\nfrom context\nhello world\napp\nDockerfile\napp.txt");
        assertThat(r.config().history().stream().map(ImageConfig.History::createdBy))
                .contains("COPY /out/bin /app/bin # buildkit", "COPY --chown=app:app app.txt /app/ # buildkit",
                        "COPY <<EOF /app/greeting # buildkit");
    }
    @Test
    void sshMountsForwardTheAgentSocketOnlyWhenGiven() throws Exception {
        Path sock = tmp.resolve("agent.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(java.net.UnixDomainSocketAddress.of(sock));
            build("FROM busybox:test\nRUN --mount=type=ssh test -S \"$SSH_AUTH_SOCK\" && echo $SSH_AUTH_SOCK > /ssh\n",
                    BuildRequest.of(tmp.resolve("ctx")).withTags(List.of("out:latest"))
                            .withSshAgents(Map.of("default", sock)));
        }
        assertThat(run("out:latest", "cat", "/ssh")).isEqualTo("/run/buildkit/ssh_agent.0");
        assertThatThrownBy(() -> build("FROM busybox:test\nRUN --mount=type=ssh,required=true true\n"))
                .hasMessageContaining("Dockerfile:2: no SSH key default forwarded");
    }

    @Test
    void aFailureShowsTheStepAndItsSource() throws Exception {
        assertThatThrownBy(() -> build("FROM busybox:test\nENV A=1\nRUN echo tail-line; false\n"))
                .isInstanceOf(StepFailedException.class);
        assertThat(log.toString()).contains(" > [3/3] RUN echo tail-line; false:\n   tail-line\n------\nDockerfile:3\n")
                .contains("   2 |     ENV A=1\n   3 | >>> RUN echo tail-line; false\n");
    }
}
