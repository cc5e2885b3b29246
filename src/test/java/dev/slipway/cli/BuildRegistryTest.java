package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.registry.TestRegistry;
import dev.slipway.store.Store;
import dev.slipway.testing.BusyboxRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slipway build --push} against a real docker-registry. */
@Tag("integration")
class BuildRegistryTest {
    @TempDir
    static Path registryDir;
    static TestRegistry registry;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startRegistry() throws Exception {
        registry = TestRegistry.start(registryDir, TestRegistry.Options.plain());
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    private CliRun slipway(String root, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = tmp.resolve(root).toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return CliRun.run(all);
    }

    private void importBusybox(String root) throws Exception {
        Path tar = BusyboxRootfs.tar(BusyboxRootfs.create(tmp.resolve("rootfs-" + root)),
                tmp.resolve("rootfs-" + root + ".tar"));
        assertThat(slipway(root, "import", tar.toString(), "busybox:cli").exit()).isZero();
    }

    @Test
    void pushSendsEveryTagCompressedAndThePulledImageRuns() throws Exception {
        importBusybox("a");
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM busybox:cli
                RUN echo pushed > /artifact && seq 1 20000 > /numbers
                CMD ["cat", "/artifact"]
                """);
        String one = registry.host() + "/pushed/app:1";
        String two = registry.host() + "/pushed/app:2";
        CliRun b = slipway("a", "build", "-t", one, "-t", two, "--push", ctx.toString());
        assertThat(b.exit()).as(b.err()).isZero();
        String id = b.out().strip();
        assertThat(b.err()).contains("pushing manifest for " + one + "@sha256:")
                .contains("pushing manifest for " + two + "@sha256:");

        for (String tag : new String[] {one, two}) {
            CliRun pull = slipway("b", "pull", tag);
            assertThat(pull.exit()).as(pull.err()).isZero();
        }
        Store b2 = Store.open(tmp.resolve("b"));
        byte[] manifestBytes = b2.content().read(b2.references().get(ImageReference.parse(one)).orElseThrow().target());
        Manifest manifest = ImageJson.readManifest(manifestBytes);
        assertThat(manifest.config().digest().toString()).as("the image ID survives the push").isEqualTo(id);
        assertThat(manifest.layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP));
        assertThat(b2.references().get(ImageReference.parse(two)).orElseThrow().target())
                .isEqualTo(b2.references().get(ImageReference.parse(one)).orElseThrow().target());

        CliRun run = slipway("b", "run", "--rm", one);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("pushed\n");
    }

    @Test
    void plainProgressNamesEachBlobPulledForFromAndPushed() throws Exception {
        String base = sharedBase("a");
        Path ctx = Files.createDirectories(tmp.resolve("ctx3"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\nRUN echo more > /more\n");
        String dest = registry.host() + "/progress/app:1";
        CliRun b = slipway("b", "build", "--progress", "plain", "-t", dest, "--push", ctx.toString());
        assertThat(b.exit()).as(b.err()).isZero();

        Store store = Store.open(tmp.resolve("b"));
        Manifest pulled = ImageJson.readManifest(store.content().read(
                store.references().get(ImageReference.parse(base)).orElseThrow().target()));
        for (dev.slipway.image.Descriptor blob : java.util.List.of(pulled.config(), pulled.layers().get(0))) {
            assertThat(b.err()).contains(dev.slipway.store.DockerFormat.truncateId(blob.digest().toString())
                    + ": Pull complete (" + dev.slipway.store.DockerFormat.humanSize(blob.size()) + ")");
        }
        Manifest pushed = ImageJson.readManifest(store.content().read(
                store.references().get(ImageReference.parse(dest)).orElseThrow().target()));
        String baseLayer = dev.slipway.store.DockerFormat.truncateId(pulled.layers().get(0).digest().toString());
        assertThat(b.err()).as("the base layer is in the registry already, in another repository")
                .contains(baseLayer + ": Mounted from base/busybox");
        assertThat(b.err()).containsPattern("\\n[0-9a-f]{12}: Pushed \\([0-9.]+k?B\\)\\n");
        assertThat(b.err().indexOf(baseLayer + ": Pull complete")).as("pulled inside the FROM step")
                .isGreaterThan(b.err().indexOf("FROM " + base)).isLessThan(b.err().indexOf("RUN echo more"));
        assertThat(pushed.layers()).hasSize(2);
    }

    @Test
    void pushWithoutATagIsAnErrorBeforeBuilding() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox:cli\nRUN exit 3\n");
        CliRun b = slipway("a", "build", "--push", ctx.toString());
        assertThat(b.exit()).isEqualTo(1);
        assertThat(b.err()).isEqualTo("error: tag is needed when pushing to registry: add -t NAME[:TAG]\n");
    }

    /** busybox in store {@code root}, pushed to the test registry so that other stores pull the same image. */
    private String sharedBase(String root) throws Exception {
        importBusybox(root);
        String base = registry.host() + "/base/busybox:cli";
        assertThat(slipway(root, "tag", "busybox:cli", base).exit()).isZero();
        CliRun pushed = slipway(root, "push", base);
        assertThat(pushed.exit()).as(pushed.err()).isZero();
        return base;
    }

    private Path twoStageContext(String base) throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx2"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + " AS builder\n"
                + "RUN echo compiled > /out && seq 1 5000 > /numbers\n"
                + "FROM " + base + "\n"
                + "COPY --from=builder /out /app/out\n"
                + "RUN cat /app/out > /app/copied\n"
                + "CMD [\"cat\", \"/app/copied\"]\n");
        return ctx;
    }

    @Test
    void aSecondStoreRebuildsFromTheRegistryCacheWithoutRunningAnything() throws Exception {
        Path ctx = twoStageContext(sharedBase("a"));
        String cacheRef = registry.host() + "/app:buildcache";
        CliRun first = slipway("a", "build", "--cache-to", "type=registry,ref=" + cacheRef + ",mode=max", ctx.toString());
        assertThat(first.exit()).as(first.err()).isZero();
        assertThat(first.err()).contains("3 steps executed").contains("writing cache manifest " + cacheRef + "@sha256:");

        CliRun second = slipway("b", "build", "-t", "rebuilt:1", "--cache-from", "type=registry,ref=" + cacheRef,
                ctx.toString());
        assertThat(second.exit()).as(second.err()).isZero();
        assertThat(second.err()).contains("0 steps executed, 3 cached").doesNotContain("WARNING");
        assertThat(second.out()).as("the same image").isEqualTo(first.out());
        CliRun run = slipway("b", "run", "--rm", "rebuilt:1");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("compiled\n");
    }

    @Test
    void modeMinExportsOnlyTheFinalImagesStepsAndMaxEveryStage() throws Exception {
        Path ctx = twoStageContext(sharedBase("a"));
        String min = registry.host() + "/modes:min";
        String max = registry.host() + "/modes:max";
        CliRun build = slipway("a", "build", "--cache-to", "type=registry,ref=" + min, "--cache-to",
                "type=registry,ref=" + max + ",mode=max", ctx.toString());
        assertThat(build.exit()).as(build.err()).isZero();
        dev.slipway.registry.RegistryCache cache = new dev.slipway.registry.RegistryCache(
                new dev.slipway.registry.RegistryClient(dev.slipway.registry.RegistryConfig.defaults(),
                        r -> java.util.Optional.empty(), dev.slipway.registry.TransferListener.NONE));
        Store a = Store.open(tmp.resolve("a"));
        java.util.Set<dev.slipway.image.Digest> all = cache.open(ImageReference.parse(max)).keys();
        java.util.Set<dev.slipway.image.Digest> some = cache.open(ImageReference.parse(min)).keys();
        assertThat(all).hasSize(3);
        assertThat(some).hasSize(2);
        assertThat(all).containsAll(some);
        dev.slipway.image.Digest builderOnly = all.stream().filter(k -> !some.contains(k)).findFirst().orElseThrow();
        java.util.List<dev.slipway.image.Digest> imageLayers = ImageJson.readConfig(
                a.content().read(dev.slipway.image.Digest.parse(build.out().strip()))).diffIds();
        assertThat(imageLayers).as("the step min leaves out is the builder stage's RUN, whose layer is not in the image")
                .doesNotContain(dev.slipway.image.Digest.parse(a.cache().get(builderOnly).orElseThrow().data()
                        .path("diffID").asText()));
        for (dev.slipway.image.Digest k : some) {
            assertThat(imageLayers).containsAll(a.cache().get(k).orElseThrow().layers());
        }

        CliRun fromMin = slipway("b", "build", "--cache-from", min, ctx.toString());
        assertThat(fromMin.exit()).as(fromMin.err()).isZero();
        assertThat(fromMin.err()).containsPattern("1 step executed, [12] cached");
    }

    @Test
    void anAbsentCacheIsAWarningFreeMissAndBadCacheFlagsAreErrors() throws Exception {
        Path ctx = twoStageContext(sharedBase("a"));
        CliRun build = slipway("a", "build", "--cache-from", "type=registry,ref=" + registry.host() + "/none:cache",
                ctx.toString());
        assertThat(build.exit()).as(build.err()).isZero();
        assertThat(build.err()).contains("3 steps executed").contains("0 records");
        CliRun bad = slipway("a", "build", "--cache-to", "type=local,dest=/tmp/x", ctx.toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err()).isEqualTo("error: --cache-to type=local is not supported: only type=registry is\n");
    }
}
