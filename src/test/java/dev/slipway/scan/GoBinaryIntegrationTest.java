package dev.slipway.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A binary built here with Debian's golang-go: its Go version and module are read from the layer. */
@Tag("integration")
class GoBinaryIntegrationTest {
    @TempDir
    Path tmp;

    @Test
    void goBuildInfoIsRecognised() throws Exception {
        Files.writeString(tmp.resolve("go.mod"), "module example.com/hello\n\ngo 1.19\n");
        Files.writeString(tmp.resolve("main.go"), "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n");
        ProcessBuilder pb = new ProcessBuilder("go", "build", "-o", "hello", ".").directory(tmp.toFile())
                .redirectErrorStream(true);
        pb.environment().put("GOFLAGS", "-mod=mod");
        pb.environment().put("GOCACHE", tmp.resolve("cache").toString());
        pb.environment().put("GOPATH", tmp.resolve("gopath").toString());
        pb.environment().put("GOPROXY", "off");
        Process p = pb.start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        Process v = new ProcessBuilder("go", "version").start();
        String goVersion = new String(v.getInputStream().readAllBytes()).split(" ")[2];

        LayerInput layer = new TestLayers().file("usr/local/bin/hello", Files.readAllBytes(tmp.resolve("hello")), 0755)
                .input("sha256:aaaa");
        Catalog c = new Cataloger().catalog("t", List.of(layer));
        assertThat(c.packages()).extracting(Package::type, Package::name, Package::version)
                .contains(org.assertj.core.groups.Tuple.tuple(PackageType.GO, "stdlib", goVersion.substring(2)));
        assertThat(c.packages().get(0).path()).isEqualTo("usr/local/bin/hello");
    }
}
