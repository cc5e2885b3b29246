package dev.slipway.store;

import dev.slipway.layer.OctalEscapes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mounts a killed build left behind: a step's overlay (or a bind under it) stays attached to the
 * host after its process is gone, since nothing in the kernel ties a mount to the process that made it.
 */
final class StaleMounts {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private StaleMounts() {
    }

    /** Mount points strictly inside any of {@code dirs}, deepest first (so inner mounts go before outer ones). */
    static List<Path> under(List<Path> dirs) {
        return under(dirs, readMountinfo());
    }

    static List<Path> under(List<Path> dirs, List<String> mountinfo) {
        List<Path> real = new ArrayList<>();
        for (Path d : dirs) {
            real.add(realPath(d));
        }
        List<Path> found = new ArrayList<>();
        for (String line : mountinfo) {
            Path point = mountPoint(line);
            if (point == null) {
                continue;
            }
            for (Path d : real) {
                if (point.startsWith(d) && !point.equals(d)) {
                    found.add(point);
                    break;
                }
            }
        }
        if (found.size() > 1) {
            // Only then: the comparator's lambdas cost a start that has nothing to sort a few ms.
            found.sort(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Comparator.naturalOrder()));
        }
        return found.stream().distinct().toList();
    }

    /** Field 5 of a mountinfo line, with the kernel's octal escapes (space, tab, newline, backslash) undone. */
    static Path mountPoint(String line) {
        String[] fields = line.split(" ");
        if (fields.length < 5 || !fields[4].startsWith("/")) {
            return null;
        }
        return Path.of(OctalEscapes.decode(fields[4]));
    }

    /**
     * Detaches {@code point}; a mount still busy (a runtime process of the dead build may hold it) is
     * detached lazily, which frees it once its last user goes. Returns whether it is gone.
     */
    static boolean unmount(Path point) {
        return run("umount", point.toString()) || run("umount", "--lazy", point.toString());
    }

    private static boolean run(String... argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String> readMountinfo() {
        try {
            // One char per byte, as OctalEscapes wants; it decodes the path to UTF-8.
            return Files.readAllLines(MOUNTINFO, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            // No /proc: nothing can be listed, so nothing is unmounted.
            return List.of();
        }
    }

    private static Path realPath(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        try {
            return abs.toRealPath();
        } catch (IOException e) {
            return abs;
        }
    }
}
