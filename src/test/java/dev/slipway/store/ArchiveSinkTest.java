package dev.slipway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tar sink writes what commons-compress writes, whether it formats a header itself or not. */
class ArchiveSinkTest {
    @TempDir
    Path dir;

    /** One entry: a directory (content null) or a file. */
    private record Entry(String name, byte[] content) {
    }

    private List<Entry> entries() {
        Random random = new Random(7);
        List<Entry> entries = new ArrayList<>();
        entries.add(new Entry("blobs", null));
        entries.add(new Entry("blobs/sha256", null));
        // From files alternately: 65_536 is the largest read through the buffer, 65_537 copied by the kernel.
        for (int size : new int[] {0, 1, 511, 512, 513, 70_000, ArchiveSink.Tar.SMALL, 100_000, ArchiveSink.Tar.SMALL + 1}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            entries.add(new Entry("blobs/sha256/" + "%064x".formatted(size), content));
        }
        entries.add(new Entry("a".repeat(99), "99".getBytes(StandardCharsets.UTF_8)));
        entries.add(new Entry("b".repeat(100), "100: PAX".getBytes(StandardCharsets.UTF_8)));
        entries.add(new Entry("blobs/sha512/" + "c".repeat(128), "long".getBytes(StandardCharsets.UTF_8)));
        entries.add(new Entry("d".repeat(120), null));
        entries.add(new Entry("e".repeat(98), null));
        entries.add(new Entry("f".repeat(99), null));
        entries.add(new Entry("blobs/ünïcode", "non-ASCII: PAX".getBytes(StandardCharsets.UTF_8)));
        entries.add(new Entry("index.json", "{}".getBytes(StandardCharsets.UTF_8)));
        return entries;
    }

    @Test
    void aStreamGetsTheBytesCommonsCompressWrites() throws IOException {
        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        ArchiveSink.Tar sink = new ArchiveSink.Tar(ours);
        for (Entry e : entries()) {
            if (e.content() == null) {
                sink.directory(e.name());
            } else {
                sink.file(e.name(), e.content());
            }
        }
        sink.commit();
        byte[] expected = reference(entries());
        assertThat(ours.toByteArray()).hasSize(expected.length).isEqualTo(expected);
        assertThat(expected.length % (1 << 16)).isZero();
    }

    @Test
    void aFileGetsTheSameBytesWithBlobsCopiedFromFiles() throws IOException {
        Path archive = dir.resolve("out.tar");
        try (FileChannel file = FileChannel.open(archive, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                OutputStream out = new BufferedOutputStream(Channels.newOutputStream(file), 1 << 16)) {
            ArchiveSink.Tar sink = new ArchiveSink.Tar(out, file);
            int i = 0;
            for (Entry e : entries()) {
                if (e.content() == null) {
                    sink.directory(e.name());
                } else if (i++ % 2 == 0) {
                    Path source = Files.write(dir.resolve("src" + i), e.content());
                    sink.file(e.name(), e.content().length, source);
                } else {
                    sink.file(e.name(), e.content());
                }
            }
            sink.commit();
        }
        assertThat(Files.readAllBytes(archive)).isEqualTo(reference(entries()));
        try (InputStream in = Files.newInputStream(archive); TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (Entry e : entries()) {
                TarArchiveEntry entry = tar.getNextEntry();
                assertThat(entry.getName()).isEqualTo(e.content() == null ? e.name() + "/" : e.name());
                if (e.content() != null) {
                    assertThat(tar.readAllBytes()).isEqualTo(e.content());
                }
            }
            assertThat(tar.getNextEntry()).isNull();
        }
    }

    @Test
    void aBlobOfAnotherSizeThanDeclaredIsRefused() throws IOException {
        Path source = Files.write(dir.resolve("short"), new byte[10]);
        try (FileChannel file = FileChannel.open(dir.resolve("x.tar"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE); OutputStream out = Channels.newOutputStream(file)) {
            ArchiveSink.Tar sink = new ArchiveSink.Tar(out, file);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sink.file("blob", 20, source))
                    .hasMessageContaining("changed size");
        }
        ArchiveSink.Tar stream = new ArchiveSink.Tar(new ByteArrayOutputStream());
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> stream.file("blob", 20, new ByteArrayInputStream(new byte[10])))
                .hasMessageContaining("changed size");
        ArchiveSink.Directory layout = new ArchiveSink.Directory(dir.resolve("layout"));
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> layout.file("blobs/blob", 20, new ByteArrayInputStream(new byte[10])))
                .hasMessageContaining("changed size");
    }

    @Test
    void theLargestSizeFormattedHereIsFormattedAsCommonsCompressDoes() throws IOException {
        long largest = 8L * 1024 * 1024 * 1024 - 1;
        String name = "blobs/sha256/" + "0".repeat(64);
        assertThat(ArchiveSink.Tar.simple(name, largest)).isTrue();
        assertThat(ArchiveSink.Tar.simple(name, largest + 1)).as("8 GiB: a PAX size, by commons-compress").isFalse();
        for (long size : new long[] {0, 1, 0777, largest}) {
            TarArchiveEntry entry = new TarArchiveEntry(name, true);
            entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE);
            entry.setModTime(0L);
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("");
            entry.setGroupName("");
            entry.setSize(size);
            byte[] expected = new byte[512];
            entry.writeEntryHeader(expected, ZipEncodingHelper.getZipEncoding("UTF-8"), false);
            assertThat(ArchiveSink.Tar.header(name, TarArchiveEntry.DEFAULT_FILE_MODE, size, TarConstants.LF_NORMAL))
                    .as("size " + size).isEqualTo(expected);
        }
    }

    /** The archive as Slipway wrote it with commons-compress alone. */
    private static byte[] reference(List<Entry> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes, 1 << 16, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
        for (Entry e : entries) {
            boolean directory = e.content() == null;
            TarArchiveEntry entry = new TarArchiveEntry(directory ? e.name() + "/" : e.name(), true);
            entry.setMode(directory ? TarArchiveEntry.DEFAULT_DIR_MODE : TarArchiveEntry.DEFAULT_FILE_MODE);
            entry.setModTime(0L);
            entry.setUserId(0);
            entry.setGroupId(0);
            entry.setUserName("");
            entry.setGroupName("");
            if (!directory) {
                entry.setSize(e.content().length);
            }
            tar.putArchiveEntry(entry);
            if (!directory) {
                tar.write(e.content());
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
        tar.flush();
        return bytes.toByteArray();
    }
}
