package dev.slipway.build;

import dev.slipway.dockerfile.DockerIgnore;
import java.nio.file.Path;
import java.util.Objects;

/** Where COPY/ADD read local sources from. */
public sealed interface CopySource {

    /**
     * The build context. Paths the ignore file excludes do not exist for COPY; files are owned
     * 0:0 unless --chown says otherwise (BuildKit's client zeroes the context's owners).
     */
    record Context(Path dir, DockerIgnore ignore) implements CopySource {
        public Context {
            Objects.requireNonNull(dir, "dir");
            ignore = ignore == null ? DockerIgnore.empty() : ignore;
        }
    }

    /**
     * The read-only root filesystem of another stage or an image ({@code --from}); owners are
     * kept unless --chown says otherwise.
     */
    record Rootfs(Path root) implements CopySource {
        public Rootfs {
            Objects.requireNonNull(root, "root");
        }
    }
}
