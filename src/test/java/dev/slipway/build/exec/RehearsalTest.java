package dev.slipway.build.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.build.snapshot.HostCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RehearsalTest {
    @TempDir
    Path dir;

    @Test
    void rehearsesAStepAndLeavesOnlyWhatARunStepKeeps() throws IOException {
        assertThat(Rehearsal.run(dir)).isTrue();
        Path rootfs = dir.resolve("rootfs");
        // The mountpoint files are the runtime's, gone after the run; the directory stubs stay, as in a RUN step.
        for (String file : List.of("etc/hosts", "etc/resolv.conf", "etc/hostname")) {
            assertThat(rootfs.resolve(file)).doesNotExist();
        }
        for (String stub : List.of("proc", "dev", "sys")) {
            assertThat(Files.isDirectory(rootfs.resolve(stub), LinkOption.NOFOLLOW_LINKS)).as(stub).isTrue();
        }
        // The bundle was handed back as a finished run's and then released.
        try (var bundles = Files.list(dir.resolve("exec/bundles"))) {
            assertThat(bundles).isEmpty();
        }
    }

    @Test
    void aRuntimeThatFailsFailsTheStep() throws IOException {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        Files.writeString(rootfs.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        RuncExecutor executor = new RuncExecutor(dir.resolve("exec"), HostCommand.which("false"));
        ExecSpec spec = ExecSpec.builder(new Rehearsal.DirectorySnapshot(dir.resolve("rootfs")),
                List.of("/bin/sh", "-c", "true")).build();
        ExecResult result = executor.run(spec, OutputSink.NONE);
        assertThat(result.succeeded()).isFalse();
        assertThat(result.exitCode()).isEqualTo(1);
    }
}
