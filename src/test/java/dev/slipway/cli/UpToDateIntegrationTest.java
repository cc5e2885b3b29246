package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.ImageReference;
import dev.slipway.store.Store;
import dev.slipway.testing.BusyboxRootfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The up-to-date check on a real build with RUN steps under runc, through processes started as the
 * launcher starts Slipway: a rebuild with nothing changed takes the check's path (no picocli class
 * loaded, no step run) and gives the same image and tags; a changed source runs the steps after it.
 */
@Tag("integration")
class UpToDateIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void anUnchangedRebuildIsUpToDateAndAChangedSourceRebuilds() throws Exception {
        Path root = dir.resolve("root");
        Path tar = BusyboxRootfs.tar(BusyboxRootfs.create(dir.resolve("rootfs")), dir.resolve("rootfs.tar"));
        assertThat(CliRun.in(root, "import", tar.toString(), "busybox:uptodate").exit()).isZero();
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("version.txt"), "1\n");
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM busybox:uptodate
                RUN echo first > /first
                COPY version.txt /version.txt
                RUN cat /version.txt /first > /out
                """);
        SlipwayProcess slipway = SlipwayProcess.create(dir);
        String[] args = {"--root", root.toString(), "build", "--progress", "plain", "-t", "app:1", "-t", "app:2",
                "ctx"};

        SlipwayProcess.Run cold = slipway.run(dir, Map.of(), null, args);
        assertThat(cold.exit()).as(cold.err()).isZero();
        assertThat(cold.err()).contains("3 steps executed, 0 cached");

        Path classes = dir.resolve("classes.log");
        SlipwayProcess.Run warm = slipway.run(dir, Map.of(), classes, args);
        assertThat(warm.exit()).as(warm.err()).isZero();
        assertThat(Files.readString(classes)).as("the warm build parsed no command line").doesNotContain("picocli.")
                .doesNotContain("dev.slipway.build.RunStep");
        assertThat(warm.out()).isEqualTo(cold.out());
        assertThat(warm.err()).contains("0 steps executed, 3 cached")
                .containsPattern("naming to docker.io/library/app:2 done");
        Store store = Store.open(root);
        String id = warm.out().strip();
        for (String tag : new String[] {"app:1", "app:2"}) {
            String config = dev.slipway.image.ImageJson.readManifest(store.content().read(
                    store.references().get(ImageReference.parse(tag)).orElseThrow().target())).config().digest()
                    .toString();
            assertThat(config).as(tag).isEqualTo(id);
        }

        Files.writeString(ctx.resolve("version.txt"), "2\n");
        SlipwayProcess.Run changed = slipway.run(dir, Map.of(), null, args);
        assertThat(changed.exit()).as(changed.err()).isZero();
        assertThat(changed.err()).contains("2 steps executed, 1 cached")
                .containsPattern("#\\d+ \\[4/4\\] RUN cat /version.txt /first > /out\n#\\d+ DONE");
        assertThat(changed.out()).isNotEqualTo(cold.out());
        assertThat(TestRun.stdout(root, "app:1", "cat", "/out")).isEqualTo("2\nfirst\n");
    }

    /** {@code slipway run} in process. */
    private static final class TestRun {
        static String stdout(Path root, String image, String... command) {
            String[] args = new String[command.length + 3];
            args[0] = "run";
            args[1] = "--rm";
            args[2] = image;
            System.arraycopy(command, 0, args, 3, command.length);
            CliRun r = CliRun.in(root, args);
            assertThat(r.exit()).as(r.err()).isZero();
            return r.out();
        }
    }
}
