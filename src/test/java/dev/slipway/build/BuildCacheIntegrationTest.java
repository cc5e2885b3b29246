package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Descriptor;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.store.PruneReport;
import dev.slipway.store.Store;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build cache on real builds (runc, overlayfs, root): what a rebuild runs again and what it
 * takes from the cache. Steps read /proc/sys/kernel/random/uuid into files, so a step that ran
 * again is told by its output, not only by what the builder reports.
 */
@Tag("integration")
class BuildCacheIntegrationTest {
    private static final String DOCKERFILE = """
            FROM busybox:test AS builder
            RUN cat /proc/sys/kernel/random/uuid > /built
            FROM busybox:test
            ARG V=1
            COPY a.txt /a.txt
            RUN cat /proc/sys/kernel/random/uuid > /uuid-a
            WORKDIR /w
            COPY --from=builder /built /w/built
            RUN --mount=type=bind,source=m.txt,target=/m cat /m > /w/m && cat /proc/sys/kernel/random/uuid > /w/uuid-m
            COPY b.txt /w/b.txt
            RUN cat /proc/sys/kernel/random/uuid > /w/uuid-b
            ENV DONE=yes
            """;
    /** RUN, COPY, RUN, WORKDIR, COPY --from, RUN, COPY, RUN. */
    private static final int FS_STEPS = 8;

    @TempDir
    Path tmp;

    Store store;
    Path ctx;
    StringWriter log;

