package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

class LayerReaderTest {
    private static List<LayerEntry> entries(byte[] tar) throws IOException {
        return LayerWriterTest.read(tar);
    }

    @Test
    void streamsEntriesWithTheirContent() throws IOException {
        byte[] tar = new RawTar().dir("etc").file("etc/hostname", "box\n").file("etc/empty", "").bytes();
        try (LayerReader r = new LayerReader(new ByteArrayInputStream(tar))) {
            assertThat(r.next().type()).isEqualTo(EntryType.DIRECTORY);
            LayerEntry host = r.next();
            assertThat(host.path()).isEqualTo("etc/hostname");
            assertThat(new String(r.content().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("box\n");
            LayerEntry empty = r.next();
            assertThat(empty.path()).isEqualTo("etc/empty");
            assertThat(r.content().read()).isEqualTo(-1);
            assertThat(r.next()).isNull();
        }
    }

    @Test
    void unreadContentIsSkipped() throws IOException {
        byte[] tar = new RawTar().file("a", "x".repeat(2000)).file("b", "y").bytes();
        assertThat(entries(tar)).extracting(LayerEntry::path).containsExactly("a", "b");
    }

    @Test
    void gnuLongNamesAreRead() throws IOException {
        String name = "dir/" + "n".repeat(300);
        byte[] tar = new RawTar(TarArchiveOutputStream.LONGFILE_GNU).file(name, "z").symlink("l", "t".repeat(200)).bytes();
        List<LayerEntry> read = entries(tar);
        assertThat(read.get(0).path()).isEqualTo(name);
        assertThat(read.get(1).linkTarget()).isEqualTo("t".repeat(200));
    }

    @Test
    void namesAreCleanedAndLeadingSlashesDropped() throws IOException {
        byte[] tar = new RawTar().dir("./").file("/abs/file", "1").file("./a//b/./c", "2").file("x/../y", "3").bytes();
        assertThat(entries(tar)).extracting(LayerEntry::path).containsExactly("abs/file", "a/b/c", "y");
    }

    @Test
    void namesClimbingOutOfTheRootAreRefused() {
        byte[] tar = new RawTar().file("a/../../evil", "x").bytes();
        assertThatThrownBy(() -> entries(tar)).isInstanceOf(SlipwayException.class).hasMessageContaining("escapes the root");
    }

    @Test
    void aHugePaxHeaderIsRefusedBeforeItIsBuffered() {
        byte[] tar = new RawTar().file("f", "x", 0644, Map.of("comment", "c".repeat(5 << 20))).bytes();
        assertThatThrownBy(() -> entries(tar)).isInstanceOf(SlipwayException.class).hasMessageContaining("extended header")
                .hasMessageContaining("limit");
    }

    @Test
    void aMegabyteNameIsRefused() throws IOException {
        // LayerWriter, because Commons Compress takes minutes to write a name this long
        byte[] tar = LayerWriterTest.write(List.of(LayerEntry.file("n".repeat(1 << 20), 0644, 1, new byte[] {1})),
                java.util.OptionalLong.empty());
        assertThatThrownBy(() -> entries(tar)).isInstanceOf(SlipwayException.class).hasMessageContaining("limit");
    }

    @Test
    void aMegabyteGnuNameIsRefused() {
        byte[] tar = new RawTar(TarArchiveOutputStream.LONGFILE_GNU).file("n".repeat(5000), "x").bytes();
        assertThatThrownBy(() -> entries(tar)).isInstanceOf(SlipwayException.class).hasMessageContaining("4096-byte limit");
    }

    @Test
    void corruptAndTruncatedArchivesAreClearErrors() {
        byte[] tar = new RawTar().file("a", "x".repeat(1000)).bytes();
        byte[] corrupt = tar.clone();
        corrupt[10] ^= 1;
        assertThatThrownBy(() -> entries(corrupt)).isInstanceOf(SlipwayException.class).hasMessageContaining("checksum");
        byte[] truncated = java.util.Arrays.copyOf(tar, 700);
        assertThatThrownBy(() -> entries(truncated)).isInstanceOf(SlipwayException.class).hasMessageContaining("truncated");
        byte[] text = "not a tar at all, just some text".repeat(20).getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> entries(text)).isInstanceOf(SlipwayException.class);
    }

    @Test
    void onlyAValidFirstHeaderBlockMakesAnArchive() throws IOException {
        byte[] tar = new RawTar().file("a", "x".repeat(1000)).bytes();
        byte[] corrupt = tar.clone();
        corrupt[10] ^= 1;
        byte[] text = "not a tar at all, just some text".repeat(20).getBytes(StandardCharsets.UTF_8);

        assertThat(LayerReader.startsWithHeader(new ByteArrayInputStream(tar))).isTrue();
        assertThat(LayerReader.startsWithHeader(new ByteArrayInputStream(java.util.Arrays.copyOf(tar, 512)))).isTrue();
        assertThat(LayerReader.startsWithHeader(new ByteArrayInputStream(corrupt))).isFalse();
        assertThat(LayerReader.startsWithHeader(new ByteArrayInputStream(text))).isFalse();
        assertThat(LayerReader.startsWithHeader(new ByteArrayInputStream(new byte[1024]))).isFalse();
        assertThat(LayerReader.startsWithHeader(new ByteArrayInputStream(java.util.Arrays.copyOf(tar, 511)))).isFalse();
    }

    @Test
    void paxRecordsKeepBinaryValues() {
        byte[] value = {(byte) 0xff, 0, '\n', (byte) 0x80};
        byte[] record = new byte[] {'1', '8', ' ', 'S', 'C', 'H', 'I', 'L', 'Y', '.', 'x', '=', 0, 0, 0, 0, '\n'};
        // "18 SCHILY.x=" plus four value bytes and a newline is 17 bytes; fix the length to match.
        record[1] = '7';
        System.arraycopy(value, 0, record, 12, 4);
        java.util.Map<String, byte[]> out = new java.util.HashMap<>();
        LayerReader.parsePax(record, out);
        assertThat(out.get("SCHILY.x")).containsExactly(value);
    }

    @Test
    void aPaxRecordOverrunningItsHeaderIsRefused() {
        byte[] record = "99 path=x\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> LayerReader.parsePax(record, new java.util.HashMap<>())).isInstanceOf(SlipwayException.class);
    }

    private static List<String> untrusted(byte[] tar) throws IOException {
        List<String> paths = new java.util.ArrayList<>();
        try (LayerReader r = LayerReader.untrusted(new ByteArrayInputStream(tar))) {
            for (LayerEntry e; (e = r.next()) != null; ) {
                paths.add(e.path());
            }
        }
        return paths;
    }

    @Test
    void untrustedArchivesAreRefusedWhatTheDefaultReaderWouldClean() throws IOException {
        byte[][] hostile = {
            new RawTar().file("/etc/passwd", "x").bytes(),
            new RawTar().file("a/../b", "x").bytes(),
            new RawTar().file("a", "x").hardlink("b", "/a").bytes(),
            new RawTar().symlink("evil", "/tmp").file("evil/pwned", "x").bytes(),
            new RawTar().dir("d").symlink("d/evil", "..").dir("d/evil/deeper").bytes(),
            new RawTar().dir("d").hardlink("l", "d").bytes(),
            new RawTar().hardlink("l", "later").file("later", "x").bytes(),
            new RawTar().file("a", "x").symlink("a", "b").hardlink("l", "a").bytes(),
        };
        for (byte[] tar : hostile) {
            assertThat(entries(tar)).isNotEmpty();
            assertThatThrownBy(() -> untrusted(tar)).isInstanceOf(SlipwayException.class)
                    .hasMessageStartingWith("refusing archive entry ");
        }
    }

    @Test
    void untrustedArchivesMayReplaceASymlinkBeforeWritingBelowIt() throws IOException {
        byte[] tar = new RawTar().symlink("d", "/tmp").dir("d").file("d/f", "x").file("f", "y").hardlink("h", "./f")
                .bytes();
        assertThat(untrusted(tar)).containsExactly("d", "d", "d/f", "f", "h");
    }
}
