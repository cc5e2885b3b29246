package dev.slipway.build.exec;

import dev.slipway.SlipwayException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a path inside a root filesystem the way a process chrooted there would see it, like
 * BuildKit's {@code fs.RootPath}: symlinks are followed, but an absolute link restarts at the root
 * and {@code ..} stops there, so a hostile image or build context cannot point the host at its own
 * files. The one walker behind RUN's mounts and working directory, COPY's sources and destinations.
 */
public final class RootPath {
    private static final int MAX_LINKS = 255;

    private RootPath() {
    }

    /** What a walk does with each component it reaches, before following it if it is a symlink. */
    @FunctionalInterface
    public interface Check {
        /**
         * Decides about {@code rel} (the resolved components so far, slash-joined), whose host path is
         * {@code host} and whose attributes, not following a final symlink, are {@code attrs} (null when
         * absent); {@code more} says whether components follow. Returns false to end the walk without a
         * result; may create the component, or throw to refuse the path.
         */
        boolean accept(String rel, Path host, BasicFileAttributes attrs, boolean more) throws IOException;
    }

    /**
     * The resolved components (relative to the root, no symlink among them) of {@code path}, with
     * {@code check} asked about each component on the way; null when it ended the walk.
     */
    public static List<String> walk(Path root, String path, Check check) throws IOException {
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
            BasicFileAttributes a = lstat(host);
            if (!check.accept(String.join("/", done), host, a, !todo.isEmpty())) {
                return null;
            }
            if (a != null && a.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw new SlipwayException("too many levels of symbolic links: " + absolute(path));
                }
                String target = Files.readSymbolicLink(host).toString();
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

    /** The resolved components (relative to the root) of {@code path}; missing components are kept as named. */
    public static List<String> resolve(Path root, String path) {
        try {
            return walk(root, path, (rel, host, attrs, more) -> true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resolve " + absolute(path) + ": " + e.getMessage(), e);
        }
    }

    /** The host path of {@code path} inside {@code root}, symlinks resolved within the root. */
    public static Path host(Path root, String path) {
        return join(root, resolve(root, path));
    }

    public static Path join(Path root, List<String> components) {
        Path p = root;
        for (String c : components) {
            p = p.resolve(c);
        }
        return p;
    }

    /** The components of a slash-separated path, without empty and {@code .} ones ({@code ..} kept). */
    public static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty() && !c.equals(".")) {
                out.add(c);
            }
        }
        return out;
    }

    /** The attributes of {@code p}, not following a final symlink; null when it does not exist. */
    public static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return null;
        }
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }

    private static String absolute(String path) {
        return path.startsWith("/") ? path : "/" + path;
    }
}
