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
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs-" + root));
        Path tar = tmp.resolve("rootfs-" + root + ".tar");
        Process p = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".").inheritIO().start();
        assertThat(p.waitFor()).isZero();
        assertThat(slipway(root, "import", tar.toString(), "busybox:cli").exit).isZero();
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
        assertThat(b.exit).as(b.err).isZero();
        String id = b.out.strip();
        assertThat(b.err).contains("pushing manifest for " + one + "@sha256:")
                .contains("pushing manifest for " + two + "@sha256:");

        for (String tag : new String[] {one, two}) {
            CliRun pull = slipway("b", "pull", tag);
            assertThat(pull.exit).as(pull.err).isZero();
        }
        Store b2 = Store.open(tmp.resolve("b"));
        byte[] manifestBytes = b2.content().read(b2.references().get(ImageReference.parse(one)).orElseThrow().target());
        Manifest manifest = ImageJson.readManifest(manifestBytes);
        assertThat(manifest.config().digest().toString()).as("the image ID survives the push").isEqualTo(id);
        assertThat(manifest.layers()).allSatisfy(l -> assertThat(l.mediaType()).isEqualTo(MediaTypes.OCI_LAYER_GZIP));
        assertThat(b2.references().get(ImageReference.parse(two)).orElseThrow().target())
                .isEqualTo(b2.references().get(ImageReference.parse(one)).orElseThrow().target());

        CliRun run = slipway("b", "run", "--rm", one);
        assertThat(run.exit).as(run.err).isZero();
        assertThat(run.out).isEqualTo("pushed\n");
    }

    @Test
    void pushWithoutATagIsAnErrorBeforeBuilding() throws Exception {
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox:cli\nRUN exit 3\n");
        CliRun b = slipway("a", "build", "--push", ctx.toString());
        assertThat(b.exit).isEqualTo(1);
        assertThat(b.err).isEqualTo("error: tag is needed when pushing to registry: add -t NAME[:TAG]\n");
    }
}
