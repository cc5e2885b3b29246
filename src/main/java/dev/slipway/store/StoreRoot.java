package dev.slipway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a store lives on disk, and the layout inside it:
 * <pre>
 *   blobs/sha256/HEX     content-addressed blobs (manifests, configs, layer tars)
 *   layers/HEX           each layer unpacked once, named by its diffID
 *   refs.json            name:tag → manifest digest
 *   cache/HEX.json       build cache records, each naming the blobs and layers it keeps alive
 *   cache/stat-memo/     content digests of context files by stat (StatMemo)
 *   cache/builds/        records of finished builds for the up-to-date check (BuildRecordFiles)
 *   tmp/                 files and directories being written; anything here is garbage to prune
 *   exec/                the runtime's state and bundles while steps run (overlay mounts live in tmp/)
 *   cache-mounts/        the directories of RUN --mount=type=cache, kept between builds
 *   gc.lock, refs.lock   file locks shared by all Slipway processes on this store
 * </pre>
 * Temporary files live inside the store so that renaming them into place never crosses a file system.
 * The root, tmp/ and cache-mounts/ carry ext4's TOPDIR flag where it exists ({@link TopDirs}).
 */
public record StoreRoot(Path dir) {

    /** {@code --root}, else {@code $SLIPWAY_ROOT}, else the default for the current user. */
    public static StoreRoot resolve(Path option) {
        if (option != null) {
            // Without the environment map and the uid look-up, which only the defaults need and
            // which cost a short command a few ms.
            return new StoreRoot(option.toAbsolutePath());
        }
        return resolve(null, System.getenv(), isSuperuser(), Path.of(System.getProperty("user.home")));
    }

    static StoreRoot resolve(Path option, Map<String, String> env, boolean superuser, Path home) {
        if (option != null) {
            return resolve(option);
        }
        String fromEnv = env.get("SLIPWAY_ROOT");
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return new StoreRoot(Path.of(fromEnv).toAbsolutePath());
        }
        return new StoreRoot(superuser ? Path.of("/var/lib/slipway") : home.resolve(".local/share/slipway"));
    }

    private static boolean isSuperuser() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    public Path blobs() {
        return dir.resolve("blobs").resolve("sha256");
    }

    public Path layers() {
        return dir.resolve("layers");
    }

    public Path cache() {
        return dir.resolve("cache");
    }

    public Path tmp() {
        return dir.resolve("tmp");
    }

    /** Where the build runtime keeps its state (runc's root, bundles) while steps run. */
    public Path exec() {
        return dir.resolve("exec");
    }

    public Path cacheMounts() {
        return dir.resolve("cache-mounts");
    }

    /** The directories whose subdirectories are unrelated trees, to be spread over the disk ({@link TopDirs}). */
    List<Path> topDirs() {
        return List.of(dir, tmp(), cacheMounts());
    }

    public Path refsFile() {
        return dir.resolve("refs.json");
    }

    Path gcLock() {
        return dir.resolve("gc.lock");
    }

    Path refsLock() {
        return dir.resolve("refs.lock");
    }
}
