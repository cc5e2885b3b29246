package dev.slipway.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.testing.BusyboxRootfs;
import dev.slipway.store.ImageArchive;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A {@code docker save} archive from the real Docker engine, analysed in place. */
@Tag("integration")
class DockerSaveIntegrationTest {
    static final String DOCKER_HOST = System.getenv().getOrDefault("SLIPWAY_TEST_DOCKER_HOST",
            "unix:///var/tmp/slipway-oracle/docker.sock");

    @TempDir
    Path tmp;

    private String docker(Path dir, String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of("/usr/bin/docker"), Stream.of(args)).toList())
                .directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("DOCKER_HOST", DOCKER_HOST, "DOCKER_BUILDKIT", "1"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("docker %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    @org.junit.jupiter.api.AfterEach
    void removeImages() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/docker", "rmi", "-f", "slipway-analyze-it:app",
                "slipway-analyze-it:base").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DOCKER_HOST", DOCKER_HOST);
        pb.start().waitFor();
    }

    @Test
    void analysesADockerSaveArchive() throws Exception {
        Path rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
        long regularBytes;
        try (Stream<Path> walk = Files.walk(rootfs)) {
            regularBytes = walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .mapToLong(p -> p.toFile().length()).sum();
        }
        Path rootTar = BusyboxRootfs.tar(rootfs, tmp.resolve("rootfs.tar"));
        String base = "slipway-analyze-it:base";
        String app = "slipway-analyze-it:app";
        docker(tmp, "import", rootTar.toString(), base);
        Path ctx = Files.createDirectories(tmp.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + base + "\n"
                + "RUN rm /etc/motd && cp /etc/passwd /passwd.copy\n");
        docker(ctx, "build", "--network=host", "-t", app, ".");
        Path archive = tmp.resolve("app.tar");
        docker(tmp, "save", "-o", archive.toString(), app);

        Analysis a;
        try (ImageSource source = Sources.archive(archive.toString(), ImageArchive.open(archive))) {
            a = new Analyzer().analyze(source);
        }
        assertThat(a.repository()).isEqualTo("slipway-analyze-it");
        assertThat(a.tag()).isEqualTo("app");
        assertThat(a.layers()).hasSize(2);
        assertThat(a.layers().get(0).size()).isEqualTo(regularBytes);
        assertThat(a.layers().get(1).command()).contains("rm /etc/motd");
        long motd = "welcome\n".length();
        long passwd = Files.size(rootfs.resolve("etc/passwd"));
        // the RUN layer holds the copy; /etc/motd is deleted (a whiteout, 0 bytes)
        assertThat(a.layers().get(1).size()).isEqualTo(passwd);
        // dive: /etc/motd sighted twice (8, then 0 for the whiteout) → inefficient, cumulative 8
        assertThat(a.dive().inefficientFiles()).contains(new Analysis.InefficientPath("/etc/motd", 2, motd, 0));
        assertThat(a.corrected().reclaimableByReason()).containsEntry(HiddenFile.Reason.DELETED, motd);
        assertThat(a.corrected().duplicates()).contains(new Analysis.Duplicate(passwd, List.of("/etc/passwd", "/passwd.copy")));
        // history: the imported layer is unmarked, the RUN step BuildKit-marked
        assertThat(a.base()).isEqualTo(new Analysis.BaseImage(1, "buildkit-history", null));
        long baseFiles = a.layers().get(0).files().stream().filter(f -> !f.isDirectory()).count();
        assertThat(a.files()).isEqualTo(baseFiles - 1 /* /etc/motd */ + 1 /* /passwd.copy */);
    }
}
