package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdOutputStream;
import com.sun.net.httpserver.HttpServer;
import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.image.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/**
 * ADD: archives unpacked by content, URLs downloaded. Owners, modes and mtimes as BuildKit
 * (Docker 20.10) gave them for the same ADDs: archive entries keep the archive's owners even
 * with --chown, the destination directory is 0755 and owned by the --chown user, the archive's
 * own "./" entry leaves it alone; a downloaded file is 0600 with the Last-Modified time.
 */
class FileCopierAddTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final String LAST_MODIFIED = "Thu, 06 May 2021 07:08:09 GMT";

    @TempDir
    Path tmp;
    Path ctx;
    Path root;
    HttpServer server;
    final FileCopier copier = new FileCopier();

    @BeforeEach
    void setUp() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0::/:/bin/sh\nu2:x:1001:2000:u:/:/bin/sh\n");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/files/", ex -> {
            byte[] body = ("served " + ex.getRequestURI().getPath() + "\n").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Last-Modified", LAST_MODIFIED);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.createContext("/archive.tgz", ex -> {
            byte[] body = compress("gzip", tar());
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.createContext("/missing", ex -> {
            ex.sendResponseHeaders(404, -1);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void add(CopyRequest r) {
        copier.copy(r, new CopySource.Context(ctx, DockerIgnore.empty()), root);
    }

    private static String attrs(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", NOFOLLOW);
        String type = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p, NOFOLLOW) ? "dir" : "file";
        return type + " " + Integer.toOctalString((int) a.get("mode") & 07777) + " " + a.get("uid") + ":" + a.get("gid");
    }

    /**
     * ./ (0700), ./one.txt (5:6), ./inner/ (0750), ./inner/two.txt, ./ln -> one.txt. Every entry has a
     * fixed time: one left at its default carries the clock, and two calls could then differ.
     */
    static byte[] tar() throws IOException {
        FileTime fixed = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            TarArchiveEntry rootEntry = new TarArchiveEntry("./");
            rootEntry.setMode(040700);
            rootEntry.setModTime(fixed);
            t.putArchiveEntry(rootEntry);
            t.closeArchiveEntry();
            byte[] one = "one\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("./one.txt");
            e.setSize(one.length);
            e.setMode(0100644);
            e.setIds(5, 6);
            e.setModTime(FileTime.from(Instant.parse("2019-02-03T04:05:06Z")));
            t.putArchiveEntry(e);
            t.write(one);
            t.closeArchiveEntry();
            TarArchiveEntry d = new TarArchiveEntry("./inner/");
            d.setMode(040750);
            d.setModTime(fixed);
            t.putArchiveEntry(d);
            t.closeArchiveEntry();
            byte[] two = "two\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry f = new TarArchiveEntry("./inner/two.txt");
            f.setSize(two.length);
            f.setMode(0100644);
            f.setModTime(fixed);
            t.putArchiveEntry(f);
            t.write(two);
            t.closeArchiveEntry();
            TarArchiveEntry l = new TarArchiveEntry("./ln", TarArchiveEntry.LF_SYMLINK);
            l.setLinkName("one.txt");
            l.setModTime(fixed);
            t.putArchiveEntry(l);
            t.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    static byte[] compress(String kind, byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream o = switch (kind) {
            case "gzip" -> new GZIPOutputStream(bytes);
            case "bzip2" -> new BZip2CompressorOutputStream(bytes);
            case "xz" -> new XZOutputStream(bytes, new LZMA2Options());
            case "zstd" -> new ZstdOutputStream(bytes);
            default -> bytes;
        }) {
            o.write(data);
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "gzip", "bzip2", "xz", "zstd"})
    void localArchivesAreUnpackedWhateverTheirName(String kind) throws IOException {
        Files.write(ctx.resolve("bundle.data"), compress(kind, tar()));
        add(CopyRequest.add(List.of("bundle.data"), "/extracted/", "/"));
        assertThat(root.resolve("extracted/one.txt")).hasContent("one");
        assertThat(root.resolve("extracted/inner/two.txt")).hasContent("two");
        assertThat(Files.readSymbolicLink(root.resolve("extracted/ln"))).isEqualTo(Path.of("one.txt"));
        assertThat(attrs(root.resolve("extracted"))).isEqualTo("dir 755 0:0");
        assertThat(attrs(root.resolve("extracted/one.txt"))).isEqualTo("file 644 5:6");
        assertThat(attrs(root.resolve("extracted/inner"))).isEqualTo("dir 750 0:0");
        assertThat(Files.getLastModifiedTime(root.resolve("extracted/one.txt")))
                .isEqualTo(FileTime.from(Instant.parse("2019-02-03T04:05:06Z")));
        assertThat(root.resolve("extracted/bundle.data")).doesNotExist();
    }

    @Test
    void archiveEntriesKeepTheirOwnersButTheCreatedDestIsChowned() throws IOException {
        Files.write(ctx.resolve("arch.tar"), tar());
        add(CopyRequest.add(List.of("arch.tar"), "/a3/", "/").withChown("u2"));
        assertThat(attrs(root.resolve("a3"))).isEqualTo("dir 755 1001:2000");
        assertThat(attrs(root.resolve("a3/one.txt"))).isEqualTo("file 644 5:6");
        add(CopyRequest.add(List.of("arch.tar"), "/a2", "/"));
        assertThat(root.resolve("a2/one.txt")).hasContent("one");
    }

    @Test
    void unpackingOverwritesExistingFilesAndLeavesTheDestDirAlone() throws IOException {
        Files.write(ctx.resolve("arch.tar"), tar());
        Path ex = Files.createDirectories(root.resolve("ex"));
        Files.setAttribute(ex, "unix:mode", 0711);
        Path old = root.resolve("ex/one.txt");
        Files.writeString(old, "old content");
        Files.setAttribute(old, "unix:mode", 0600);
        add(CopyRequest.add(List.of("arch.tar"), "/ex/", "/"));
        assertThat(old).hasContent("one");
        assertThat(attrs(old)).isEqualTo("file 644 5:6");
        assertThat(attrs(ex)).isEqualTo("dir 711 0:0");
    }

    @Test
    void compressedNonArchivesAndUnpackFalseAreCopiedAsFiles() throws IOException {
        Files.write(ctx.resolve("p.txt.gz"), compress("gzip", "plain\n".getBytes(StandardCharsets.UTF_8)));
        Files.write(ctx.resolve("arch.tar"), tar());
        add(CopyRequest.add(List.of("p.txt.gz"), "/a7/", "/"));
        assertThat(attrs(root.resolve("a7/p.txt.gz"))).isEqualTo("file 644 0:0");
        add(CopyRequest.add(List.of("arch.tar"), "/kept/", "/").withUnpack(false));
        assertThat(Files.readAllBytes(root.resolve("kept/arch.tar"))).isEqualTo(tar());
        add(CopyRequest.add(List.of("arch.tar"), "/by-copy/", "/").withUnpack(null).withChmod("755")
                .withParents(false).withLink(false));
        assertThat(root.resolve("by-copy/one.txt")).exists();
    }

    @Test
    void copyNeverUnpacks() throws IOException {
        Files.write(ctx.resolve("arch.tar"), tar());
        copier.copy(CopyRequest.copy(List.of("arch.tar"), "/c/", "/"), new CopySource.Context(ctx, null), root);
        assertThat(root.resolve("c/arch.tar")).isRegularFile();
    }

    @Test
    void urlsAreDownloaded0600WithTheirLastModifiedTime() throws IOException {
        add(CopyRequest.add(List.of(url("/files/f.txt")), "/u1/", "/").withChown("u2"));
        Path f = root.resolve("u1/f.txt");
        assertThat(f).hasContent("served /files/f.txt");
        assertThat(attrs(f)).isEqualTo("file 600 1001:2000");
        assertThat(attrs(root.resolve("u1"))).isEqualTo("dir 755 1001:2000");
        assertThat(Files.getLastModifiedTime(f)).isEqualTo(FileTime.from(Instant.parse("2021-05-06T07:08:09Z")));
        add(CopyRequest.add(List.of(url("/files/g.txt")), "/u2", "/"));
        assertThat(root.resolve("u2")).isRegularFile().hasContent("served /files/g.txt");
        add(CopyRequest.add(List.of(url("/files/")), "/u3/", "/"));
        assertThat(root.resolve("u3/__unnamed__")).hasContent("served /files/");
    }

    @Test
    void remoteArchivesAreUnpackedOnlyWhenAsked() throws IOException {
        add(CopyRequest.add(List.of(url("/archive.tgz")), "/r1/", "/"));
        assertThat(root.resolve("r1/archive.tgz")).isRegularFile();
        add(CopyRequest.add(List.of(url("/archive.tgz")), "/r2/", "/").withUnpack(true));
        assertThat(root.resolve("r2/inner/two.txt")).hasContent("two");
    }

    @Test
    void checksumIsVerified() throws IOException {
        byte[] body = "served /files/c.txt\n".getBytes(StandardCharsets.UTF_8);
        String good = Digest.sha256(body).toString();
        add(CopyRequest.add(List.of(url("/files/c.txt")), "/c/", "/").withChecksum(good));
        assertThat(root.resolve("c/c.txt")).hasContent("served /files/c.txt");
        String bad = "sha256:" + "0".repeat(64);
        assertThatThrownBy(() -> add(CopyRequest.add(List.of(url("/files/d.txt")), "/d/", "/").withChecksum(bad)))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("checksum mismatch")
                .hasMessageContaining(bad);
        assertThat(root.resolve("d")).doesNotExist();
        assertThatThrownBy(() -> add(CopyRequest.add(List.of(url("/files/d.txt"), url("/files/e.txt")), "/d/", "/")
                .withChecksum(good))).hasMessage("checksum can't be specified for multiple sources");
    }

    @Test
    void httpErrorsFailTheAdd() {
        assertThatThrownBy(() -> add(CopyRequest.add(List.of(url("/missing")), "/m/", "/")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("HTTP status 404");
    }
}
