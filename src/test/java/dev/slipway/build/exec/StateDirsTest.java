package dev.slipway.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDirsTest {
    @TempDir
    Path tmp;

    @Test
    void aDirectoryHasEntriesOnlyOnceSomethingIsInIt() throws Exception {
        Path runc = Files.createDirectories(tmp.resolve("runc"));
        assertThat(StateDirs.hasEntries(runc)).isFalse();
        Files.createDirectory(runc.resolve("slipway-0123456789abcdef"));
        assertThat(StateDirs.hasEntries(runc)).isTrue();
    }

    @Test
    void aMissingPathAFileAndASymlinkHaveNone() throws Exception {
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("entry"), "x");
        assertThat(StateDirs.hasEntries(tmp.resolve("absent"))).isFalse();
        assertThat(StateDirs.hasEntries(full.resolve("entry"))).isFalse();
        assertThat(StateDirs.hasEntries(Files.createSymbolicLink(tmp.resolve("link"), full))).isFalse();
    }
}
