package dev.slipway.build.exec;

import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.build.snapshot.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A RUN step's way through this package without a container, for the launcher's class-data-sharing
 * training: the sandbox on a plain directory, the runtime bundle and its config.json, and a process
 * started and followed as runc would be, except that the process is {@code true}. The classes a
 * build's first RUN step loads (about 60, from the jar, parsed and verified: 20-40 ms of that step)
 * then come from the archive. Nothing is mounted and no namespace is made, so it runs as any user.
 */
public final class Rehearsal {
    private Rehearsal() {
    }

    /**
     * Rehearses one step in {@code dir} (created; left for the caller to remove). False when this
     * host has no {@code true} to stand in for the runtime, or the step did not end as a RUN step
     * that succeeded does.
     */
    public static boolean run(Path dir) {
        if (!HostCommand.onPath("true")) {
            return false;
        }
        Path rootfs = dir.resolve("rootfs");
        try {
            Files.createDirectories(rootfs.resolve("etc"));
            Files.writeString(rootfs.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            Files.writeString(rootfs.resolve("etc/group"), "root:x:0:\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        RuncExecutor executor = new RuncExecutor(dir.resolve("exec"), HostCommand.which("true"));
        ExecSpec spec = ExecSpec.builder(new DirectorySnapshot(rootfs), List.of("/bin/sh", "-c", "true"))
                .env(List.of("PATH=" + ExecSpec.DEFAULT_PATH)).keepDirectoryStubs(true).build();
        try {
            return executor.run(spec, OutputSink.NONE).succeeded();
        } finally {
            executor.releaseIdle();
        }
    }

    /** The step's root as a plain directory: what the process writes stays in it. */
    record DirectorySnapshot(Path rootfs) implements Snapshot {
        @Override
        public Path upperDir() {
            return rootfs;
        }

        @Override
        public void runtimeTouched(String path) {
        }

        @Override
        public Path commit() {
            return rootfs;
        }

        @Override
        public void close() {
        }
    }
}
