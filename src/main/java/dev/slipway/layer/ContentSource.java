package dev.slipway.layer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Where a regular file's bytes come from when a layer is written; opened once per write. */
@FunctionalInterface
public interface ContentSource {
    InputStream open() throws IOException;

    /** The file at {@code path}, never through a symlink (a tree can change while it is read). */
    static ContentSource ofPath(Path path) {
        return () -> Files.newInputStream(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    static ContentSource ofBytes(byte[] bytes) {
        byte[] copy = bytes.clone();
        return () -> new ByteArrayInputStream(copy);
    }
}
