package dev.slipway.build.exec;

import dev.slipway.SlipwayException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a root filesystem the way the container would see it: symlinks are
 * followed, but an absolute link or {@code ..} never leads above the root, so a hostile image
 * cannot point the host at its own files.
 */
final class RootPath {
    private static final int MAX_LINKS = 255;

    private RootPath() {
    }

    /** The resolved components (relative to the root) of {@code path}. */
    static List<String> resolve(Path root, String path) {
        Deque<String> todo = new ArrayDeque<>(split(path));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String c = todo.pollFirst();
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(c);
            Path host = join(root, done);
            if (Files.isSymbolicLink(host)) {
                if (++links > MAX_LINKS) {
                    throw new SlipwayException("too many levels of symbolic links in " + path);
                }
                String target;
                try {
                    target = Files.readSymbolicLink(host).toString();
                } catch (IOException e) {
                    throw new SlipwayException("cannot read link " + host + ": " + e.getMessage(), e);
                }
                done.remove(done.size() - 1);
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> t = split(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.addFirst(t.get(i));
                }
            }
        }
        return done;
    }

    /** The host path of {@code path} inside {@code root}, symlinks resolved within the root. */
    static Path host(Path root, String path) {
        return join(root, resolve(root, path));
    }

    static Path join(Path root, List<String> components) {
        Path p = root;
        for (String c : components) {
            p = p.resolve(c);
        }
        return p;
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
