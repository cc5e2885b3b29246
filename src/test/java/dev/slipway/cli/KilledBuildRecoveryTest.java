package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.image.Digest;
import dev.slipway.store.Blob;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import dev.slipway.store.TagRecord;
import dev.slipway.testing.BusyboxRootfs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code slipway build} process killed with SIGKILL while its RUN step runs: the overlay
 * stays mounted and the container keeps running. The next commands must clean that up and find
 * the store whole.
 */
@Tag("integration")
class KilledBuildRecoveryTest {
    @TempDir
    Path tmp;

    private Process build;

    private Path root() {
        return tmp.resolve("root");
    }

    private CliRun slipway(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--debug";
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.in(root(), all);
    }

    @AfterEach
    void stopBuild() {
        if (build != null) {
            build.destroyForcibly();
        }
    }

    @Test
    void aBuildKilledMidRunLeavesNothingMountedAndAWholeStore() throws Exception {
        Path tar = BusyboxRootfs.tar(BusyboxRootfs.create(tmp.resolve("rootfs")), tmp.resolve("rootfs.tar"));
        assertThat(slipway("import", tar.toString(), "busybox:kill").exit()).isZero();
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), """
                FROM busybox:kill
                RUN echo kept > /kept
                ARG NAP=300
                RUN touch /started && sleep $NAP
                """);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        build = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--root", root().toString(), "build", "--progress", "plain", "-t", "victim:1", ctx.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("build.log").toFile()).start();
        Path started = awaitStartedMarker();
        build.destroyForcibly();
        assertThat(build.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(mountsUnderRoot()).as("the killed build left its overlay mounted").isNotEmpty();
        assertThat(started).exists();

        CliRun images = slipway("images");
        assertThat(images.exit()).as(images.err()).isZero();
        assertThat(images.out()).contains("busybox").doesNotContain("victim");
        assertThat(mountsUnderRoot()).isEmpty();
        assertThat(entries(root().resolve("tmp"))).isEmpty();

        CliRun prune = slipway("prune", "-f");
        assertThat(prune.exit()).as(prune.err()).isZero();

        CliRun rebuild = slipway("build", "--build-arg", "NAP=0", "-t", "victim:1", ctx.toString());
        assertThat(rebuild.exit()).as(rebuild.err()).isZero();
        CliRun run = slipway("run", "--rm", "victim:1", "cat", "/kept", "/started");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo("kept\n");
        assertThat(mountsUnderRoot()).isEmpty();
        assertThat(entries(root().resolve("exec/runc"))).as("the orphaned container was ended").isEmpty();
        assertThat(entries(root().resolve("exec/bundles"))).isEmpty();
        assertWhole(new Store(new StoreRoot(root()), Clock.systemUTC()));
    }

    /** Waits for the RUN step's marker in its upperdir: proof that the step's process runs. */
    private Path awaitStartedMarker() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
        while (Instant.now().isBefore(deadline)) {
            assertThat(build.isAlive()).as("build exited early: %s", log()).isTrue();
            for (Path area : entries(root().resolve("tmp"))) {
                try (Stream<Path> s = Files.walk(area, 4)) {
                    List<Path> marker = s.filter(p -> p.getFileName().toString().equals("started")
                            && p.getParent().getFileName().toString().equals("upper")).toList();
                    if (!marker.isEmpty()) {
                        return marker.get(0);
                    }
                } catch (IOException | UncheckedIOException e) {
                    // The area went away while being walked (an earlier step's cleanup): look again.
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the RUN step never started: " + log());
    }

    private String log() throws IOException {
        return Files.readString(tmp.resolve("build.log"));
    }

    private List<String> mountsUnderRoot() throws IOException {
        String prefix = root().toRealPath() + "/";
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .map(l -> l.split(" ")[4]).filter(p -> p.startsWith(prefix)).toList();
    }

    private static List<Path> entries(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    /** Every blob hashes to its name; every tag names a manifest whose config, blobs and layers are all there. */
    private static void assertWhole(Store store) throws IOException {
        for (Blob b : store.content().list()) {
            assertThat(Digest.sha256(store.content().read(b.digest()))).isEqualTo(b.digest());
        }
        ObjectMapper json = new ObjectMapper();
        assertThat(store.references().list()).isNotEmpty();
        for (TagRecord tag : store.references().list().values()) {
            JsonNode manifest = json.readTree(store.content().read(tag.target()));
            Digest config = Digest.parse(manifest.path("config").path("digest").asText());
            assertThat(store.content().has(config)).isTrue();
            for (JsonNode layer : manifest.path("layers")) {
                assertThat(store.content().has(Digest.parse(layer.path("digest").asText()))).isTrue();
            }
            for (JsonNode diffId : json.readTree(store.content().read(config)).path("rootfs").path("diff_ids")) {
                assertThat(store.layers().has(Digest.parse(diffId.asText()))).as("layer %s", diffId).isTrue();
            }
        }
    }
}
