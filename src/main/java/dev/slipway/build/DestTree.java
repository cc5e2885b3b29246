package dev.slipway.build;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The destination root of a COPY. Paths are resolved like BuildKit's {@code fs.RootPath}:
 * symlinks already in the destination are followed, but only inside the root. Missing
 * directories on the way are created with mode 0755, owned by the --chown user (or root), as
 * BuildKit's {@code MkdirAll} does.
 */
final class DestTree {
    private static final int MAX_LINKS = 255;
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    private final Path root;
    private final FileCopier.Owner creator;

    DestTree(Path root, FileCopier.Owner creator) {
        try {
            this.root = root.toRealPath();
        } catch (IOException e) {
            throw new SlipwayException("cannot open the copy destination: " + e.getMessage(), e);
        }
        this.creator = creator;
    }

    /** The directory {@code abs}, created with its missing parents; an error when it is something else. */
    Path dir(String abs) throws IOException {
        Path p = resolve(abs, true);
        if (!Files.isDirectory(p, NOFOLLOW)) {
            throw new SlipwayException("cannot copy to non-directory: /" + SourceTree.clean(abs));
        }
        return p;
    }

    /**
     * Where a file named {@code name} copied to {@code abs} (no trailing slash) goes: into
     * {@code abs} when that is an existing directory, else {@code abs} itself.
     */
    Path fileTarget(String abs, String name) throws IOException {
        Path p = resolve(abs, false);
        return Files.isDirectory(p, NOFOLLOW) ? p.resolve(name) : p;
    }

    /**
     * The host path of {@code abs}. Parents are created; the last component too when
     * {@code createLast}. A symlink as the last component is followed.
     */
    private Path resolve(String abs, boolean createLast) throws IOException {
        Deque<String> todo = new ArrayDeque<>(SourceTree.split(abs));
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
            Path host = host(done);
            BasicFileAttributes a = lstat(host);
            if (a == null) {
                if (todo.isEmpty() && !createLast) {
                    return host;
                }
                Files.createDirectory(host);
                FileCopier.setOwner(host, creator);
                Files.setAttribute(host, "unix:mode", 0755, NOFOLLOW);
            } else if (a.isSymbolicLink()) {
                if (++links > MAX_LINKS) {
                    throw new SlipwayException("too many levels of symbolic links: /" + SourceTree.clean(abs));
                }
                String target = Files.readSymbolicLink(host).toString();
                done.remove(done.size() - 1);
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> t = SourceTree.split(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.addFirst(t.get(i));
                }
            } else if (!a.isDirectory() && !todo.isEmpty()) {
                throw new SlipwayException("cannot copy to /" + SourceTree.clean(abs) + ": /"
                        + String.join("/", done) + " is not a directory");
            }
        }
        return host(done);
    }

    private Path host(List<String> parts) {
        Path p = root;
        for (String c : parts) {
            p = p.resolve(c);
        }
        return p;
    }

    static BasicFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, NOFOLLOW);
        } catch (IOException e) {
            return null;
        }
    }
}
