package dev.slipway.store;

import dev.slipway.SlipwayException;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

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

    /** Writes a file once from {@code source}, which holds {@code size} bytes. */
    final void file(String name, long size, Path source) throws IOException {
        if (written.add(name)) {
            write(name, size, source);
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

    protected void write(String name, long size, Path source) throws IOException {
        try (InputStream in = Files.newInputStream(source)) {
            write(name, size, in);
        }
    }

    protected abstract void mkdir(String name) throws IOException;

    /** Called when everything was written; without it, {@link #close()} discards what was written. */
    abstract void commit() throws IOException;

    /**
     * A tar stream, byte for byte what commons-compress's {@code TarArchiveOutputStream} writes with
     * POSIX long names and big numbers and a 64 KiB block (a test compares them). The headers of
     * ordinary entries (a name under 100 ASCII bytes, a size under 8 GiB: every entry of a save but
     * the largest layers and sha512 blobs) are formatted here and the others by commons-compress,
     * which on a short command cost more to load and run than the archive takes to write; a blob
     * over 64 KiB copied from a file into an archive file is copied by the kernel
     * ({@link FileChannel#transferTo}), a smaller one through the output's buffer.
     */
    static final class Tar extends ArchiveSink {
        private static final int RECORD = 512;
        private static final int BLOCK = 1 << 16;
        /** Largest size (and mode, times) an ustar header field of 12 bytes holds in octal. */
        private static final long MAX_OCTAL_SIZE = 077777777777L;
        private static final byte[] ZEROS = new byte[RECORD];
        /** Blobs up to this size are copied through the output's buffer, larger ones by the kernel. */
        static final int SMALL = 1 << 16;

        private final OutputStream out;
        private final FileChannel file;
        /** Bytes of the archive written so far. */
        private long position;

        /** A tar written to {@code out}. */
        Tar(OutputStream out) {
            this(out, null);
        }

        /** A tar written to {@code file} through {@code out} (which writes to {@code file} at its position). */
        Tar(OutputStream out, FileChannel file) {
            this.out = out;
            this.file = file;
        }

        @Override
        protected void write(String name, long size, InputStream content) throws IOException {
            if (!simple(name, size)) {
                position += viaCommonsCompress(entry(name, TarArchiveEntry.DEFAULT_FILE_MODE, size), content);
                return;
            }
            header(name, TarArchiveEntry.DEFAULT_FILE_MODE, size, TarArchiveEntry.LF_NORMAL);
            if (copy(content, out, size) != size) {
                throw new SlipwayException("internal: " + name + " changed size while being archived");
            }
            position += size;
            pad();
        }

        @Override
        protected void write(String name, long size, Path source) throws IOException {
            if (size <= SMALL && simple(name, size)) {
                writeSmall(name, (int) size, source);
                return;
            }
            if (file == null || !simple(name, size)) {
                super.write(name, size, source);
                return;
            }
            header(name, TarArchiveEntry.DEFAULT_FILE_MODE, size, TarArchiveEntry.LF_NORMAL);
            out.flush();
            try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ)) {
                long copied = 0;
                while (copied < size) {
                    long n = in.transferTo(copied, size - copied, file);
                    if (n <= 0) {
                        throw new SlipwayException("internal: " + name + " changed size while being archived");
                    }
                    copied += n;
                }
            }
            position += size;
            pad();
        }

        /**
         * A small blob (most layers of a chain of RUN steps, every config and manifest) read into the
         * output's buffer: with the archive's other small entries it reaches the file in one write per
         * 64 KiB, where copying it in the kernel took a flush and a channel's set-up per blob, which
         * cost more than the copy.
         */
        private void writeSmall(String name, int size, Path source) throws IOException {
            byte[] content = new byte[size];
            try (FileInputStream in = new FileInputStream(source.toFile())) {
                for (int n = 0; n < size; ) {
                    int read = in.read(content, n, size - n);
                    if (read < 0) {
                        throw new SlipwayException("internal: " + name + " changed size while being archived");
                    }
                    n += read;
                }
            }
            header(name, TarArchiveEntry.DEFAULT_FILE_MODE, size, TarArchiveEntry.LF_NORMAL);
            out.write(content);
            position += size;
            pad();
        }

        @Override
        protected void mkdir(String name) throws IOException {
            String dir = name + "/";
            if (!simple(dir, 0)) {
                position += viaCommonsCompress(entry(dir, TarArchiveEntry.DEFAULT_DIR_MODE, 0), InputStream.nullInputStream());
                return;
            }
            header(dir, TarArchiveEntry.DEFAULT_DIR_MODE, 0, TarArchiveEntry.LF_DIR);
        }

        /** Whether the entry's header is formatted here (else by commons-compress). */
        static boolean simple(String name, long size) {
            if (name.length() >= TarConstants.NAMELEN || size > MAX_OCTAL_SIZE) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (c == 0 || c > 127) {
                    return false;
                }
            }
            return true;
        }

        private void header(String name, int mode, long size, byte type) throws IOException {
            out.write(header(name, mode, size, (int) type));
            position += RECORD;
        }

        /** A POSIX ustar header: owner 0:0, no user or group names, mtime 0. */
        static byte[] header(String name, int mode, long size, int type) {
            byte[] h = new byte[RECORD];
            for (int i = 0; i < name.length(); i++) {
                h[i] = (byte) name.charAt(i);
            }
            octal(h, 100, 8, mode);
            octal(h, 108, 8, 0);
            octal(h, 116, 8, 0);
            octal(h, 124, 12, size);
            octal(h, 136, 12, 0);
            Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = (byte) type;
            System.arraycopy(USTAR, 0, h, 257, USTAR.length);
            octal(h, 329, 8, 0);
            octal(h, 337, 8, 0);
            long sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            // Six octal digits, NUL, space: as commons-compress (and GNU tar) write the checksum.
            for (int i = 153; i >= 148; i--) {
                h[i] = (byte) ('0' + (sum & 7));
                sum >>>= 3;
            }
            h[154] = 0;
            h[155] = ' ';
            return h;
        }

        private static final byte[] USTAR = {'u', 's', 't', 'a', 'r', 0, '0', '0'};

        /** {@code length - 1} octal digits, zero-padded, then a space. */
        private static void octal(byte[] h, int offset, int length, long value) {
            long v = value;
            for (int i = offset + length - 2; i >= offset; i--) {
                h[i] = (byte) ('0' + (v & 7));
                v >>>= 3;
            }
            h[offset + length - 1] = ' ';
        }

        private void pad() throws IOException {
            int rest = (int) (position % RECORD);
            if (rest != 0) {
                out.write(ZEROS, 0, RECORD - rest);
                position += RECORD - rest;
            }
        }

        /** Writes one entry (its PAX headers included) with commons-compress; returns the bytes written. */
        private long viaCommonsCompress(TarArchiveEntry entry, InputStream content) throws IOException {
            long[] count = {0};
            OutputStream counting = new FilterOutputStream(out) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    count[0] += len;
                }

                @Override
                public void close() {
                }
            };
            TarArchiveOutputStream tar = new TarArchiveOutputStream(counting, RECORD, "UTF-8");
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            tar.setAddPaxHeadersForNonAsciiNames(true);
            tar.putArchiveEntry(entry);
            if (copy(content, tar, entry.getSize()) != entry.getSize()) {
                throw new SlipwayException("internal: " + entry.getName() + " changed size while being archived");
            }
            tar.closeArchiveEntry();
            tar.flush();
            // Not closed nor finished: that would end the archive here.
            return count[0];
        }

        private static TarArchiveEntry entry(String name, int mode, long size) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setMode(mode);
            entry.setModTime(0L);
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("");
            entry.setGroupName("");
            entry.setSize(size);
            return entry;
        }

        /** Two zero records end the archive, then zeros up to a whole block. */
        @Override
        void commit() throws IOException {
            long end = position + 2 * RECORD;
            long padded = (end + BLOCK - 1) / BLOCK * BLOCK;
            for (long left = padded - position; left > 0; left -= RECORD) {
                out.write(ZEROS);
            }
            position = padded;
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.flush();
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
                if (copy(content, out, size) != size) {
                    throw new SlipwayException("internal: " + name + " changed size while being archived");
                }
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
