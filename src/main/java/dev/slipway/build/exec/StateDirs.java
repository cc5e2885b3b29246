package dev.slipway.build.exec;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * The runtime's state directories as the store's recovery check sees them on every build: apart
 * from {@link Sandbox}, so that the check loads and initialises nothing a build without a RUN step
 * would not.
 */
final class StateDirs {
    private StateDirs() {
    }

    /** Whether {@code dir} (not followed when a symlink) is a directory with any entry; one entry read at most. */
    static boolean hasEntries(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return s.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }
}
