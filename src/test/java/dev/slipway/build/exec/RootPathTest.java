package dev.slipway.build.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RootPathTest {
    @Test
    void symlinksAndDotDotStayInsideTheRoot(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("real/etc"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("real/etc"));
        Files.createSymbolicLink(root.resolve("real/etc/resolv.conf"), Path.of("../../../../run/resolv.conf"));
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/real"));
        assertThat(RootPath.resolve(root, "/etc/hosts")).containsExactly("real", "etc", "hosts");
        assertThat(RootPath.resolve(root, "/etc/resolv.conf")).containsExactly("run", "resolv.conf");
        assertThat(RootPath.resolve(root, "/abs/etc/../x")).containsExactly("real", "x");
        assertThat(RootPath.resolve(root, "/../../..")).isEmpty();
        assertThat(RootPath.host(root, "/abs")).isEqualTo(root.resolve("real"));
    }

    @Test
    void linkLoopsAreRefused(@TempDir Path root) throws Exception {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> RootPath.resolve(root, "/a/x"))
                .hasMessageContaining("symbolic links");
        assertThat(RootPath.resolve(root, "/c/d")).isEqualTo(List.of("c", "d"));
    }
}
