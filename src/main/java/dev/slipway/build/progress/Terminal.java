package dev.slipway.build.progress;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The terminal Slipway runs in: whether a standard stream is one, how big it is, whether colors
 * are welcome. Linux only, as the rest of Slipway: a stream is a terminal when its file descriptor
 * links to {@code /dev/pts/N} or {@code /dev/ttyN}.
 */
public final class Terminal {
    /** The size of a terminal in character cells. */
    public record Size(int columns, int rows) {
        public static final Size DEFAULT = new Size(80, 24);
    }

    private static volatile Size cached;

    private Terminal() {
    }

    /** Whether file descriptor {@code fd} of this process (1 stdout, 2 stderr) is a terminal that can draw. */
    public static boolean isTerminal(int fd) {
        String term = System.getenv("TERM");
        if (term == null || term.isEmpty() || term.equals("dumb")) {
            return false;
        }
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Whether to color text: yes unless {@code NO_COLOR} is set (no-color.org). */
    public static boolean colors() {
        String noColor = System.getenv("NO_COLOR");
        return noColor == null || noColor.isEmpty();
    }

    /**
     * The terminal's size: {@code COLUMNS} and {@code LINES} when set, else what {@code stty size}
     * says of {@code /dev/tty}, else 80x24. Asked once, and again after the window changes size.
     */
    public static Size size() {
        Size s = cached;
        if (s == null) {
            s = measure();
            cached = s;
        }
        return s;
    }

    /** Forgets the size when the window is resized (SIGWINCH), so the next frame measures again. */
    public static void watchResize() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), sig -> cached = null);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            // No SIGWINCH here: the size read at the start stays.
        }
    }

    static Size measure() {
        Integer columns = positive(System.getenv("COLUMNS"));
        Integer rows = positive(System.getenv("LINES"));
        if (columns != null && rows != null) {
            return new Size(columns, rows);
        }
        Size stty = stty();
        if (stty != null) {
            return new Size(columns != null ? columns : stty.columns(), rows != null ? rows : stty.rows());
        }
        return new Size(columns != null ? columns : Size.DEFAULT.columns(), rows != null ? rows : Size.DEFAULT.rows());
    }

    private static Size stty() {
        File tty = new File("/dev/tty");
        if (!tty.canRead()) {
            return null;
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(tty)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(2, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return null;
            }
            return parseStty(out);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** {@code stty size} prints "ROWS COLUMNS"; a zero (a pty nobody sized) counts as unknown. */
    static Size parseStty(String out) {
        String[] parts = out.strip().split("\\s+");
        if (parts.length != 2) {
            return null;
        }
        Integer rows = positive(parts[0]);
        Integer columns = positive(parts[1]);
        return rows == null || columns == null ? null : new Size(columns, rows);
    }

    private static Integer positive(String s) {
        if (s == null) {
            return null;
        }
        try {
            int v = Integer.parseInt(s.strip());
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
