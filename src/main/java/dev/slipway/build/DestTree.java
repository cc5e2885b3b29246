package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.exec.RootPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The destination root of a COPY. Paths are resolved like BuildKit's {@code fs.RootPath}:
 * symlinks already in the destination are followed, but only inside the root. Missing
 * directories on the way are created with mode 0755, owned by the --chown user (or root), as
 * BuildKit's {@code MkdirAll} does.
 */
final class DestTree {
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
        return RootPath.join(root, RootPath.walk(root, abs, (rel, host, a, more) -> {
            if (a == null) {
                if (more || createLast) {
                    Files.createDirectory(host);
                    FileCopier.setOwner(host, creator);
                    Files.setAttribute(host, "unix:mode", 0755, NOFOLLOW);
                }
            } else if (!a.isSymbolicLink() && !a.isDirectory() && more) {
                throw new SlipwayException("cannot copy to /" + SourceTree.clean(abs) + ": /" + rel + " is not a directory");
            }
            return true;
        }));
    }
}
