package dev.slipway.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.build.BuildRequest;
import dev.slipway.build.ImageBuilder;
import dev.slipway.build.Progress;
import dev.slipway.build.TestBaseImage;
import dev.slipway.image.ImageConfig;
import dev.slipway.store.DockerFormat;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real multi-stage build (runc, overlayfs, root), then the share of the image each stage made. */
@Tag("integration")
class StageShareIntegrationTest {
    @TempDir
    Path tmp;

    @Test
    void eachStageGetsTheBytesItMadeAndTheBaseImageItsOwn() throws Exception {
        Store store = Store.open(tmp.resolve("root"));
        TestBaseImage.create(store, tmp, "busybox:test");
        long baseBytes;
        try (Stream<Path> walk = Files.walk(tmp.resolve("busybox-rootfs"))) {
            baseBytes = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
        int builderOnly = 3_000_000;
        int copied = 1_000_000;
        int own = 2_000_000;
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM busybox:test AS builder
                RUN head -c %d /dev/urandom > /big && head -c %d /dev/urandom > /one
                FROM busybox:test
                ENV KEEP=1
                COPY --from=builder /one /app/one
                RUN head -c %d /dev/urandom > /data
                """.formatted(builderOnly, copied, own));
        StringWriter log = new StringWriter();
        ImageBuilder.Result built = ImageBuilder.forHost(store, Progress.plain(new PrintWriter(log, true)))
                .build(BuildRequest.of(ctx).withTags(List.of("stages:latest")));

        List<String> comments = built.config().history().stream().map(ImageConfig.History::comment).toList();
        assertThat(comments).containsExactly("Imported",
                "buildkit.dockerfile.v0 slipway.stage=stage-1",
                "buildkit.dockerfile.v0 slipway.stage=stage-1 slipway.from=builder",
                "buildkit.dockerfile.v0 slipway.stage=stage-1");

        ImageStore images = new ImageStore(store, Clock.systemUTC());
        Analysis a;
        try (ImageSource source = Sources.open(images, "stages:latest")) {
            a = new Analyzer(Sources.storeBase(images), 2).analyze(source);
        }
        // the builder's 3 MB file never reaches the final image; its 1 MB file does, by COPY --from
        long total = baseBytes + copied + own;
        assertThat(a.sizeBytes()).isEqualTo(total);
        assertThat(a.base().layers()).isEqualTo(1);
        assertThat(a.stages()).containsExactly(
                new Analysis.StageShare("(base image)", 1, baseBytes, (double) baseBytes / total),
                new Analysis.StageShare("builder", 1, copied, (double) copied / total),
                new Analysis.StageShare("stage-1", 1, own, (double) own / total));

        String text = TextReport.analysis(a);
        assertThat(text).containsPattern("(?m)^  builder +1 +" + DockerFormat.humanSize(copied) + " +"
                + String.format(Locale.ROOT, "%.1f %%", 100.0 * copied / total) + "$");
        assertThat(text).containsPattern("(?m)^  stage-1 +1 +" + DockerFormat.humanSize(own) + " +"
                + String.format(Locale.ROOT, "%.1f %%", 100.0 * own / total) + "$");
        JsonNode stages = JsonReport.analysis(a).get("stages");
        assertThat(stages.get(1).get("stage").asText()).isEqualTo("builder");
        assertThat(stages.get(1).get("bytes").asLong()).isEqualTo(copied);
        assertThat(stages.get(1).get("share").asDouble()).isEqualTo((double) copied / total);
        assertThat(stages.get(2).get("stage").asText()).isEqualTo("stage-1");
        assertThat(stages.get(2).get("bytes").asLong()).isEqualTo(own);
    }
}
