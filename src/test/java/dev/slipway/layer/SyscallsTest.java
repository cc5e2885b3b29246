package dev.slipway.layer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyscallsTest {
    @TempDir
    Path tmp;

    @Test
    void theLibraryIsBuiltAndLoadedWhereverACompilerIs() throws IOException {
        if (!NativeLibrary.compilerOnPath()) {
            // build.sh skipped it: everything must go through the host tools.
            assertThat(Syscalls.available()).isFalse();
            return;
        }
        assertThat(Syscalls.available()).isTrue();
        Path f = Files.writeString(tmp.resolve("f"), "x");
        byte[] value = "v\0with nul".getBytes(StandardCharsets.ISO_8859_1);
        Syscalls.setXattr(f, "user.slipway.test", value);
        Syscalls.setXattr(f, "user.slipway.empty", new byte[0]);
        assertThat(Syscalls.listXattrs(f)).contains("user.slipway.test", "user.slipway.empty");
        assertThat(Syscalls.getXattr(f, "user.slipway.test")).isEqualTo(value);
        assertThat(Syscalls.getXattr(f, "user.slipway.empty")).isEmpty();
        assertThat(Syscalls.getXattr(f, "user.slipway.absent")).isNull();
        assertThatThrownBy(() -> Syscalls.listXattrs(tmp.resolve("missing")))
                .isInstanceOf(Syscalls.Failure.class).hasMessageContaining("no such file or directory")
                .satisfies(e -> assertThat(((Syscalls.Failure) e).errno()).isEqualTo(2));
    }

    @Test
    void aLargeValueComesBackWhole() throws IOException {
        if (!Syscalls.available()) {
            assertThat(NativeLibrary.compilerOnPath()).isFalse();
            return;
        }
        Path f = Files.writeString(tmp.resolve("f"), "x");
        byte[] big = new byte[3000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 7);
        }
        Syscalls.setXattr(f, "user.slipway.big", big);
        assertThat(Syscalls.getXattr(f, "user.slipway.big")).isEqualTo(big);
    }

    @Test
    void theTopDirFlagIsRefusedWhereThereIsNoDirectory() throws IOException {
        if (!Syscalls.available()) {
            assertThat(NativeLibrary.compilerOnPath()).isFalse();
            return;
        }
        Path f = Files.writeString(tmp.resolve("f"), "x");
        assertThatThrownBy(() -> Syscalls.setTopDir(f))
                .isInstanceOf(Syscalls.Failure.class).hasMessageContaining("not a directory")
                .satisfies(e -> assertThat(((Syscalls.Failure) e).errno()).isEqualTo(20));
        assertThatThrownBy(() -> Syscalls.setTopDir(tmp.resolve("missing")))
                .isInstanceOf(Syscalls.Failure.class)
                .satisfies(e -> assertThat(((Syscalls.Failure) e).errno()).isEqualTo(2));
    }
}
