package dev.slipway.store;

import dev.slipway.image.Digest;
import dev.slipway.layer.Syscalls;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The store's directories carry ext4's TOPDIR flag, as lsattr(1) sees it; on tmpfs, which has no such
 * flag, the store works the same. Needs root (to mount the tmpfs), the native library and a temp
 * directory on ext4, as on the CI host.
 */
@Tag("integration")
class TopDirsIntegrationTest {
    private static final Digest LAYER = Digest.sha256("one layer".getBytes(StandardCharsets.UTF_8));

    @TempDir
    Path tmp;

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
        return out;
    }

    /** The attribute letters lsattr prints for directory {@code dir} itself. */
    private static String attributes(Path dir) throws IOException, InterruptedException {
        return run("lsattr", "-d", dir.toString()).trim().split("\\s+")[0];
    }

    /** What a first build does to a store: unpacks its base layer, then makes a step's scratch area. */
    private static void firstBuildSteps(Store store) throws IOException {
        store.layers().unpack(LAYER, dir -> Files.writeString(dir.resolve("file"), "x"));
        Path area = store.newScratchDir("build-run");
        Files.createDirectories(area.resolve("upper/etc"));
        TopDirs.createDirectory(store.root().cacheMounts());
    }

    private void assertOnExt4() throws IOException {
        assertThat(Files.getFileStore(tmp).type()).as("the temp directory's file system").isEqualTo("ext4");
        assertThat(Syscalls.available()).as("native helpers built (cc installed)").isTrue();
    }

    @Test
    void aNewStoresParentDirectoriesCarryTheFlag() throws Exception {
        assertOnExt4();
        Store store = Store.open(tmp.resolve("store"));
        firstBuildSteps(store);
        StoreRoot root = store.root();
        for (Path dir : List.of(root.dir(), root.tmp(), root.cacheMounts())) {
            assertThat(attributes(dir)).as(dir.toString()).contains("T");
        }
        // Not inherited: a layer's own directories are one tree and stay together.
        assertThat(attributes(store.layers().path(LAYER))).doesNotContain("T");
        assertThat(attributes(root.layers())).doesNotContain("T");
    }

    @Test
    void aStoreMadeWithoutTheFlagGetsIt() throws Exception {
        assertOnExt4();
        StoreRoot root = new StoreRoot(tmp.resolve("old-store"));
        Files.createDirectories(root.tmp());
        Files.createDirectories(root.cacheMounts());
        for (Path dir : root.topDirs()) {
            assertThat(attributes(dir)).doesNotContain("T");
        }
        new Store(root, Clock.systemUTC()).newScratchDir("build-copy");
        for (Path dir : root.topDirs()) {
            assertThat(attributes(dir)).as(dir.toString()).contains("T");
        }
    }

    @Test
    void theFlagIsSetOnceThenFoundSet() throws Exception {
        assertOnExt4();
        Path dir = Files.createDirectory(tmp.resolve("d"));
        assertThat(Syscalls.setTopDir(dir)).isTrue();
        assertThat(Syscalls.setTopDir(dir)).isFalse();
        assertThat(attributes(dir)).contains("T");
    }

    @Test
    void aStoreOnTmpfsWorksWithoutTheFlag() throws Exception {
        assertThat(Syscalls.available()).as("native helpers built (cc installed)").isTrue();
        Path mount = Files.createDirectory(tmp.resolve("tmpfs"));
        run("mount", "-t", "tmpfs", "-o", "size=16m", "slipway-topdir-test", mount.toString());
        try {
            assertThat(Files.getFileStore(mount).type()).isEqualTo("tmpfs");
            assertThatThrownBy(() -> Syscalls.setTopDir(mount)).isInstanceOf(Syscalls.Failure.class);

            Store store = Store.open(mount.resolve("store"));
            firstBuildSteps(store);
            assertThat(store.layers().path(LAYER).resolve("file")).hasContent("x");
            List<Path> scratch = new ArrayList<>();
            try (var entries = Files.list(store.root().tmp())) {
                entries.forEach(scratch::add);
            }
            assertThat(scratch).singleElement().satisfies(p -> assertThat(p.getFileName().toString()).startsWith("build-run-"));
            assertThat(store.root().cacheMounts()).isDirectory();
        } finally {
            run("umount", "-l", mount.toString());
        }
    }
}
