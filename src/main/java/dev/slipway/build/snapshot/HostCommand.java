package dev.slipway.build.snapshot;

import dev.slipway.SlipwayException;
import dev.slipway.layer.FileTrees;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs a short host tool (mount, umount, mknod, getfattr) to completion and reports failures; removes scratch trees. */
public final class HostCommand {
    private HostCommand() {
    }

    /** The tool's exit code and its combined output. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs {@code args} in {@code cwd} (the host's when null) and returns whatever happened. */
    public static Result run(List<String> args, Path cwd) {
        ProcessBuilder pb = new ProcessBuilder(args).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (cwd != null) {
            pb.directory(cwd.toFile());
        }
        try {
            Process p = pb.start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            return new Result(waitUninterruptibly(p), out);
        } catch (IOException e) {
            throw new SlipwayException("cannot run " + args.get(0) + ": " + e.getMessage(), e);
        }
    }

    /** Runs {@code args} and throws with the tool's own message when it fails. */
    public static String check(List<String> args, Path cwd) {
        Result r = run(args, cwd);
        if (!r.ok()) {
            throw new SlipwayException(String.join(" ", args.subList(0, Math.min(2, args.size())))
                    + " failed (exit " + r.exitCode() + "): " + r.output().replace('\n', ' '));
        }
        return r.output();
    }

    /** Whether {@code name} is an executable on the host's PATH. */
    public static boolean onPath(String name) {
        return find(name) != null;
    }

    /** The absolute path of host tool {@code name}; an error naming it when it is missing. */
    public static String which(String name) {
        Path p = find(name);
        if (p == null) {
            throw new SlipwayException(name + " not found on this host");
        }
        return p.toString();
    }

    private static Path find(String name) {
        // sbin directories too: root's tools live there even when the caller's PATH lacks them.
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && java.nio.file.Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name);
            }
        }
        return null;
    }

    /*
     * Cleanup tools (umount, runc delete) must finish even when the calling thread is being
     * interrupted, or mounts and containers would leak.
     */
    private static int waitUninterruptibly(Process p) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return p.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Removes {@code root} and everything under it, without following symlinks or entering a mount
     * left behind by accident. In-process: an {@code rm} per scratch directory was a measurable part
     * of every RUN step.
     */
    public static void deleteTree(Path root) {
        try {
            FileTrees.delete(root);
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot remove " + root + ": " + e.getMessage(), e));
        }
    }
}
