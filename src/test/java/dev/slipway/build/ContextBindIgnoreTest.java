package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RUN --mount=type=bind of the context sees it as COPY does: what .dockerignore excludes is not there. */
@Tag("integration")
class ContextBindIgnoreTest {
    @TempDir
    Path tmp;

    private ImageBuilder.Result build(Store store, Path ctx, String dockerfile) throws Exception {
        Files.writeString(ctx.resolve("Dockerfile"), dockerfile);
        return ImageBuilder.forHost(store, Progress.plain(new PrintWriter(new StringWriter(), true)))
                .build(BuildRequest.of(ctx).withTags(List.of("out:latest")));
    }

    @Test
    void contextBindMountsHonourTheIgnoreFile() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        TestBaseImage.create(store, tmp, "busybox:test");
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("keep.txt"), "kept\n");
        Files.writeString(ctx.resolve("secret.log"), "ignored\n");
        Files.writeString(Files.createDirectories(ctx.resolve("sub")).resolve("inner.log"), "ignored too\n");
        Files.writeString(ctx.resolve("sub/inner.txt"), "inner\n");
        Files.writeString(ctx.resolve(".dockerignore"), "**/*.log\n");
        build(store, ctx, """
                FROM busybox:test
                RUN --mount=type=bind,target=/c ls -A /c /c/sub > /listing && cat /c/keep.txt > /kept
                RUN --mount=type=bind,source=sub,target=/s,rw rm /s/inner.txt && ls -A /s > /sub-listing
                RUN --mount=type=bind,source=keep.txt,target=/k cat /k > /file
                """);
        assertThat(TestContainers.stdout(store, "out:latest", "cat", "/listing", "/kept", "/sub-listing", "/file"))
                .isEqualTo("/c:\n.dockerignore\nDockerfile\nkeep.txt\nsub\n\n/c/sub:\ninner.txt\nkept\nkept");
        assertThat(ctx.resolve("sub/inner.txt")).as("a rw bind never writes to the context").exists();
        assertThatThrownBy(() -> build(store, ctx,
                "FROM busybox:test\nRUN --mount=type=bind,source=secret.log,target=/x cat /x\n"))
                .hasMessageContaining("\"/secret.log\": not found");
    }
}
