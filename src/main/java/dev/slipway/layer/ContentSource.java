package dev.slipway.layer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.commons.io.input.BoundedInputStream;

/** Where a regular file's bytes come from when a layer is written; opened once per write. */
@FunctionalInterface
public interface ContentSource {
    InputStream open() throws IOException;

    /**
     * The file at {@code path}, never through a symlink (a tree can change while it is read). A
     * small file is read whole in one native call where {@link NativeFiles} is available: a layer
     * of thousands of small files spent more on opening streams than on reading them.
     */
    static ContentSource ofPath(Path path) {
        return () -> {
            byte[] whole = NativeFiles.available() ? NativeFiles.readSmall(path, NativeFiles.WHOLE_READ) : null;
            return whole != null ? new ByteArrayInputStream(whole)
                    : Files.newInputStream(path, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        };
    }

    /** {@code length} bytes of {@code file} from {@code offset}: one file spooled among others. */
    static ContentSource ofRange(Path file, long offset, long length) {
        return () -> {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            return BoundedInputStream.builder().setInputStream(Channels.newInputStream(channel)).setMaxCount(length).get();
        };
    }

    static ContentSource ofBytes(byte[] bytes) {
        byte[] copy = bytes.clone();
        return () -> new ByteArrayInputStream(copy);
    }
}
