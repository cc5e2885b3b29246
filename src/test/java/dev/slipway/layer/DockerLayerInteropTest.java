package dev.slipway.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Go's archive/tar, through a real Docker engine, reads what LayerWriter writes: a layer goes in
 * with {@code docker import} and comes back with {@code docker save}, entry for entry.
 */
@Tag("integration")
class DockerLayerInteropTest {
    private static final String DOCKER_HOST = System.getenv().getOrDefault("SLIPWAY_TEST_DOCKER_HOST",
            "unix:///var/tmp/slipway-oracle/docker.sock");

    private static String docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/docker"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DOCKER_HOST", DOCKER_HOST);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", cmd) + ": " + out).isZero();
        return out.trim();
    }

    @Test
    void dockerReadsOurLayerEntryForEntry(@TempDir Path dir) throws Exception {
        List<LayerEntry> entries = new ArrayList<>(LayerWriterTest.sample());
        entries.removeIf(LayerEntry::isWhiteout); // a rootfs for import has none
        entries.add(LayerEntry.directory("dev", 0755, 0, 0, 1006));
        entries.add(LayerEntry.directory("run", 0755, 0, 0, 1007));
        entries.add(LayerEntry.directory("usr/bin/sub", 0755, 0, 0, 1000));
        Path tar = dir.resolve("layer.tar");
        Files.write(tar, LayerWriterTest.write(entries, OptionalLong.empty()));
        String tag = "slipway-layer-interop:" + ProcessHandle.current().pid();
        docker("import", tar.toString(), tag);
        try {
            Path saved = dir.resolve("saved.tar");
            docker("save", "-o", saved.toString(), tag);
            byte[] layer = member(saved, layerName(saved));
            Map<String, LayerEntry> theirs = new TreeMap<>();
            for (LayerEntry e : LayerWriterTest.read(layer)) {
                theirs.put(e.path(), e);
            }
            for (LayerEntry ours : entries) {
                LayerEntry back = theirs.get(ours.path());
                assertThat(back).as(ours.path()).isNotNull();
                assertThat(back.type()).as(ours.path()).isEqualTo(ours.type());
                assertThat(back.mode()).as(ours.path()).isEqualTo(ours.mode());
                assertThat(back.uid()).as(ours.path()).isEqualTo(ours.uid());
                assertThat(back.gid()).as(ours.path()).isEqualTo(ours.gid());
                assertThat(back.size()).as(ours.path()).isEqualTo(ours.size());
                assertThat(back.linkTarget()).as(ours.path()).isEqualTo(ours.linkTarget());
                assertThat(back.devMajor()).as(ours.path()).isEqualTo(ours.devMajor());
                assertThat(back.devMinor()).as(ours.path()).isEqualTo(ours.devMinor());
                if (ours.type() != EntryType.DIRECTORY) {
                    assertThat(back.mtime()).as(ours.path()).isEqualTo(ours.mtime());
                }
                assertThat(back.xattrs().keySet()).as(ours.path()).containsAll(ours.xattrs().keySet());
                ours.xattrs().forEach((k, v) -> assertThat(back.xattrs().get(k)).as(ours.path() + " " + k).isEqualTo(v));
            }
        } finally {
            docker("rmi", "-f", tag);
        }
    }

    private static String layerName(Path saved) throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(member(saved, "manifest.json"));
        return manifest.get(0).get("Layers").get(0).asText();
    }

    private static byte[] member(Path archive, String name) throws IOException {
        try (InputStream raw = Files.newInputStream(archive); TarArchiveInputStream in = new TarArchiveInputStream(raw)) {
            for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.getName().equals(name)) {
                    return in.readAllBytes();
                }
            }
        }
        throw new AssertionError(name + " not in " + archive);
    }
}
