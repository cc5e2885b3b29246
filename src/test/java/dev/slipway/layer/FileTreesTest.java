package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path dir;

    @Test
    void deletesReadOnlyTreesWithoutFollowingSymlinks() throws IOException {
        Path outside = Files.writeString(Files.createDirectories(dir.resolve("outside")).resolve("keep"), "k");
        Path tree = Files.createDirectories(dir.resolve("tree/locked/inner"));
        Files.writeString(tree.resolve("f"), "x");
        Files.createSymbolicLink(dir.resolve("tree/locked/out"), dir.resolve("outside"));
        Files.setPosixFilePermissions(tree, PosixFilePermissions.fromString("r-x------"));
        Files.setPosixFilePermissions(dir.resolve("tree/locked"), PosixFilePermissions.fromString("r-x------"));

        FileTrees.delete(dir.resolve("tree"));

        assertThat(dir.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("k");
    }

    @Test
    void deletesASymlinkItselfAndIgnoresWhatIsNotThere() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link"), Files.createDirectories(dir.resolve("target")));
        FileTrees.delete(link);
        FileTrees.delete(dir.resolve("absent"));
        assertThat(Files.exists(link, LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(dir.resolve("target")).isDirectory();
    }

    @Test
    void deletesATreeHoldingAModeZeroDirectory() throws IOException {
        // overlayfs leaves its work/work directory with mode 000.
        Path work = Files.createDirectories(dir.resolve("area/work/work"));
        Files.writeString(Files.createDirectories(work.resolve("inner")).resolve("f"), "x");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("---------"));

        FileTrees.delete(dir.resolve("area"));

        assertThat(dir.resolve("area")).doesNotExist();
    }

    @Test
    @Tag("integration")
    void refusesToEnterAMountInsideTheTree() throws Exception {
        Path mountPoint = Files.createDirectories(dir.resolve("area/merged"));
        Files.writeString(dir.resolve("area/scratch"), "s");
        run("mount", "-t", "tmpfs", "tmpfs", mountPoint.toString());
        try {
            Path kept = Files.writeString(mountPoint.resolve("host-file"), "k");

            assertThatThrownBy(() -> FileTrees.delete(dir.resolve("area"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("mount point");
            assertThat(kept).hasContent("k");
            assertThatThrownBy(() -> FileTrees.delete(mountPoint)).isInstanceOf(IOException.class);
            assertThat(kept).hasContent("k");
        } finally {
            run("umount", mountPoint.toString());
        }
        FileTrees.delete(dir.resolve("area"));
        assertThat(dir.resolve("area")).doesNotExist();
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).inheritIO().start();
        assertThat(p.waitFor()).as(String.join(" ", cmd)).isZero();
    }
}
