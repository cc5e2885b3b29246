package dev.slipway.layer;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Unmounting, in-process or through the umount tool. A mount still busy (a process of the build
 * may hold it) is detached lazily rather than left attached forever: the kernel frees it once its
 * last user goes.
 */
public final class Unmount {
    private Unmount() {
    }

    /** umount2(2) of {@code target}, then with {@link Syscalls#MNT_DETACH} if that fails; throws the second failure. */
    public static void inProcess(Path target) throws Syscalls.Failure {
        try {
            Syscalls.umount(target, 0);
        } catch (Syscalls.Failure e) {
            Syscalls.umount(target, Syscalls.MNT_DETACH);
        }
    }

    /** The umount tool's command line for {@code target}. */
    public static List<String> command(Path target) {
        return List.of("umount", target.toString());
    }

    /** The umount tool's command line that detaches {@code target} lazily. */
    public static List<String> lazyCommand(Path target) {
        return List.of("umount", "--lazy", target.toString());
    }

    /**
     * Runs {@link #command} through {@code plain} and, only if that reports failure,
     * {@link #lazyCommand} through {@code lazy}. Returns whether the last one run succeeded; either
     * runner may throw instead, and that reaches the caller.
     */
    public static boolean withTool(Path target, Predicate<List<String>> plain, Predicate<List<String>> lazy) {
        return plain.test(command(target)) || lazy.test(lazyCommand(target));
    }
}
