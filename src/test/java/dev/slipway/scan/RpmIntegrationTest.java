package dev.slipway.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real rpmdb.sqlite written by rpm (Debian's rpm package): a package built with rpmbuild and recorded with --justdb. */
@Tag("integration")
class RpmIntegrationTest {
    @TempDir
    Path tmp;

    private void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
    }

    @Test
    void sqliteRpmDatabaseIsRead() throws Exception {
        Path top = tmp.resolve("top");
        Files.createDirectories(top.resolve("SPECS"));
        Files.writeString(top.resolve("SPECS/hello.spec"), """
                Name: hello-slipway
                Version: 1.2.3
                Release: 4.el9
                Epoch: 2
                Summary: test package
                License: MIT
                BuildArch: noarch
                %description
                test
                %files
                """);
        run("rpmbuild", "--define", "_topdir " + top, "-bb", top.resolve("SPECS/hello.spec").toString());
        Path db = tmp.resolve("db");
        Files.createDirectories(db);
        run("rpm", "--dbpath", db.toString(), "--initdb");
        run("rpm", "--dbpath", db.toString(), "-i", "--justdb", "--nodeps", "--ignorearch", "--ignoreos",
                top.resolve("RPMS/noarch/hello-slipway-1.2.3-4.el9.noarch.rpm").toString());

        LayerInput layer = new TestLayers()
                .file("etc/os-release", "ID=\"almalinux\"\nVERSION_ID=\"9.4\"\n")
                .file("var/lib/rpm/rpmdb.sqlite", Files.readAllBytes(db.resolve("rpmdb.sqlite")), 0644)
                .input("sha256:aaaa");
        Catalog c = new Cataloger().catalog("t", List.of(layer));
        assertThat(c.notes()).isEmpty();
        assertThat(c.packages()).extracting(Package::key).containsExactly("rpm hello-slipway 2:1.2.3-4.el9 noarch");
        assertThat(c.packages().get(0).sourceName()).isEqualTo("hello-slipway");
        assertThat(c.packages().get(0).license()).isEqualTo("MIT");
        assertThat(c.os().osvEcosystem()).isEqualTo("AlmaLinux:9");
    }

    @Test
    void berkeleyDbIsReportedAsUnsupported() {
        LayerInput layer = new TestLayers().file("var/lib/rpm/Packages", "\0\0\0\0bdb").input("sha256:aaaa");
        Catalog c = new Cataloger().catalog("t", List.of(layer));
        assertThat(c.packages()).isEmpty();
        assertThat(c.notes()).singleElement().asString().contains("var/lib/rpm/Packages", "not supported");
    }
}
