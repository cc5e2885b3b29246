package dev.slipway.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TopDirsTest {
    @TempDir
    Path tmp;

    @Test
    void preparingMarksTheRootAndTmpAndTheCacheMountsOnlyWhenThere() {
        StoreRoot bare = new StoreRoot(tmp.resolve("bare"));
        List<Path> marked = new ArrayList<>();
        TopDirs.prepare(bare, marked::add);
        assertThat(marked).containsExactly(bare.dir(), bare.tmp());
        assertThat(bare.tmp()).isDirectory();
        assertThat(bare.cacheMounts()).doesNotExist();

        StoreRoot used = new StoreRoot(tmp.resolve("used"));
        AtomicFiles.createDirectories(used.cacheMounts());
        List<Path> markedToo = new ArrayList<>();
        TopDirs.prepare(used, markedToo::add);
        assertThat(markedToo).containsExactly(used.dir(), used.tmp(), used.cacheMounts());
    }

    @Test
    void aStoreIsPreparedOncePerProcess() {
        StoreRoot root = new StoreRoot(tmp.resolve("store"));
        List<Path> marked = new ArrayList<>();
        TopDirs.prepare(root, marked::add);
        TopDirs.prepare(root, marked::add);
        TopDirs.prepare(new StoreRoot(tmp.resolve("store")), marked::add);
        assertThat(marked).containsExactly(root.dir(), root.tmp());
    }

    @Test
    void aFileSystemWithoutTheFlagIsNoError() {
        StoreRoot root = new StoreRoot(tmp.resolve("plain"));
        List<Path> tried = new ArrayList<>();
        TopDirs.prepare(root, dir -> {
            tried.add(dir);
            throw new IOException("FS_IOC_SETFLAGS " + dir + ": operation not supported");
        });
        assertThat(tried).containsExactly(root.dir(), root.tmp());
        assertThat(TopDirs.mark(root.tmp(), dir -> {
            throw new IOException("inappropriate ioctl for device");
        })).isFalse();
        assertThat(TopDirs.mark(root.tmp(), dir -> { })).isTrue();
    }

    @Test
    void createDirectoryMakesTheMissingParentsAndLeavesAnExistingDirectoryAlone() throws IOException {
        Path dir = tmp.resolve("a/b/cache-mounts");
        TopDirs.createDirectory(dir);
        assertThat(dir).isDirectory();
        Path inside = Files.writeString(dir.resolve("kept"), "x");
        TopDirs.createDirectory(dir);
        assertThat(inside).hasContent("x");
    }

    @Test
    void scratchDirectoriesAreNewEmptyAndInTmp() throws IOException {
        Store store = new Store(new StoreRoot(tmp.resolve("s")), Clock.systemUTC());
        Path a = store.newScratchDir("build-run");
        Path b = store.newScratchDir("build-run");
        assertThat(a).isNotEqualTo(b);
        for (Path p : List.of(a, b)) {
            assertThat(p.getParent()).isEqualTo(store.root().tmp());
            assertThat(p.getFileName().toString()).startsWith("build-run-");
            assertThat(p).isEmptyDirectory();
        }
        Files.writeString(a.resolve("left"), "x");
        assertThat(store.recover(RuntimeLeftovers.NONE)).isTrue();
        assertThat(a).doesNotExist();
    }
}
