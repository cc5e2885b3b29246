package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerExtractorTest {
    @TempDir
    Path base;
    Path root;
    Path outside;

    @BeforeEach
    void setUp() throws IOException {
        root = Files.createDirectory(base.resolve("root"));
        outside = Files.createDirectory(base.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "s");
    }

    private LayerExtractor.Result extract(byte[] tar) throws IOException {
        return new LayerExtractor(root).extract(new ByteArrayInputStream(tar));
    }

    private static byte[] tar(LayerEntry... entries) throws IOException {
        return LayerWriterTest.write(List.of(entries), OptionalLong.empty());
    }

    /** Everything under base except root: path → type, size and content. */
    private Map<String, String> outsideState() throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> s = Files.walk(base)) {
            for (Path p : s.toList()) {
                if (p.startsWith(root) && !p.equals(root)) {
                    continue;
                }
                String what = Files.isSymbolicLink(p) ? "link " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir"
                        : "file " + Files.readString(p) + " nlink=" + Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
                state.put(base.relativize(p).toString(), what);
            }
        }
        return state;
    }

    private void assertContainedOrRefused(byte[] tar) throws IOException {
        Map<String, String> before = outsideState();
        try {
            extract(tar);
        } catch (SlipwayException refused) {
            assertThat(refused.getMessage()).isNotBlank();
        }
        assertThat(outsideState()).isEqualTo(before);
    }

    @Test
    void extractsFilesDirectoriesLinksModesAndTimes() throws IOException {
        byte[] tar = tar(
                LayerEntry.directory("bin", 0755, 0, 0, 1_000_000),
                LayerEntry.file("bin/tool", 04755, 0, 0, 1_000_001, 3, ContentSource.ofBytes(new byte[] {'a', 'b', 'c'})),
                LayerEntry.hardlink("bin/tool2", "bin/tool", 04755, 0, 0, 1_000_001),
                LayerEntry.symlink("bin/sh", "tool", 0, 0, 1_000_002),
                LayerEntry.directory("tmp", 01777, 0, 0, 1_000_003),
                new LayerEntry("run/fifo", EntryType.FIFO, 0640, 0, 0, 0, 1_000_004, null, 0, 0, null, null));
        LayerExtractor.Result result = extract(tar);
        assertThat(result.entries()).isEqualTo(6);
        assertThat(Files.readString(root.resolve("bin/tool"))).isEqualTo("abc");
        assertThat(Files.getAttribute(root.resolve("bin/tool"), "unix:mode")).isEqualTo(0104755);
        assertThat(Files.getAttribute(root.resolve("tmp"), "unix:mode")).isEqualTo(041777);
        assertThat(Files.getAttribute(root.resolve("bin/tool2"), "unix:ino")).isEqualTo(Files.getAttribute(root.resolve("bin/tool"), "unix:ino"));
        assertThat(Files.readSymbolicLink(root.resolve("bin/sh")).toString()).isEqualTo("tool");
        assertThat(Files.getLastModifiedTime(root.resolve("bin/sh"), LinkOption.NOFOLLOW_LINKS)).isEqualTo(FileTime.fromMillis(1_000_002_000L));
        assertThat(Files.getLastModifiedTime(root.resolve("bin"))).isEqualTo(FileTime.fromMillis(1_000_000_000L));
        assertThat(Files.getAttribute(root.resolve("run/fifo"), "unix:mode", LinkOption.NOFOLLOW_LINKS)).isEqualTo(010640);
        assertThat(Files.getLastModifiedTime(root.resolve("run/fifo"), LinkOption.NOFOLLOW_LINKS)).isEqualTo(FileTime.fromMillis(1_000_004_000L));
    }

    @Test
    void aTreeSurvivesWriteThenExtract(@TempDir Path src) throws IOException {
        Files.createDirectories(src.resolve("a/b"));
        Files.writeString(src.resolve("a/b/f"), "content");
        Files.createSymbolicLink(src.resolve("a/l"), Path.of("b/f"));
        Files.createLink(src.resolve("a/h"), src.resolve("a/b/f"));
        Files.setAttribute(src.resolve("a/b/f"), "unix:mode", 0640);
        byte[] tar = LayerWriterTest.write(TreeScanner.scanDirectory(src), OptionalLong.empty());
        extract(tar);
        byte[] again = LayerWriterTest.write(TreeScanner.scanDirectory(root), OptionalLong.empty());
        assertThat(again).isEqualTo(tar);
    }

    @Test
    void laterLayersReplaceEntriesAndWhiteoutsDelete() throws IOException {
        extract(tar(LayerEntry.file("etc/a", 0644, 1, "1".getBytes(StandardCharsets.UTF_8)),
                LayerEntry.file("etc/b", 0644, 1, "2".getBytes(StandardCharsets.UTF_8)),
                LayerEntry.directory("var/d", 0755, 0, 0, 1),
                LayerEntry.file("var/d/x", 0644, 1, "x".getBytes(StandardCharsets.UTF_8)),
                LayerEntry.file("swap", 0644, 1, "f".getBytes(StandardCharsets.UTF_8))));
        extract(tar(LayerEntry.whiteout("etc/a"), LayerEntry.whiteout("var/d"), LayerEntry.whiteout("not/there"),
                LayerEntry.file("etc/b", 0600, 2, "new".getBytes(StandardCharsets.UTF_8)),
                LayerEntry.directory("swap", 0700, 0, 0, 2)));
        assertThat(root.resolve("etc/a")).doesNotExist();
        assertThat(root.resolve("var/d")).doesNotExist();
        assertThat(root.resolve("not")).doesNotExist();
        assertThat(Files.readString(root.resolve("etc/b"))).isEqualTo("new");
        assertThat(root.resolve("swap")).isDirectory();
        assertThat(root.resolve("etc/.wh.a")).doesNotExist();
    }

    @Test
    void anOpaqueDirectoryKeepsOnlyThisLayersEntriesWhereverTheMarkerSits() throws IOException {
        extract(tar(LayerEntry.file("d/lower1", 0644, 1, new byte[0]), LayerEntry.file("d/sub/lower2", 0644, 1, new byte[0]),
                LayerEntry.file("d/keep/lower3", 0644, 1, new byte[0]), LayerEntry.file("other/stays", 0644, 1, new byte[0])));
        // The marker after some of the layer's own entries and before others: RawTar keeps this order.
        byte[] layer = new RawTar().dir("d").file("d/keep/mine", "m").file("d/.wh..wh..opq", "").file("d/after", "a").bytes();
        extract(layer);
        try (Stream<Path> s = Files.walk(root.resolve("d"))) {
            assertThat(s.map(p -> root.relativize(p).toString()).sorted().toList()).containsExactly("d", "d/after", "d/keep", "d/keep/mine");
        }
        assertThat(root.resolve("other/stays")).exists();
    }

    @Test
    void aBareWhiteoutIsRefused() {
        byte[] layer = new RawTar().file("d/.wh.", "").bytes();
        assertThatThrownBy(() -> extract(layer)).isInstanceOf(SlipwayException.class).hasMessageContaining("whiteout");
    }

    // ---- hostile archives: nothing may change outside the root ----

    @Test
    void pathTraversalIsRefused() throws IOException {
        Map<String, String> before = outsideState();
        assertThatThrownBy(() -> extract(new RawTar().file("../outside/secret", "pwned").bytes())).isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> extract(new RawTar().file("a/../../outside/new", "pwned").bytes())).isInstanceOf(SlipwayException.class);
        assertThat(outsideState()).isEqualTo(before);
    }

    @Test
    void absoluteNamesLandInsideTheRoot() throws IOException {
        String abs = outside.resolve("secret").toString();
        assertContainedOrRefused(new RawTar().file(abs, "pwned").bytes());
        assertThat(Files.readString(root.resolve(abs.substring(1)))).isEqualTo("pwned");
    }

    @Test
    void aSymlinkClimbingOutIsRefused() throws IOException {
        Map<String, String> before = outsideState();
        byte[] tar = new RawTar().symlink("link", "../outside").file("link/secret", "pwned").bytes();
        assertThatThrownBy(() -> extract(tar)).isInstanceOf(SlipwayException.class).hasMessageContaining("outside the root");
        assertThat(outsideState()).isEqualTo(before);
    }

    @Test
    void writingThroughAnAbsoluteSymlinkStaysInTheRoot() throws IOException {
        assertContainedOrRefused(new RawTar().symlink("link", outside.toString()).file("link/secret", "pwned").file("link/new", "n").bytes());
        assertThat(Files.readString(root.resolve(outside.toString().substring(1)).resolve("secret"))).isEqualTo("pwned");
    }

    @Test
    void writingThroughASymlinkLeftByALowerLayerStaysInTheRoot() throws IOException {
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../../../.." + outside));
        Files.createSymbolicLink(root.resolve("abs"), outside);
        assertContainedOrRefused(new RawTar().file("up/secret", "pwned").file("abs/secret", "pwned").file("abs/x/y", "z").bytes());
    }

    @Test
    void replacingASymlinkReplacesTheLinkNotItsTarget() throws IOException {
        Files.createSymbolicLink(root.resolve("f"), outside.resolve("secret"));
        assertContainedOrRefused(new RawTar().file("f", "pwned").bytes());
        assertThat(Files.isSymbolicLink(root.resolve("f"))).isFalse();
        assertThat(Files.readString(root.resolve("f"))).isEqualTo("pwned");
    }

    @Test
    void hardLinksToOutsideAreRefused() throws IOException {
        assertContainedOrRefused(new RawTar().hardlink("h", "../outside/secret").bytes());
        assertContainedOrRefused(new RawTar().hardlink("h", outside.resolve("secret").toString()).bytes());
        assertContainedOrRefused(new RawTar().symlink("link", outside.toString()).hardlink("h", "link/secret").bytes());
        Files.createSymbolicLink(root.resolve("lower"), Path.of("../outside"));
        assertContainedOrRefused(new RawTar().hardlink("h2", "lower/secret").bytes());
        assertThat(root.resolve("h")).doesNotExist();
        assertThat(root.resolve("h2")).doesNotExist();
    }

    @Test
    void aHardLinkThenAFileOfTheSameNameDoesNotWriteThroughTheLink() throws IOException {
        Files.writeString(root.resolve("shared"), "orig");
        assertContainedOrRefused(new RawTar().hardlink("h", "shared").file("h", "pwned").bytes());
        assertThat(Files.readString(root.resolve("shared"))).isEqualTo("orig");
    }

    @Test
    void whiteoutsAndOpaqueMarkersThroughSymlinksStayInTheRoot() throws IOException {
        assertContainedOrRefused(new RawTar().symlink("link", outside.toString()).file("link/.wh.secret", "").bytes());
        assertContainedOrRefused(new RawTar().file("link/.wh..wh..opq", "").bytes());
        Files.createSymbolicLink(root.resolve("rel"), Path.of("../outside"));
        assertContainedOrRefused(new RawTar().file("rel/.wh.secret", "").file("rel/.wh..wh..opq", "").bytes());
        assertThat(outside.resolve("secret")).exists();
    }

    @Test
    void hugeHeadersAreRefusedAndWriteNothing() throws IOException {
        Map<String, String> before = outsideState();
        byte[] tar = new RawTar().file("first", "1").file("f", "x", 0644, Map.of("comment", "c".repeat(3 << 20))).bytes();
        assertThatThrownBy(() -> extract(tar)).isInstanceOf(SlipwayException.class).hasMessageContaining("limit");
        assertThat(outsideState()).isEqualTo(before);
    }

    @Test
    void aSymlinkLoopIsAnErrorNotAHang() throws IOException {
        Files.createSymbolicLink(root.resolve("a"), Path.of("b"));
        Files.createSymbolicLink(root.resolve("b"), Path.of("a"));
        assertThatThrownBy(() -> extract(new RawTar().file("a/x", "1").bytes())).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("symlinks");
    }
}
