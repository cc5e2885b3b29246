package dev.slipway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCommandsTest {
    @TempDir
    Path tmp;

    private CliRun run(String... args) {
        return CliRun.run(Stream.concat(Stream.of("--root", tmp.resolve("root").toString()), Arrays.stream(args))
                .toArray(String[]::new));
    }

    /** Entries as (name, type, content-or-link); files in the given order. */
    private static byte[] tar(boolean gzip, String[]... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream sink = gzip ? new GzipCompressorOutputStream(bytes) : bytes;
                TarArchiveOutputStream t = new TarArchiveOutputStream(sink)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String[] e : entries) {
                byte flag = switch (e[1]) {
                    case "dir" -> TarConstants.LF_DIR;
                    case "symlink" -> TarConstants.LF_SYMLINK;
                    case "hardlink" -> TarConstants.LF_LINK;
                    default -> TarConstants.LF_NORMAL;
                };
                TarArchiveEntry entry = new TarArchiveEntry(e[0], flag, true);
                entry.setModTime(1_700_000_000_000L);
                if (flag == TarConstants.LF_SYMLINK || flag == TarConstants.LF_LINK) {
                    entry.setLinkName(e[2]);
                }
                byte[] content = flag == TarConstants.LF_NORMAL ? e[2].getBytes(StandardCharsets.UTF_8) : new byte[0];
                entry.setSize(content.length);
                t.putArchiveEntry(entry);
                t.write(content);
                t.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private Path write(String name, byte[] content) throws IOException {
        Path p = tmp.resolve(name);
        Files.write(p, content);
        return p;
    }

    private Path rootfs() throws IOException {
        return write("rootfs.tar", tar(false, new String[] {"bin/", "dir", ""},
                new String[] {"bin/sh", "file", "#!fake shell\n"}, new String[] {"etc/", "dir", ""},
                new String[] {"etc/hostname", "file", "box\n"}, new String[] {"bin/ash", "symlink", "sh"}));
    }

    private long blobCount() throws IOException {
        Path blobs = tmp.resolve("root/blobs/sha256");
        if (!Files.isDirectory(blobs)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(blobs)) {
            return s.count();
        }
    }

    @Test
    void importThenListHistoryInspectTagRmi() throws IOException {
        CliRun imported = run("import", "-c", "CMD [\"sh\"]", "--change", "ENV A=b", "-c", "EXPOSE 80",
                "-m", "hello", rootfs().toString(), "demo:1");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).matches("sha256:[0-9a-f]{64}\\n");
        String id = imported.out().strip();

        CliRun images = run("images");
        String[] lines = images.out().split("\n");
        assertThat(lines[0]).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE");
        assertThat(lines[1]).matches("demo +1 +" + id.substring(7, 19) + " +(Less than a second|1 second|\\d+ seconds) ago +\\d+(\\.\\d+)?kB");
        assertThat(run("images", "-q").out()).isEqualTo(id.substring(7, 19) + "\n");
        assertThat(run("images", "-q", "--no-trunc").out()).isEqualTo(id + "\n");
        assertThat(run("images", "other").out().split("\n")).hasSize(1);
        JsonNode row = new ObjectMapper().readTree(run("images", "--format", "json").out());
        assertThat(row.get("Repository").asText()).isEqualTo("demo");
        assertThat(row.get("Tag").asText()).isEqualTo("1");

        CliRun history = run("history", "demo:1");
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(history.out().split("\n")[0]).matches("IMAGE +CREATED +CREATED BY +SIZE +COMMENT");
        assertThat(history.out().split("\n")[1]).startsWith(id.substring(7, 19)).endsWith("hello");
        assertThat(run("history", "-H=false", "demo:1").out().split("\n")[0]).contains("CREATED AT");

        CliRun inspect = run("inspect", "demo:1");
        JsonNode doc = new ObjectMapper().readTree(inspect.out()).get(0);
        assertThat(inspect.out()).startsWith("[\n    {\n        \"Id\": \"" + id + "\"");
        assertThat(doc.get("RepoTags").get(0).asText()).isEqualTo("demo:1");
        assertThat(doc.at("/Config/Cmd/0").asText()).isEqualTo("sh");
        assertThat(doc.at("/Config/Env/0").asText()).isEqualTo("A=b");
        assertThat(doc.at("/Config/ExposedPorts").has("80/tcp")).isTrue();
        assertThat(doc.at("/RootFS/Layers")).hasSize(1);
        assertThat(doc.get("Comment").asText()).isEqualTo("hello");

        assertThat(run("tag", id.substring(7, 15), "other/name:2").exit()).isZero();
        assertThat(run("images").out()).contains("other/name", "demo");
        CliRun conflict = run("rmi", id.substring(7, 19));
        assertThat(conflict.exit()).isEqualTo(1);
        assertThat(conflict.err()).contains("must be forced");

        CliRun untag = run("rmi", "demo:1");
        assertThat(untag.out()).isEqualTo("Untagged: demo:1\n");
        assertThat(blobCount()).isEqualTo(3);
        CliRun removed = run("rmi", "other/name:2");
        assertThat(removed.out()).isEqualTo("Untagged: other/name:2\nDeleted: " + id + "\n");
        assertThat(blobCount()).isZero();
        assertThat(run("images", "-q").out()).isEmpty();
    }

    @Test
    void importUnpacksTheLayerSoThatABuildFindsItReady() throws IOException {
        CliRun imported = run("import", rootfs().toString(), "ready:1");
        assertThat(imported.exit()).as(imported.err()).isZero();
        String diffId = new ObjectMapper().readTree(run("inspect", "ready:1").out()).get(0).at("/RootFS/Layers/0")
                .asText();
        Path layer = tmp.resolve("root/layers").resolve(diffId.substring("sha256:".length()));
        assertThat(layer.resolve("etc/hostname")).hasContent("box");
        assertThat(Files.readSymbolicLink(layer.resolve("bin/ash"))).isEqualTo(Path.of("sh"));

        assertThat(run("rmi", "ready:1").exit()).isZero();
        assertThat(layer).doesNotExist();
    }

    @Test
    void importingTheSameTarTwiceGivesTheSameLayer() throws IOException {
        Path plain = rootfs();
        Path gz = write("rootfs.tar.gz", tar(true, new String[] {"bin/ash", "symlink", "sh"},
                new String[] {"etc/hostname", "file", "box\n"}, new String[] {"bin/sh", "file", "#!fake shell\n"},
                new String[] {"etc/", "dir", ""}, new String[] {"bin/", "dir", ""}));
        run("import", plain.toString(), "a");
        run("import", gz.toString(), "b");
        JsonNode a = new ObjectMapper().readTree(run("inspect", "a").out()).get(0);
        JsonNode b = new ObjectMapper().readTree(run("inspect", "b").out()).get(0);
        assertThat(a.at("/RootFS/Layers/0").asText()).isEqualTo(b.at("/RootFS/Layers/0").asText()).startsWith("sha256:");
    }

    @Test
    void hostileTarsAreRefusedAndNothingIsWritten() throws IOException {
        Path outside = tmp.resolve("outside");
        Files.createDirectories(outside);
        String[][][] hostile = {
            {{"../escape", "file", "x"}},
            {{"/etc/passwd", "file", "x"}},
            {{"a/../../escape", "file", "x"}},
            {{"evil", "symlink", outside.toString()}, {"evil/pwned", "file", "x"}},
            {{"evil", "symlink", "../../.."}, {"evil/pwned", "file", "x"}},
            {{"link", "hardlink", "/etc/passwd"}},
            {{"link", "hardlink", "../outside/x"}},
        };
        int i = 0;
        for (String[][] entries : hostile) {
            CliRun r = run("import", write("hostile" + i++ + ".tar", tar(false, entries)).toString(), "bad");
            assertThat(r.exit()).as(Arrays.deepToString(entries)).isEqualTo(1);
            assertThat(r.err()).startsWith("error: refusing archive entry").doesNotContain("\tat ");
            assertThat(r.err().strip().lines()).hasSize(1);
        }
        assertThat(blobCount()).isZero();
        assertThat(run("images", "-q").out()).isEmpty();
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        assertThat(tmp.getParent().resolve("escape")).doesNotExist();
    }

    @Test
    void truncatedTarIsAOneLineErrorAndTheStoreIsUntouched() throws IOException {
        byte[] whole = Files.readAllBytes(rootfs());
        Path cut = write("cut.tar", Arrays.copyOf(whole, 700));
        CliRun r = run("import", cut.toString(), "cut");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).startsWith("error: ").contains("truncated");
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(blobCount()).isZero();
    }

    @Test
    void unknownImageAndCorruptBlobAreOneLineErrors() throws IOException {
        CliRun unknown = run("history", "nope");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("error: No such image: nope:latest\n");

        String id = run("import", rootfs().toString(), "x").out().strip();
        Files.writeString(tmp.resolve("root/blobs/sha256/" + id.substring(7)), "{\"tampered\":true}");
        CliRun corrupt = run("inspect", "x");
        assertThat(corrupt.exit()).isEqualTo(1);
        assertThat(corrupt.err()).contains(id, "corrupt");
        assertThat(corrupt.err().strip().lines()).hasSize(1);
    }

    @Test
    void pruneReportsReclaimedSpace() throws IOException {
        Files.createDirectories(tmp.resolve("root/tmp"));
        Files.write(tmp.resolve("root/tmp/blob-1-leftover"), new byte[12_345]);
        CliRun r = run("prune", "-f");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("Total reclaimed space: 12.35kB\n");
    }
}
