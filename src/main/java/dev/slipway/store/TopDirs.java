package dev.slipway.store;

import dev.slipway.layer.Syscalls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Marks the store's directories whose subdirectories are unrelated trees (the root; {@code tmp/},
 * where each step's scratch area and each layer being unpacked is made; {@code cache-mounts/}) with
 * ext4's TOPDIR inode flag, what {@code chattr +T} sets.
 *
 * <p>Why: ext4 mounted without a journal does not hand out an inode freed in the last minute (six
 * while its inode table block is unwritten): every allocation scans the group's bitmap from the
 * start and looks up each free inode's deletion time ({@code recently_deleted()} in
 * {@code fs/ext4/ialloc.c}). A file goes into its directory's group and a subdirectory, by the Orlov
 * allocator, near its parent; so a store made where a previous one was just deleted put every new
 * file among thousands of just-freed inodes, up to a millisecond per file. Under a TOPDIR directory
 * Orlov places each new subdirectory in a lightly used group instead, away from what was freed.
 *
 * <p>The flag is only a placement hint and is set through the native library: file systems without it
 * (tmpfs, xfs, btrfs, overlay) refuse it, which is ignored. Without the library nothing is marked:
 * whether a directory carries the flag can only be learnt by forking lsattr, and forking chattr on
 * every build to be sure would cost more than it saves on most hosts, which have a journal.
 */
public final class TopDirs {
    /** Stores already prepared by this process: the check costs an open and an ioctl per directory. */
    private static final Set<Path> PREPARED = ConcurrentHashMap.newKeySet();

    /** Sets the flag on one directory; throws when the file system refuses. */
    @FunctionalInterface
    interface Marker {
        void mark(Path dir) throws IOException;
    }

    private static final Marker NATIVE = dir -> {
        if (Syscalls.available()) {
            Syscalls.setTopDir(dir);
        }
    };

    private TopDirs() {
    }

    /**
     * Before the first per-step directory this process makes in {@code root}: creates {@code tmp/} when
     * missing and marks the root, {@code tmp/} and {@code cache-mounts/} (when there), which also
     * marks a store made before Slipway set the flag.
     */
    static void prepare(StoreRoot root) {
        prepare(root, NATIVE);
    }

    static void prepare(StoreRoot root, Marker marker) {
        if (!PREPARED.add(root.dir())) {
            return;
        }
        AtomicFiles.createDirectories(root.tmp());
        for (Path dir : root.topDirs()) {
            if (Files.isDirectory(dir)) {
                mark(dir, marker);
            }
        }
    }

    /** Creates directory {@code dir} (and its parents) when missing and marks it; an existing one is left as it is. */
    public static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        mark(dir, NATIVE);
    }

    /** Whether {@code dir} was marked; a refusal is no error, since the flag only guides placement. */
    static boolean mark(Path dir, Marker marker) {
        try {
            marker.mark(dir);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
