package dev.slipway.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The shape the README documents for {@code --format json} and {@code --format dive-json}. */
class JsonReportTest {
    private static Set<String> keys(JsonNode n) {
        Set<String> keys = new TreeSet<>();
        n.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    @Test
    void schemaVersionOneShape() throws Exception {
        Analysis a = new Analyzer().analyze(AnalyzerTest.fixture());
        JsonNode root = new ObjectMapper().readTree(JsonReport.write(JsonReport.analysis(a)));
        assertThat(keys(root)).containsExactlyInAnyOrder("schemaVersion", "image", "layers", "dive", "corrected",
                "base", "largestFiles", "largestDirectories", "stages");
        assertThat(root.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(keys(root.get("image"))).containsExactlyInAnyOrder("name", "repository", "tag", "id",
                "layerCount", "sizeBytes", "tarBytes", "compressedBytes", "visibleBytes", "files");
        JsonNode layer = root.get("layers").get(3);
        assertThat(keys(layer)).containsExactlyInAnyOrder("index", "digest", "diffId", "mediaType", "compressedBytes",
                "tarBytes", "sizeBytes", "command", "createdBy", "comment", "stage", "base", "added", "modified",
                "removed", "changes");
        assertThat(layer.get("changes").get(1).toString())
                .isEqualTo("{\"path\":\"/etc/base.conf\",\"change\":\"removed\",\"type\":\"file\",\"size\":1200}");
        assertThat(keys(root.get("dive"))).containsExactlyInAnyOrder("sizeBytes", "userSizeBytes", "efficiency",
                "wastedBytes", "userWastedPercent", "inefficientFiles");
        assertThat(root.get("dive").get("wastedBytes").asLong()).isEqualTo(2200 + 8000 + 700);
        assertThat(keys(root.get("corrected"))).containsExactlyInAnyOrder("reclaimableBytes", "reclaimable",
                "efficiency", "diveWastedBytesExcludingKept", "userSizeBytes", "userReclaimableBytes",
                "userWastedPercent", "duplicateBytes", "duplicates", "largestWasted");
        assertThat(keys(root.get("corrected").get("reclaimable"))).containsExactlyInAnyOrder("overwritten", "deleted",
                "deletedWithDirectory", "opaqueDirectory");
        assertThat(root.get("corrected").get("reclaimable").get("opaqueDirectory").toString())
                .isEqualTo("{\"bytes\":1200,\"files\":1}");
        assertThat(root.get("corrected").get("largestWasted").get(0).toString()).isEqualTo(
                "{\"path\":\"/app/data.bin\",\"size\":4000,\"layer\":1,\"hiddenBy\":2,\"reason\":\"overwritten\"}");
        assertThat(root.get("base").toString()).isEqualTo("{\"layers\":1,\"method\":\"slipway-history\",\"name\":null}");
        assertThat(root.get("stages").get(1).get("stage").asText()).isEqualTo("build");
    }

    @Test
    void undefinedRatiosAreNull() throws Exception {
        Analysis a = new Analyzer().analyze(new Fixture.Image("one")
                .layer(new Fixture.Tar().file("f", Fixture.bytes(10, 1)), "a", null));
        JsonNode root = new ObjectMapper().readTree(JsonReport.write(JsonReport.analysis(a)));
        assertThat(root.get("dive").get("userWastedPercent").isNull()).isTrue();
        assertThat(root.get("corrected").get("userWastedPercent").isNull()).isTrue();
    }

    @Test
    void diveExportShape() throws Exception {
        Analysis a = new Analyzer().analyze(AnalyzerTest.fixture());
        JsonNode root = new ObjectMapper().readTree(JsonReport.write(JsonReport.dive(a)));
        assertThat(keys(root)).containsExactly("image", "layer");
        assertThat(keys(root.get("image"))).containsExactlyInAnyOrder("sizeBytes", "inefficientBytes",
                "efficiencyScore", "fileReference");
        assertThat(root.get("image").get("fileReference").get(0).toString())
                .isEqualTo("{\"count\":2,\"sizeBytes\":8000,\"file\":\"/app/data.bin\"}");
        JsonNode file = root.get("layer").get(0).get("fileList").get(0);
        assertThat(keys(file)).containsExactlyInAnyOrder("path", "typeFlag", "linkName", "size", "fileMode", "uid",
                "gid", "isDir");
        // etc/ is a directory 0755: Go's os.ModeDir | 0755
        assertThat(file.get("path").asText()).isEqualTo("etc");
        assertThat(file.get("fileMode").asLong()).isEqualTo((1L << 31) | 0755);
        assertThat(file.get("typeFlag").asInt()).isEqualTo('5');
        List<String> paths = root.get("layer").get(3).get("fileList").findValuesAsText("path");
        assertThat(paths).doesNotContain("etc/.wh..wh..opq").contains(".wh.opt");
    }
}
