package dev.slipway.store;

import dev.slipway.layer.OctalEscapes;
import dev.slipway.layer.Unmount;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Mounts a killed build left behind: a step's overlay (or a bind under it) stays attached to the
 * host after its process is gone, since nothing in the kernel ties a mount to the process that made it.
 */
final class StaleMounts {
    private static final String MOUNTINFO = "/proc/self/mountinfo";

    private StaleMounts() {
    }

    /** Mount points strictly inside any of {@code dirs}, deepest first (so inner mounts go before outer ones). */
    static List<Path> under(List<Path> dirs) {
        byte[] mountinfo = readMountinfo();
        boolean named = false;
        for (Path d : dirs) {
            byte[] prefix = escapedPrefix(realPath(d).toString());
            named |= prefix == null || contains(mountinfo, prefix);
        }
        if (!named) {
            // No line names a path inside any of the directories (the kernel writes the mount point
            // escaped so, and the same bytes would stand in any other field): nothing to parse, which
            // is what every open of a store without leftovers finds.
            return List.of();
        }
        return under(dirs, lines(new String(mountinfo, StandardCharsets.ISO_8859_1)));
    }

    /**
     * {@code dir + "/"} as mountinfo writes the start of a path inside it: space, tab, newline and
     * backslash as octal escapes. Null for a path outside ASCII, whose bytes the caller does not guess.
     */
    static byte[] escapedPrefix(String dir) {
        StringBuilder s = new StringBuilder(dir.length() + 8);
        for (int i = 0; i < dir.length(); i++) {
            char c = dir.charAt(i);
            if (c >= 0x80) {
                return null;
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\\') {
                s.append('\\').append((char) ('0' + (c >> 6))).append((char) ('0' + ((c >> 3) & 7)))
                        .append((char) ('0' + (c & 7)));
            } else {
                s.append(c);
            }
        }
        if (s.length() == 0 || s.charAt(s.length() - 1) != '/') {
            s.append('/');
        }
        return s.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Whether {@code needle} occurs in {@code haystack}. */
    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
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
        if (found.isEmpty()) {
            // As every open of a store without leftovers: no stream (whose set-up costs a short command
            // more than the whole check) and no comparator lambdas.
            return List.of();
        }
        if (found.size() > 1) {
            found.sort(Comparator.comparingInt(Path::getNameCount).reversed().thenComparing(Comparator.naturalOrder()));
        }
        return List.copyOf(new LinkedHashSet<>(found));
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
        return Unmount.withTool(point, StaleMounts::run, StaleMounts::run);
    }

    private static boolean run(List<String> argv) {
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

    /** The bytes of /proc/self/mountinfo; none without /proc (then nothing can be listed, so nothing is unmounted). */
    private static byte[] readMountinfo() {
        try (InputStream in = new FileInputStream(MOUNTINFO)) {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** The lines of {@code text} as {@link Files#readAllLines} splits them (at \n, \r or \r\n). */
    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                lines.add(text.substring(start, i));
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < text.length()) {
            lines.add(text.substring(start));
        }
        return lines;
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