    @BeforeEach
    void setUp() throws Exception {
        store = Store.open(tmp.resolve("root"));
        TestBaseImage.create(store, tmp, "busybox:test");
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), DOCKERFILE);
        Files.writeString(ctx.resolve("a.txt"), "a\n");
        Files.writeString(ctx.resolve("b.txt"), "b\n");
        Files.writeString(ctx.resolve("m.txt"), "m\n");
        Files.writeString(ctx.resolve("c.txt"), "not selected\n");
        Files.writeString(ctx.resolve("skip.log"), "ignored\n");
        Files.writeString(ctx.resolve(".dockerignore"), "*.log\n");
    }

    private ImageBuilder.Result build(BuildRequest request) {
        log = new StringWriter();
        return ImageBuilder.forHost(store, Progress.plain(new PrintWriter(log, true))).build(request);
    }

    private ImageBuilder.Result build() {
        return build(request());
    }

    private BuildRequest request() {
        return BuildRequest.of(ctx).withTags(List.of("out:latest"));
    }

    private String read(String path) {
        return run("out:latest", "cat", path);
    }

    private String run(String image, String... cmd) {
        return TestContainers.stdout(store, image, cmd);
    }

    /** The labels of the steps the plain log reports as CACHED. */
    private List<String> cachedSteps() {
        List<String> labels = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^#(\\d+) (\\[.*)$").matcher(log.toString());
        while (m.find()) {
            if (log.toString().contains("\n#" + m.group(1) + " CACHED\n")) {
                labels.add(m.group(2));
            }
        }
        return labels;
    }

    private Map<String, String> outputs() {
        return Map.of("/built", read("/w/built"), "/uuid-a", read("/uuid-a"), "/w/uuid-m", read("/w/uuid-m"),
                "/w/uuid-b", read("/w/uuid-b"));
    }

    @Test
    void aWarmRebuildExecutesNothingAndGivesTheSameImage() throws Exception {
        ImageBuilder.Result cold = build();
        assertThat(cold.executed()).isEqualTo(FS_STEPS);
        assertThat(cold.cached()).isZero();
        assertThat(cold.cacheKeys()).hasSize(FS_STEPS).doesNotHaveDuplicates();
        Map<String, String> before = outputs();
        assertThat(read("/w/m")).isEqualTo("m");
        Thread.sleep(1100); // a rebuild stamping its own time would now write another config

        ImageBuilder.Result warm = build();

        assertThat(warm.executed()).isZero();
        assertThat(warm.cached()).isEqualTo(FS_STEPS);
        assertThat(outputs()).isEqualTo(before);
        assertThat(cachedSteps()).hasSize(FS_STEPS);
        assertThat(warm.imageId()).isEqualTo(cold.imageId());
        assertThat(warm.manifestDigest()).isEqualTo(cold.manifestDigest());
        assertThat(warm.cacheKeys()).isEqualTo(cold.cacheKeys());
        assertThat(warm.summary(List.of("out:latest"), java.time.Duration.ofMillis(1500)))
                .matches("built sha256:[0-9a-f]{12} \\(\\S*out:latest\\) \\S+B in 1\\.5s: "
                        + "0 steps executed, 8 cached");
    }

    @Test
    void aChangedSourceRerunsOnlyTheStepsAfterTheCopyThatReadsIt() throws Exception {
        build();
        Map<String, String> before = outputs();
        Files.writeString(ctx.resolve("b.txt"), "b changed\n");

        ImageBuilder.Result r = build();

        assertThat(r.executed()).isEqualTo(2);
        assertThat(cachedSteps()).hasSize(FS_STEPS - 2).anyMatch(l -> l.contains("COPY a.txt"))
                .noneMatch(l -> l.contains("COPY b.txt"));
        Map<String, String> after = outputs();
        assertThat(after.get("/uuid-a")).isEqualTo(before.get("/uuid-a"));
        assertThat(after.get("/w/uuid-m")).isEqualTo(before.get("/w/uuid-m"));
        assertThat(after.get("/w/uuid-b")).isNotEqualTo(before.get("/w/uuid-b"));
        assertThat(read("/w/b.txt")).isEqualTo("b changed");
    }

    @Test
    void aChangedBindMountSourceRerunsThatRun() throws Exception {
        build();
        Map<String, String> before = outputs();
        Files.writeString(ctx.resolve("m.txt"), "m2\n");

        ImageBuilder.Result r = build();

        assertThat(r.executed()).isEqualTo(3); // the RUN with the mount and the COPY and RUN after it
        assertThat(read("/w/m")).isEqualTo("m2");
        assertThat(outputs().get("/uuid-a")).isEqualTo(before.get("/uuid-a"));
    }

    @Test
    void unselectedIgnoredAndTouchedFilesInvalidateNothing() throws Exception {
        build();
        Map<String, String> before = outputs();
        Files.writeString(ctx.resolve("c.txt"), "changed but not selected\n");
        Files.writeString(ctx.resolve("skip.log"), "changed but ignored\n");
        Files.writeString(ctx.resolve("new.txt"), "a new file nobody copies\n");
        FileTime later = FileTime.from(Instant.now().plusSeconds(3600));
        for (String f : List.of("a.txt", "b.txt", "m.txt")) {
            Files.setLastModifiedTime(ctx.resolve(f), later);
        }

        ImageBuilder.Result r = build();

        assertThat(r.executed()).isZero();
        assertThat(outputs()).isEqualTo(before);
    }

    @Test
    void aChangedModeInvalidatesTheCopy() throws Exception {
        build();
        Files.setAttribute(ctx.resolve("b.txt"), "unix:mode", 0600);

        assertThat(build().executed()).isEqualTo(2);
    }

    @Test
    void aBuildArgInvalidatesTheRunsAfterItsArgOnlyWhenTheStageDeclaresIt() throws Exception {
        ImageBuilder.Result first = build(request().withBuildArgs(Map.of("V", "1", "OTHER", "x")));
        Map<String, String> before = outputs();

        ImageBuilder.Result undeclared = build(request().withBuildArgs(Map.of("V", "1", "OTHER", "y")));
        assertThat(undeclared.executed()).isZero();
        assertThat(undeclared.imageId()).isEqualTo(first.imageId());

        ImageBuilder.Result declared = build(request().withBuildArgs(Map.of("V", "2", "OTHER", "y")));
        // As BuildKit: the ARG's value is in every later RUN's env, used or not, so the first RUN after
        // it runs again and so does everything built on it; the COPY before that RUN keeps its key.
        assertThat(declared.executed()).isEqualTo(6);
        assertThat(cachedSteps()).hasSize(2).anyMatch(l -> l.contains("COPY a.txt")).anyMatch(l -> l.contains("builder"));
        assertThat(outputs().get("/uuid-a")).isNotEqualTo(before.get("/uuid-a"));
        assertThat(outputs().get("/built")).isEqualTo(before.get("/built"));
    }

    @Test
    void noCacheRerunsEverythingAndLeavesRecordsForTheNextBuild() throws Exception {
        build();
        Map<String, String> first = outputs();

        ImageBuilder.Result again = build(request().withNoCache(true));
        assertThat(again.executed()).isEqualTo(FS_STEPS);
        assertThat(cachedSteps()).isEmpty();
        Map<String, String> second = outputs();
        assertThat(second.get("/uuid-a")).isNotEqualTo(first.get("/uuid-a"));
        assertThat(second.get("/built")).isNotEqualTo(first.get("/built"));

        assertThat(build().executed()).isZero();
        assertThat(outputs()).isEqualTo(second);
    }

    @Test
    void sourceDateEpochGivesTheSameDigestColdWarmAndInAnotherStore() throws Exception {
        Files.writeString(ctx.resolve("Dockerfile.repro"), """
                FROM busybox:test AS builder
                RUN mkdir -p /out/d && echo built > /out/d/f && touch /out/d
                FROM busybox:test
                COPY a.txt /a.txt
                WORKDIR /w
                COPY --from=builder /out /w/out
                RUN --mount=type=bind,source=m.txt,target=/m cp /m /w/m && rm /a.txt
                """);
        BuildRequest req = request().withDockerfile(ctx.resolve("Dockerfile.repro")).withEpoch(1700000000L);
        ImageBuilder.Result cold = build(req);
        ImageBuilder.Result warm = build(req);
        assertThat(warm.executed()).isZero();
        assertThat(warm.manifestDigest()).isEqualTo(cold.manifestDigest());

        Store first = store;
        store = Store.open(tmp.resolve("other-root"));
        copyImage(first, store, "busybox:test");
        Files.setLastModifiedTime(ctx.resolve("a.txt"), FileTime.from(Instant.now().plusSeconds(60)));
        ImageBuilder.Result elsewhere = build(req);

        assertThat(elsewhere.executed()).isEqualTo(5);
        assertThat(elsewhere.manifestDigest()).isEqualTo(cold.manifestDigest());
        assertThat(elsewhere.cacheKeys()).isEqualTo(cold.cacheKeys());
    }

    @Test
    void pruneKeepsTheCacheAndPruneWithCacheDropsIt() throws Exception {
        ImageBuilder.Result cold = build();
        store.references().remove(ImageReference.parse("out:latest"));
        PruneReport kept = store.prune();
        assertThat(kept.cacheRecords()).isZero();
        assertThat(store.content().has(cold.manifestDigest())).isFalse();
        assertThat(store.layers().list()).containsAll(cold.config().diffIds());

        ImageBuilder.Result warm = build();
        assertThat(warm.executed()).isZero();
        assertThat(warm.imageId()).isEqualTo(cold.imageId());

        store.references().remove(ImageReference.parse("out:latest"));
        PruneReport dropped = store.pruneWithCache();
        assertThat(dropped.cacheRecords()).isEqualTo(FS_STEPS + 1); // and the memo of the COPY --from checksum
        assertThat(dropped.layers()).isEqualTo(FS_STEPS);
        assertThat(dropped.reclaimedBytes()).isPositive();
        assertThat(store.cache().list()).isEmpty();

        assertThat(build().executed()).isEqualTo(FS_STEPS);
    }

    @Test
    void aLayerKnownOnlyAsABlobIsUnpackedFromIt() throws Exception {
        ImageBuilder.Result cold = build();
        Map<String, String> before = outputs();
        for (var diffId : cold.config().diffIds().subList(1, cold.config().diffIds().size())) {
            dev.slipway.build.snapshot.HostCommand.deleteTree(store.layers().path(diffId));
        }

        ImageBuilder.Result warm = build();

        assertThat(warm.executed()).isZero();
        assertThat(outputs()).isEqualTo(before);
    }

    /**
     * Two stages feeding the final one by COPY --from, as the benchmark's multi fixture: x copies
     * two context files and puts one into /out, y one. The final RUN records a uuid.
     */
    private BuildRequest stagesRequest() throws Exception {
        Files.writeString(ctx.resolve("Dockerfile.stages"), """
                FROM busybox:test AS x
                COPY x.txt /src/x.txt
                COPY other.txt /src/other.txt
                RUN mkdir /out && cp /src/x.txt /out/x.txt
                FROM busybox:test AS y
                COPY y.txt /out/y.txt
                FROM busybox:test
                COPY --from=y /out /y
                COPY --from=x /out /x
                RUN cat /proc/sys/kernel/random/uuid > /uuid
                """);
        if (!Files.exists(ctx.resolve("x.txt"))) {
            Files.writeString(ctx.resolve("x.txt"), "x\n");
            Files.writeString(ctx.resolve("other.txt"), "other\n");
            Files.writeString(ctx.resolve("y.txt"), "y\n");
        }
        return request().withDockerfile(ctx.resolve("Dockerfile.stages"));
    }

    @Test
    void aChangedSourceOfAnEarlierStageRerunsTheCopyFromThatStageOnly() throws Exception {
        ImageBuilder.Result cold = build(stagesRequest());
        assertThat(cold.executed()).isEqualTo(7);
        String uuid = read("/uuid");
        Files.writeString(ctx.resolve("x.txt"), "x changed\n");

        ImageBuilder.Result r = build(stagesRequest());

        // x's COPY x.txt, COPY other.txt (its parent changed) and RUN; the final COPY --from=x and RUN.
        assertThat(r.executed()).isEqualTo(5);
        assertThat(cachedSteps()).hasSize(2).anyMatch(l -> l.contains("COPY y.txt"))
                .anyMatch(l -> l.contains("COPY --from=y /out /y"));
        assertThat(read("/x/x.txt")).isEqualTo("x changed");
        assertThat(read("/y/y.txt")).isEqualTo("y");
        assertThat(read("/uuid")).isNotEqualTo(uuid);
    }

    @Test
    void anEarlierStageThatChangesButNotInWhatIsCopiedLeavesTheCopyFromCached() throws Exception {
        build(stagesRequest());
        String uuid = read("/uuid");
        Files.writeString(ctx.resolve("other.txt"), "other changed\n");

        ImageBuilder.Result r = build(stagesRequest());

        // x's COPY other.txt and RUN run again and make a new layer, but /out holds the same bytes:
        // COPY --from=x is keyed by the content it copies (as in BuildKit), not by x's layers.
        assertThat(r.executed()).isEqualTo(2);
        assertThat(cachedSteps()).anyMatch(l -> l.contains("COPY --from=x /out /x"))
                .anyMatch(l -> l.contains("RUN cat /proc/sys/kernel/random/uuid > /uuid"));
        assertThat(read("/uuid")).isEqualTo(uuid);
        assertThat(read("/x/x.txt")).isEqualTo("x");
    }

    @Test
    void stagesOnlyCopiedFromStoreNoTarUntilABuildTargetsOneWhichThenGetsTheEagerDigest() throws Exception {
        ImageBuilder.Result cold = build(stagesRequest().withEpoch(1700000000L));
        assertThat(cold.executed()).isEqualTo(7);
        // x's three steps and y's one keep their directories only; the final stage's three have tars.
        List<dev.slipway.store.CacheRecord> layerRecords = store.cache().list().stream()
                .filter(r -> r.data().path("type").asText().equals("layer")).toList();
        assertThat(layerRecords).filteredOn(r -> r.blobs().isEmpty()).hasSize(4)
                .allSatisfy(r -> assertThat(r.data().has("diffID")).isFalse());
        assertThat(layerRecords).filteredOn(r -> !r.blobs().isEmpty()).hasSize(3)
                .allSatisfy(r -> assertThat(cold.config().diffIds()).containsAll(r.layers()));

        BuildRequest targetX = stagesRequest().withEpoch(1700000000L).withTarget("x").withTags(List.of("x:1"));
        ImageBuilder.Result made = build(targetX);
        assertThat(made.executed()).isZero();
        assertThat(run("x:1", "cat", "/out/x.txt")).isEqualTo("x");
        assertThat(build(stagesRequest().withEpoch(1700000000L)).executed()).as("still all cached").isZero();

        Store first = store;
        store = Store.open(tmp.resolve("eager-root"));
        copyImage(first, store, "busybox:test");
        ImageBuilder.Result eager = build(targetX);

        assertThat(eager.executed()).isEqualTo(3);
        assertThat(made.manifestDigest()).isEqualTo(eager.manifestDigest());
        assertThat(made.cacheKeys()).isEqualTo(eager.cacheKeys());
    }

    @Test
    void aLazyLayerWithWhiteoutsAndAnOpaqueDirectoryIsMadeLaterWithTheEagerDigest() throws Exception {
        Files.writeString(ctx.resolve("Dockerfile.whiteouts"), """
                FROM busybox:test AS x
                COPY a.txt /data/old/a.txt
                RUN rm /etc/motd && rm -rf /data && mkdir /data && echo fresh > /data/f
                FROM busybox:test
                COPY --from=x /data /x
                """);
        BuildRequest all = request().withDockerfile(ctx.resolve("Dockerfile.whiteouts")).withEpoch(1700000000L);
        BuildRequest targetX = all.withTarget("x").withTags(List.of("x:1"));
        assertThat(build(all).executed()).isEqualTo(3);
        assertThat(store.cache().list()).filteredOn(r -> r.data().path("type").asText().equals("layer"))
                .filteredOn(r -> r.blobs().isEmpty()).as("x's layers are lazy").hasSize(2);

        ImageBuilder.Result made = build(targetX);
        assertThat(made.executed()).isZero();
        assertThat(run("x:1", "cat", "/data/f")).isEqualTo("fresh");
        assertThat(run("x:1", "ls", "/data")).isEqualTo("f");
        assertThat(run("x:1", "ls", "/etc")).doesNotContain("motd");

        Store first = store;
        store = Store.open(tmp.resolve("eager-root"));
        copyImage(first, store, "busybox:test");
        ImageBuilder.Result eager = build(targetX);

        assertThat(eager.executed()).isEqualTo(2);
        assertThat(made.manifestDigest()).isEqualTo(eager.manifestDigest());
    }

    private static void copyImage(Store from, Store to, String tag) {
        var target = from.references().get(ImageReference.parse(tag)).orElseThrow().target();
        Manifest m = (Manifest) ImageJson.read(from.content().read(target));
        to.content().put(from.content().read(m.config().digest()));
        for (Descriptor l : m.layers()) {
            to.content().put(from.content().read(l.digest()));
        }
        to.content().put(from.content().read(target));
        to.references().set(ImageReference.parse(tag), target);
    }
}
