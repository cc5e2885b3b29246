package dev.slipway.store;

import dev.slipway.SlipwayException;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Where an archive is written: a tar stream or a directory. Tar entries are reproducible: owner
 * 0:0, mode 0644 (0755 for directories), mtime 0, no user or group names, so the same images give
 * the same archive bytes.
 */
abstract class ArchiveSink implements Closeable {
    private static final int BUFFER = 1 << 16;
    private final Set<String> written = new HashSet<>();

    /** Writes a file once; later writes of the same name are skipped (blobs shared by images). */
    final void file(String name, long size, InputStream content) throws IOException {
        if (written.add(name)) {
            write(name, size, content);
        }
    }

    final void file(String name, byte[] content) throws IOException {
        file(name, content.length, new ByteArrayInputStream(content));
    }

    final void directory(String name) throws IOException {
        if (written.add(name + "/")) {
            mkdir(name);
        }
    }

    boolean contains(String name) {
        return written.contains(name);
    }

    protected abstract void write(String name, long size, InputStream content) throws IOException;

    protected abstract void mkdir(String name) throws IOException;

    /** Called when everything was written; without it, {@link #close()} discards what was written. */
    abstract void commit() throws IOException;

    static final class Tar extends ArchiveSink {
        private final TarArchiveOutputStream tar;

        Tar(OutputStream out) {
            tar = new TarArchiveOutputStream(out, BUFFER, "UTF-8");
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
        }

        @Override
        protected void write(String name, long size, InputStream content) throws IOException {
            TarArchiveEntry entry = entry(name, TarArchiveEntry.DEFAULT_FILE_MODE);
            entry.setSize(size);
            tar.putArchiveEntry(entry);
            long copied = copy(content, tar, size);
            if (copied != size) {
                throw new SlipwayException("internal: " + name + " changed size while being archived");
            }
            tar.closeArchiveEntry();
        }

        @Override
        protected void mkdir(String name) throws IOException {
            tar.putArchiveEntry(entry(name + "/", TarArchiveEntry.DEFAULT_DIR_MODE));
            tar.closeArchiveEntry();
        }

        private static TarArchiveEntry entry(String name, int mode) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setMode(mode);
            entry.setModTime(0L);
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("");
            entry.setGroupName("");
            return entry;
        }

        @Override
        void commit() throws IOException {
            tar.finish();
            tar.flush();
        }

        @Override
        public void close() throws IOException {
            tar.close();
        }
    }

    /** A directory, written straight into place; the caller guarantees it was empty. */
    static final class Directory extends ArchiveSink {
        private final Path root;

        Directory(Path root) {
            this.root = root;
        }

        @Override
        protected void write(String name, long size, InputStream content) throws IOException {
            Path target = root.resolve(name);
            Files.createDirectories(target.getParent());
            try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE)) {
                copy(content, out, size);
            }
        }

        @Override
        protected void mkdir(String name) throws IOException {
            Files.createDirectories(root.resolve(name));
        }

        @Override
        void commit() {
        }

        @Override
        public void close() {
        }
    }

    private static long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[BUFFER];
        long total = 0;
        for (int n; total < limit && (n = in.read(buf, 0, (int) Math.min(buf.length, limit - total))) > 0; ) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }
}
