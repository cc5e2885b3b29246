package dev.slipway.build.uptodate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.layer.NativeFiles;
import dev.slipway.layer.NativeLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A build record's stats are the same whether a native listing or java.nio read them. */
class FileStatTest {
    @TempDir
    Path tmp;

    @Test
    void aNativeListingGivesTheStatsJavaNioReads() throws IOException {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        Path f = Files.writeString(tmp.resolve("file"), "content");
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(1_234_567_890L, 987_654_321)));
        Files.createDirectory(tmp.resolve("dir"));
        Files.createSymbolicLink(tmp.resolve("link"), Path.of("file"));
        int seen = 0;
        for (NativeFiles.Entry e : NativeFiles.list(tmp, false)) {
            long[] fromNative = new long[FileStat.FIELDS];
            long[] fromNio = new long[FileStat.FIELDS];
            FileStat.of(e.stat(), fromNative, 0);
            FileStat.read(tmp.resolve(e.name()), false, fromNio, 0);
            assertThat(fromNative).as(e.name()).containsExactly(fromNio);
            assertThat(FileStat.hash(fromNative, 0)).isEqualTo(FileStat.hash(fromNio, 0));
            seen++;
        }
        assertThat(seen).isEqualTo(3);
    }
}
