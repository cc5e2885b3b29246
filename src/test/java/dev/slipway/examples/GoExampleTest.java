package dev.slipway.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.cli.CliRun;
import dev.slipway.scan.Catalog;
import dev.slipway.scan.ImageLayers;
import dev.slipway.scan.Package;
import dev.slipway.scan.PackageType;
import dev.slipway.store.ImageStore;
import dev.slipway.store.Store;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first quick-start command, end to end with the code under test: a Debian base made
 * by debootstrap and imported, the article's Go example built single-stage and multi-stage (RUN
 * apt-get install golang-go, a static go build, COPY --from into scratch), and the result run.
 * A regression in the frontend, the build engine, the store or runc execution fails it.
 */
@Tag("integration")
class GoExampleTest {
    private static final Path EXAMPLES = Path.of("examples").toAbsolutePath();

    @TempDir
    Path tmp;

    private CliRun slipway(String... args) {
        return CliRun.in(tmp.resolve("root"), args);
    }

    /** A `slipway` command for the scripts that runs this build's classes, not a packaged jar. */
    private Path slipwayLauncher() throws IOException {
        Path launcher = tmp.resolve("slipway");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Files.writeString(launcher, "#!/bin/sh\nexec '" + java + "' -XX:+UseSerialGC -cp '"
                + System.getProperty("java.class.path") + "' dev.slipway.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
        return launcher;
    }

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void quickstartBuildsAndRunsTheGoExampleOnScratch() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(EXAMPLES.resolve("quickstart.sh").toString())
                .redirectErrorStream(true);
        pb.environment().put("SLIPWAY", slipwayLauncher().toString());
        pb.environment().put("SLIPWAY_ROOT", tmp.resolve("root").toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(output).isZero();
        assertThat(output).as(output).containsPattern("(?m)^hello-server 1\\.0\\.0 \\(go1\\.\\d+[.\\d]*, linux/\\w+\\)$");

        JsonNode image = new ObjectMapper().readTree(slipway("inspect", "hello-go:scratch").out()).get(0);
        // scratch + the CA bundle + the binary: two layers, a few MB, no shell, non-root.
        assertThat(image.at("/RootFS/Layers")).hasSize(2);
        assertThat(image.get("Size").asLong()).isBetween(1_000_000L, 10_000_000L);
        assertThat(image.at("/Config/User").asText()).isEqualTo("65534:65534");
        assertThat(image.at("/Config/Entrypoint/0").asText()).isEqualTo("/server");

        JsonNode single = new ObjectMapper().readTree(slipway("inspect", "hello-go:single-stage").out()).get(0);
        assertThat(single.get("Size").asLong()).isGreaterThan(20 * image.get("Size").asLong());

        // The article's last measurement, `docker scout compare`: the multi-stage image carries far fewer packages.
        CliRun compare = slipway("scan", "--compare", "hello-go:single-stage", "hello-go:scratch",
                "--db", Files.createDirectories(tmp.resolve("empty-osv")).toString());
        assertThat(compare.exit()).as(compare.err()).isZero();
        ImageStore images = new ImageStore(Store.open(tmp.resolve("root")), Clock.systemUTC());
        Catalog singleStage = ImageLayers.catalog(images, "hello-go:single-stage");
        Catalog scratch = ImageLayers.catalog(images, "hello-go:scratch");
        assertThat(singleStage.packages().stream().filter(pk -> pk.type() == PackageType.DEB).count()).isGreaterThan(50);
        assertThat(scratch.packages()).extracting(Package::type).containsOnly(PackageType.GO);
        assertThat(scratch.packages()).extracting(Package::name).contains("stdlib");
        assertThat(singleStage.packages().size()).isGreaterThan(20 * scratch.packages().size());
        assertThat(compare.out()).contains("Packages only in hello-go:single-stage (");

        CliRun run = slipway("run", "--rm", "hello-go:scratch");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).matches("hello-server 1\\.0\\.0 \\(go1\\.\\d+[.\\d]*, linux/\\w+\\)\n");
        CliRun noShell = slipway("run", "--rm", "--entrypoint", "/bin/sh", "hello-go:scratch", "-c", "true");
        assertThat(noShell.exit()).isNotZero();

        CliRun again = slipway("images", "-q", "debian:bookworm");
        assertThat(again.out()).matches("[0-9a-f]{12}\n");
    }
}
