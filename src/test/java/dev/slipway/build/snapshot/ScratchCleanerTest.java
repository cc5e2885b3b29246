package dev.slipway.build.snapshot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

class ScratchCleanerTest {
    @TempDir
    Path tmp;

    private Path tree(String name) throws IOException {
        Path root = Files.createDirectories(tmp.resolve(name));
        Files.writeString(Files.createDirectories(root.resolve("a/b")).resolve("f"), "x");
        // overlayfs leaves its work/work directory with mode 000.
        Path locked = Files.createDirectories(root.resolve("work/work"));
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        return root;
    }

    @Test
    void everyHandedOverTreeIsGoneOnceClosed() throws IOException {
        Path one = tree("one");
        Path two = tree("two");
        try (ScratchCleaner cleaner = new ScratchCleaner()) {
            cleaner.remove(one);
            cleaner.remove(two);
        }
        assertThat(one).doesNotExist();
        assertThat(two).doesNotExist();
        assertThat(tmp).isDirectory();
    }

    @Test
    void aFailedRemovalDoesNotStopTheOnesAfterIt() throws IOException {
        Path file = Files.writeString(tmp.resolve("plain"), "x");
        Path missingParent = tmp.resolve("no/such/dir");
        Path after = tree("after");
        try (ScratchCleaner cleaner = new ScratchCleaner()) {
            cleaner.remove(missingParent);
            cleaner.remove(file);
            cleaner.remove(after);
        }
        assertThat(file).doesNotExist();
        assertThat(after).doesNotExist();
    }

    @Test
    void aRemovalAfterCloseHappensAtOnce() throws IOException {
        Path late = tree("late");
        ScratchCleaner cleaner = new ScratchCleaner();
        cleaner.close();
        cleaner.remove(late);
        assertThat(late).doesNotExist();
    }
}
