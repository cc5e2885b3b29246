package dev.slipway.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real Debian root file system: the catalogue lists exactly what dpkg-query lists. */
@Tag("integration")
class DebootstrapIntegrationTest {
    @TempDir
    Path tmp;

    private static String run(long timeoutSeconds, String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
        return out;
    }

    @Test
    void everyPackageDpkgListsIsCatalogued() throws Exception {
        Path root = tmp.resolve("rootfs");
        run(900, "debootstrap", "--variant=minbase", "bookworm", root.toString(), "http://deb.debian.org/debian");
        Path tar = tmp.resolve("rootfs.tar");
        run(300, "tar", "-C", root.toString(), "-cf", tar.toString(), ".");

        List<String> expected = Arrays.stream(run(60, "dpkg-query", "--admindir=" + root.resolve("var/lib/dpkg"), "-W",
                "-f", "${Package} ${Version} ${Architecture}\n").split("\n")).filter(s -> !s.isBlank()).sorted().toList();
        Catalog c = new Cataloger().catalog("bookworm", List.of(new LayerInput("sha256:rootfs", "debootstrap",
                () -> Files.newInputStream(tar))));

        assertThat(expected).hasSizeGreaterThan(50);
        assertThat(c.packages().stream().filter(p -> p.type() == PackageType.DEB)
                .map(p -> p.name() + " " + p.version() + " " + p.arch()).sorted().toList())
                .containsExactlyElementsOf(expected);
        assertThat(c.os().osvEcosystem()).isEqualTo("Debian:12");
    }
}
