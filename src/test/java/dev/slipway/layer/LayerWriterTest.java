package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.image.Digest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerWriterTest {
    private static final byte[] CAPABILITY = {1, 0, 0, 2, 0x20, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0x80, 0, 0, 0, 0, 0, 0};

    static List<LayerEntry> sample() {
        TreeMap<String, byte[]> caps = new TreeMap<>();
        caps.put("security.capability", CAPABILITY);
        String longDir = "deep/" + "d".repeat(120);
        List<LayerEntry> entries = new ArrayList<>();
        entries.add(LayerEntry.directory("usr", 0755, 0, 0, 1000));
        entries.add(LayerEntry.directory("usr/bin", 0755, 0, 0, 1000));
        entries.add(new LayerEntry("usr/bin/ping", EntryType.FILE, 04755, 0, 0, 5, 1001, null, 0, 0, caps,
                ContentSource.ofBytes("ping\n".getBytes(StandardCharsets.UTF_8))));
        entries.add(LayerEntry.hardlink("usr/bin/ping6", "usr/bin/ping", 04755, 0, 0, 1001));
        entries.add(LayerEntry.symlink("usr/bin/sh", "/bin/busybox", 0, 0, 1002));
        entries.add(LayerEntry.directory("deep", 0700, 3000000, 4000000, 1003));
        entries.add(LayerEntry.directory(longDir, 01777, 0, 0, 1004));
        entries.add(LayerEntry.file(longDir + "/fichier-é", 0600, 7, 8, 1005, 3, ContentSource.ofBytes(new byte[] {1, 2, 3})));
        entries.add(new LayerEntry("dev/null", EntryType.CHAR_DEVICE, 0666, 0, 0, 0, 1006, null, 1, 3, null, null));
        entries.add(new LayerEntry("dev/sda", EntryType.BLOCK_DEVICE, 0660, 0, 6, 0, 1006, null, 8, 0, null, null));
        entries.add(new LayerEntry("run/fifo", EntryType.FIFO, 0620, 0, 0, 0, 1007, null, 0, 0, null, null));
        entries.add(LayerEntry.whiteout("etc/removed"));
        entries.add(LayerEntry.opaque("var/cache"));
        return entries;
    }

    static List<LayerEntry> read(byte[] tar) throws IOException {
        List<LayerEntry> out = new ArrayList<>();
        try (LayerReader r = new LayerReader(new ByteArrayInputStream(tar))) {
            for (LayerEntry e = r.next(); e != null; e = r.next()) {
                out.add(e);
            }
        }
        return out;
    }

    static byte[] write(List<LayerEntry> entries, OptionalLong epoch) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LayerWriter(epoch).write(entries, out);
        return out.toByteArray();
    }

    @Test
    void everyEntryKindRoundTripsThroughTheReader() throws IOException {
        List<LayerEntry> in = sample();
        List<LayerEntry> back = read(write(in, OptionalLong.empty()));
        List<LayerEntry> expected = new ArrayList<>(in);
        expected.sort((a, b) -> LayerPaths.ORDER.compare(a.path(), b.path()));
        assertThat(back).hasSameSizeAs(expected);
        for (int i = 0; i < back.size(); i++) {
            LayerEntry b = back.get(i);
            LayerEntry e = expected.get(i);
            assertThat(b.path()).isEqualTo(e.path());
            assertThat(b.type()).as(e.path()).isEqualTo(e.type());
            assertThat(b.mode()).as(e.path()).isEqualTo(e.mode());
            assertThat(b.uid()).as(e.path()).isEqualTo(e.uid());
            assertThat(b.gid()).as(e.path()).isEqualTo(e.gid());
            assertThat(b.size()).as(e.path()).isEqualTo(e.size());
            assertThat(b.mtime()).as(e.path()).isEqualTo(e.mtime());
            assertThat(b.linkTarget()).as(e.path()).isEqualTo(e.linkTarget());
            assertThat(b.devMajor()).isEqualTo(e.devMajor());
            assertThat(b.devMinor()).isEqualTo(e.devMinor());
            assertThat(b.xattrs().keySet()).isEqualTo(e.xattrs().keySet());
        }
        LayerEntry ping = back.stream().filter(e -> e.path().equals("usr/bin/ping")).findFirst().orElseThrow();
        assertThat(ping.xattrs().get("security.capability")).isEqualTo(CAPABILITY);
    }

    @Test
    void anotherTarReaderSeesTheSameNamesIdsAndContent() throws IOException {
        byte[] tar = write(sample(), OptionalLong.empty());
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), StandardCharsets.UTF_8.name())) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
                assertThat(e.getUserName()).isEmpty();
                if (e.getName().startsWith("deep/") && e.getName().endsWith("é")) {
                    assertThat(in.readAllBytes()).containsExactly(1, 2, 3);
                    assertThat(e.getLongUserId()).isEqualTo(7);
                }
                if (e.getName().equals("deep/")) {
                    assertThat(e.getLongUserId()).isEqualTo(3000000);
                    assertThat(e.getLongGroupId()).isEqualTo(4000000);
                }
            }
        }
        assertThat(names).contains("usr/", "usr/bin/ping", "deep/" + "d".repeat(120) + "/", "deep/" + "d".repeat(120) + "/fichier-é",
                "etc/.wh.removed", "var/cache/.wh..wh..opq");
        // two zero blocks end the archive, and nothing pads it to a 10 KiB record
        assertThat(tar.length % 512).isZero();
        assertThat(java.util.Arrays.copyOfRange(tar, tar.length - 1024, tar.length)).containsOnly(0);
    }

    @Test
    void orderIsSortedWithParentsFirstAndWhiteoutsBeforeSiblings() throws IOException {
        List<LayerEntry> in = List.of(
                LayerEntry.file("a-b", 0644, 1, new byte[0]),
                LayerEntry.file("a/z", 0644, 1, new byte[0]),
                LayerEntry.directory("a", 0755, 0, 0, 1),
                LayerEntry.file("a/b", 0644, 1, new byte[0]),
                LayerEntry.whiteout("a/zz"),
                LayerEntry.opaque("a"),
                LayerEntry.file("B", 0644, 1, new byte[0]));
        List<String> order = read(write(in, OptionalLong.empty())).stream().map(LayerEntry::path).toList();
        assertThat(order).containsExactly("B", "a", "a/.wh..wh..opq", "a/.wh.zz", "a/b", "a/z", "a-b");
    }

    @Test
    void theSameEntriesInAnyOrderGiveTheSameBytes() throws IOException {
        List<LayerEntry> shuffled = new ArrayList<>(sample());
        Collections.reverse(shuffled);
        byte[] a = write(sample(), OptionalLong.empty());
        byte[] b = write(shuffled, OptionalLong.empty());
        assertThat(Digest.sha256(b)).isEqualTo(Digest.sha256(a));
    }

    @Test
    void writeReportsTheDiffIdOfTheBytesItWrote() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LayerWriter.Written w = new LayerWriter().write(sample(), out);
        assertThat(w.diffId()).isEqualTo(Digest.sha256(out.toByteArray()));
        assertThat(w.size()).isEqualTo(out.size());
    }

    @Test
    void sourceDateEpochClampsLaterTimesOnly() throws IOException {
        List<LayerEntry> in = List.of(LayerEntry.file("old", 0644, 500, new byte[0]), LayerEntry.file("new", 0644, 5000, new byte[0]));
        List<LayerEntry> back = read(write(in, OptionalLong.of(1000)));
        assertThat(back).extracting(LayerEntry::path, LayerEntry::mtime).containsExactly(
                org.assertj.core.groups.Tuple.tuple("new", 1000L), org.assertj.core.groups.Tuple.tuple("old", 500L));
    }

    @Test
    void duplicatePathsAreRefused() {
        List<LayerEntry> in = List.of(LayerEntry.file("x", 0644, 1, new byte[0]), LayerEntry.directory("x", 0755, 0, 0, 1));
        assertThatThrownBy(() -> write(in, OptionalLong.empty())).isInstanceOf(SlipwayException.class).hasMessageContaining("duplicate path");
    }

    @Test
    void aHardLinkMustPointToAnEarlierEntry() {
        List<LayerEntry> in = List.of(LayerEntry.hardlink("a", "b", 0644, 0, 0, 1), LayerEntry.file("b", 0644, 1, new byte[0]));
        assertThatThrownBy(() -> write(in, OptionalLong.empty())).isInstanceOf(SlipwayException.class).hasMessageContaining("hard link a");
    }

    @Test
    void contentOfTheWrongLengthIsAnError() {
        List<LayerEntry> in = List.of(LayerEntry.file("f", 0644, 0, 0, 1, 10, ContentSource.ofBytes(new byte[3])));
        assertThatThrownBy(() -> write(in, OptionalLong.empty())).isInstanceOf(SlipwayException.class).hasMessageContaining("shorter");
    }

    @Test
    void sizesBeyondUstarGoIntoAPaxRecord() throws IOException {
        long huge = 9L << 30;
        InputStream zeros = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 0);
                return len;
            }
        };
        LayerEntry big = LayerEntry.file("big", 0644, 0, 0, 1, huge, () -> zeros);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        // Keeps the first bytes (the headers) and then stops the 9 GiB write.
        OutputStream firstBytes = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                captured.write(b, off, Math.min(len, 4096));
                throw new IOException("enough");
            }
        };
        assertThatThrownBy(() -> new LayerWriter().write(List.of(big), firstBytes)).hasMessage("enough");
        byte[] headers = captured.toByteArray();
        assertThat(new String(headers, StandardCharsets.ISO_8859_1)).contains("size=" + huge + "\n");
        byte[] withEnd = java.util.Arrays.copyOf(headers, 1536);
        try (LayerReader r = new LayerReader(new ByteArrayInputStream(withEnd))) {
            assertThat(r.next().size()).isEqualTo(huge);
        }
    }

    @Test
    void gnuTarListsTheArchive(@TempDir Path dir) throws Exception {
        Path tar = dir.resolve("layer.tar");
        Files.write(tar, write(sample(), OptionalLong.empty()));
        Process p = new ProcessBuilder("tar", "-tvf", tar.toString()).redirectErrorStream(true).start();
        String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(listing).isZero();
        assertThat(listing).contains("usr/bin/ping6 link to usr/bin/ping", "usr/bin/sh -> /bin/busybox", "-rwsr-xr-x", "fichier-é",
                "drwxrwxrwt", "3000000/4000000");
    }
}
