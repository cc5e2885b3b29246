package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.image.Digest;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeScannerTest {
    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
    }

    static void makeTree(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("usr/bin"));
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("usr/bin/busybox"), "#!busybox");
        Files.setAttribute(dir.resolve("usr/bin/busybox"), "unix:mode", 04755);
        // created in reverse order so that directory order and inode order differ from the sorted order
        Files.createLink(dir.resolve("usr/bin/z-link"), dir.resolve("usr/bin/busybox"));
        Files.createLink(dir.resolve("usr/bin/a-link"), dir.resolve("usr/bin/busybox"));
        Files.createSymbolicLink(dir.resolve("usr/bin/sh"), Path.of("busybox"));
        Files.writeString(dir.resolve("etc/passwd"), "root:x:0:0::/root:/bin/sh\n");
        Files.createDirectories(dir.resolve("x".repeat(90) + "/" + "y".repeat(90)));
        run("mkfifo", "-m", "0600", dir.resolve("etc/initctl").toString());
    }

    @Test
    void scansEveryKindOfEntryWithTheFirstSortedNameOfAnInodeAsTheFile(@TempDir Path dir) throws Exception {
        makeTree(dir);
        try (ServerSocketChannel socket = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            socket.bind(UnixDomainSocketAddress.of(dir.resolve("etc/socket")));
            List<LayerEntry> entries = TreeScanner.scanDirectory(dir);
            assertThat(entries).extracting(LayerEntry::path).doesNotContain("etc/socket", "");
            LayerEntry first = find(entries, "usr/bin/a-link");
            assertThat(first.type()).isEqualTo(EntryType.FILE);
            assertThat(first.size()).isEqualTo("#!busybox".length());
            assertThat(first.mode()).isEqualTo(04755);
            for (String other : List.of("usr/bin/busybox", "usr/bin/z-link")) {
                assertThat(find(entries, other).type()).isEqualTo(EntryType.HARDLINK);
                assertThat(find(entries, other).linkTarget()).isEqualTo("usr/bin/a-link");
            }
            assertThat(find(entries, "usr/bin/sh").linkTarget()).isEqualTo("busybox");
            assertThat(find(entries, "etc/initctl").type()).isEqualTo(EntryType.FIFO);
            assertThat(find(entries, "etc/initctl").mode()).isEqualTo(0600);
            assertThat(find(entries, "etc").type()).isEqualTo(EntryType.DIRECTORY);
            List<String> paths = entries.stream().map(LayerEntry::path).toList();
            assertThat(paths).isSortedAccordingTo(LayerPaths.ORDER);
        }
    }

    /**
     * A directory named with a byte no String keeps (\377; under LANG=C, where the JVM decodes names
     * as ASCII, any non-ASCII byte): its files are read through their own names, not through the
     * String's U+FFFD. A sibling literally named with U+FFFD is not part of this test: java.nio's
     * names for the two are the same String, and the layer refuses the duplicate path either way.
     */
    @Test
    void aDirectoryNamedWithUndecodableBytesIsReadThroughItsOwnName(@TempDir Path dir) throws Exception {
        run("sh", "-c", "mkdir -p \"$1/up/$(printf 'd\\377')\" && printf raw > \"$1/up/$(printf 'd\\377')/f\"",
                "sh", dir.toString());
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        new LayerWriter(OptionalLong.empty()).write(TreeScanner.scanDirectory(dir), tar);
        List<String> names = new java.util.ArrayList<>();
        List<String> contents = new java.util.ArrayList<>();
        try (var in = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(
                new java.io.ByteArrayInputStream(tar.toByteArray()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                if (e.getName().endsWith("/f")) {
                    contents.add(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        assertThat(contents).containsExactly("raw");
        assertThat(names).hasSize(3).allMatch(n -> n.startsWith("up"));
    }

    static LayerEntry find(List<LayerEntry> entries, String path) {
        return entries.stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow(() -> new AssertionError("no " + path));
    }

    private static Digest digestOf(Path dir, OptionalLong epoch) throws IOException {
        return new LayerWriter(epoch).write(TreeScanner.scanDirectory(dir), java.io.OutputStream.nullOutputStream()).diffId();
    }

    @Test
    void twoCopiesMadeAtDifferentTimesGiveTheSameDigestWithAnEpoch(@TempDir Path dir) throws Exception {
        long epoch = System.currentTimeMillis() / 1000 - 10;
        Path a = dir.resolve("a");
        Path b = dir.resolve("b");
        makeTree(a);
        Thread.sleep(1100);
        makeTree(b);
        assertThat(digestOf(b, OptionalLong.of(epoch))).isEqualTo(digestOf(a, OptionalLong.of(epoch)));
        assertThat(digestOf(a, OptionalLong.empty())).isEqualTo(digestOf(a, OptionalLong.empty()));
        // without the epoch the copies' own times show: the equality above is the epoch's doing
        assertThat(digestOf(b, OptionalLong.empty())).isNotEqualTo(digestOf(a, OptionalLong.empty()));
    }

    @Test
    void mtimesAreTakenInWholeSeconds(@TempDir Path dir) throws IOException {
        Path f = Files.writeString(dir.resolve("f"), "x");
        Files.setLastModifiedTime(f, FileTime.fromMillis(1_234_567_890_999L));
        assertThat(find(TreeScanner.scanDirectory(dir), "f").mtime()).isEqualTo(1_234_567_890L);
    }

    @Test
    void rdevSplitsIntoLinuxMajorAndMinor() {
        long rdev = (259L << 8 & 0xfff00L) | (0x12345L & 0xff) | ((0x12345L & ~0xffL) << 12);
        assertThat(TreeScanner.major(rdev)).isEqualTo(259);
        assertThat(TreeScanner.minor(rdev)).isEqualTo(0x12345);
        assertThat(TreeScanner.major(0x0103)).isEqualTo(1);
        assertThat(TreeScanner.minor(0x0103)).isEqualTo(3);
    }
}
