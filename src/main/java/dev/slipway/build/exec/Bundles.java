package dev.slipway.build.exec;

import dev.slipway.build.snapshot.HostCommand;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * The runtime bundles of an executor, kept between runs. A bundle directory with its host files
 * (hosts, resolv.conf, hostname) and config.json used to be made and removed for every RUN step:
 * a dozen file creations and deletions each time, on a file system that may be slow to allocate
 * inodes it has just freed. A run now takes an idle bundle (or a new one when all are in use, as
 * with parallel stages), rewrites only the files whose content changed, and gives it back when
 * its process is gone; {@link #clear} removes the idle ones when no run is in flight.
 */
final class Bundles {
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r--r--");

    private final Path dir;
    private final ConcurrentLinkedDeque<Bundle> idle = new ConcurrentLinkedDeque<>();

    /** @param dir where the bundle directories go ({@code <stateDir>/bundles}) */
    Bundles(Path dir) {
        this.dir = dir.toAbsolutePath();
    }

    /** An idle bundle, else a new empty one; the caller owns it until {@link #release}. */
    Bundle take() {
        Bundle b = idle.pollFirst();
        if (b != null) {
            return b;
        }
        Path p = dir.resolve(Sandbox.newId());
        try {
            Files.createDirectories(dir);
            Files.createDirectory(p);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a bundle in " + dir + ": " + e.getMessage(), e);
        }
        return new Bundle(p);
    }

    /** Gives {@code b} back for a later run once nothing uses it; a bundle in doubt is removed instead. */
    void release(Bundle b, boolean reusable) {
        if (reusable) {
            idle.addFirst(b);
        } else {
            HostCommand.deleteTree(b.dir());
        }
    }

    /** Removes the idle bundles (a run in flight keeps its own). */
    void clear() {
        for (Bundle b; (b = idle.pollFirst()) != null; ) {
            HostCommand.deleteTree(b.dir());
        }
    }

    /** One bundle directory and what its files hold. */
    static final class Bundle {
        private final Path dir;
        private final Map<String, String> written = new HashMap<>();

        private Bundle(Path dir) {
            this.dir = dir;
        }

        Path dir() {
            return dir;
        }

        /**
         * {@code name} in the bundle holding {@code content} (mode 0644), written only when it held
         * something else: a file bind-mounted into the container is rewritten in place, never while
         * a run uses it, since a bundle serves one run at a time.
         */
        Path write(String name, String content) throws IOException {
            Path p = dir.resolve(name);
            if (!content.equals(written.get(name))) {
                // Rewriting a file keeps its mode: only a file this bundle has not written yet needs it set.
                boolean existed = written.remove(name) != null;
                Files.writeString(p, content, StandardCharsets.UTF_8);
                if (!existed) {
                    Files.setPosixFilePermissions(p, FILE_MODE);
                }
                written.put(name, content);
            }
            return p;
        }
    }
}
