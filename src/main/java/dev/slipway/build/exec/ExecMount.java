package dev.slipway.build.exec;

import java.nio.file.Path;

/** An extra mount for a step (what {@code RUN --mount} options map onto). */
public sealed interface ExecMount {

    /** The absolute path inside the container. */
    String target();

    /** A host file or directory bind-mounted at {@code target}. */
    record Bind(Path source, String target, boolean readOnly) implements ExecMount {
    }

    /** A fresh tmpfs; {@code sizeBytes} 0 means the kernel's default. */
    record Tmpfs(String target, long sizeBytes) implements ExecMount {
    }

    /**
     * A secret file: copied into a private tmpfs outside the rootfs with the given owner and
     * mode and bind-mounted read-only, so its content never reaches a layer.
     */
    record Secret(Path source, String target, int uid, int gid, int mode) implements ExecMount {
    }
}
