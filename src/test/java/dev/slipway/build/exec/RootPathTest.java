package dev.slipway.build.exec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void anAbsoluteLinkToAHostFileLandsInsideTheRoot(@TempDir Path root) throws Exception {
        Files.createSymbolicLink(root.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(root.resolve("hostroot"), Path.of("/"));
        assertThat(RootPath.host(root, "/passwd")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(RootPath.host(root, "passwd")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(RootPath.host(root, "/hostroot/etc/shadow")).isEqualTo(root.resolve("etc/shadow"));
    }

    @Test
    void dotDotBeyondTheRootInPathsAndLinksStopsAtTheRoot(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        Files.createSymbolicLink(root.resolve("a/b/up"), Path.of("../../../../../../.."));
        assertThat(RootPath.host(root, "/a/b/up/etc/passwd")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(RootPath.host(root, "../../etc/passwd")).isEqualTo(root.resolve("etc/passwd"));
        assertThat(RootPath.host(root, "/a/../../b")).isEqualTo(root.resolve("b"));
    }

    @Test
    void aSelfLoopAndAChainLongerThanTheLimitAreRefused(@TempDir Path root) throws Exception {
        Files.createSymbolicLink(root.resolve("self"), Path.of("self"));
        assertThatThrownBy(() -> RootPath.resolve(root, "/self")).hasMessageContaining("symbolic links");
        for (int i = 0; i < 256; i++) {
            Files.createSymbolicLink(root.resolve("l" + i), Path.of("l" + (i + 1)));
        }
        Files.createDirectories(root.resolve("l256"));
        assertThat(RootPath.resolve(root, "/l1")).containsExactly("l256");
        assertThatThrownBy(() -> RootPath.resolve(root, "/l0")).hasMessageContaining("symbolic links")
                .hasMessageContaining("/l0");
    }

    @Test
    void walkAsksAboutEachComponentAndCanEndTheWalk(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("real/dir"));
        Files.createSymbolicLink(root.resolve("link"), Path.of("/real"));
        List<String> seen = new ArrayList<>();
        List<String> done = RootPath.walk(root, "/link/dir/missing", (rel, host, attrs, more) -> {
            seen.add(rel + (attrs == null ? " absent" : attrs.isSymbolicLink() ? " link" : " dir") + (more ? " more" : ""));
            assertThat(host).isEqualTo(root.resolve(rel));
            return true;
        });
        assertThat(done).containsExactly("real", "dir", "missing");
        assertThat(seen).containsExactly("link link more", "real dir more", "real/dir dir more",
                "real/dir/missing absent");
        assertThat(RootPath.walk(root, "/link/dir", (rel, host, attrs, more) -> !rel.equals("real"))).isNull();
    }
}
