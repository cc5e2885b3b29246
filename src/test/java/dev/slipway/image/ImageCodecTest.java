package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ImageCodec} against Jackson's data binding, which it must match value for value and byte for byte. */
class ImageCodecTest {
    private static final String D1 = "sha256:" + "1".repeat(64);
    private static final String D2 = "sha256:" + "2".repeat(64);

    private static Class<?> typeOf(JsonNode tree) {
        return switch (ImageJson.detect(tree)) {
            case MANIFEST -> Manifest.class;
            case INDEX -> ImageIndex.class;
            case CONFIG -> ImageConfig.class;
        };
    }

    /** Reads {@code json} both ways; returns the codec's value (null when it left the document to Jackson). */
    private static Object readBothWays(String json) {
        JsonNode tree = ImageJson.readTree(json.getBytes(StandardCharsets.UTF_8));
        Class<?> type = typeOf(tree);
        Object plain = ImageCodec.fromTree(tree, type);
        Object bound;
        try {
            bound = ImageJson.bind(ImageJson.readTree(json.getBytes(StandardCharsets.UTF_8)), type, "image JSON");
        } catch (SlipwayException e) {
            assertThat(plain).as("Jackson refuses it (" + e.getMessage() + "), so the codec must leave it to Jackson").isNull();
            return null;
        }
        if (plain != null) {
            assertThat(plain).isEqualTo(bound);
            assertThat(ImageJson.write(plain)).isEqualTo(ImageJson.writeBound(bound));
        }
        assertThat(ImageJson.write(bound)).isEqualTo(ImageJson.writeBound(bound));
        return plain;
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-manifest-list.json", "docker-v2s2-manifest.json", "oci-manifest.json",
            "config-with-history.json"})
    void readsAndWritesTheFixturesAsJacksonDoes(String name) throws IOException {
        String json = new String(ImageJsonTest.fixture(name), StandardCharsets.UTF_8);

        assertThat(readBothWays(json)).as("the codec reads the fixture itself").isNotNull();
    }

    @Test
    void aConfigWithEveryFieldAndUnknownOnesReadsAsJacksonReadsIt() {
        String json = """
                {"created":"2024-01-01T00:00:00Z","author":"a","architecture":"arm64","os":"linux",
                 "os.version":"1","os.features":["f"],"variant":"v8","more":{"x":[1,2.50,null]},
                 "config":{"User":"u","ExposedPorts":{"80/tcp":{}},"Env":["A=1"],"Entrypoint":["/e"],"Cmd":null,
                   "Volumes":{"/v":{"k":null}},"WorkingDir":"/w","Labels":{"l":"v"},"StopSignal":"SIGTERM",
                   "Healthcheck":{"Test":["NONE"],"Interval":1,"Timeout":2,"StartPeriod":3,"StartInterval":4,
                     "Retries":5,"Other":true},
                   "Shell":["/bin/sh","-c"],"OnBuild":null,"ArgsEscaped":true,"Hostname":"","Big":123456789012345678901},
                 "rootfs":{"type":"layers","diff_ids":["%s","%s"],"more":1},
                 "history":[{"created":"c","created_by":"b","author":"a","comment":"m","empty_layer":true,"x":{}},
                   {"created_by":"RUN x"}],
                 "container_config":{"Cmd":["x"]}}
                """.formatted(D1, D2);

        assertThat(readBothWays(json)).isNotNull();
    }

    @Test
    void manifestsAndIndexesWithPlatformsReadAsJacksonReadsThem() {
        String manifest = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","artifactType":"t",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":7},
                 "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"%s","size":0,
                   "urls":["http://x"],"annotations":{"a":"b"},"data":"e30="}],
                 "subject":null,"annotations":{"k":"v"},"other":[true]}
                """.formatted(D1, D2);
        String index = """
                {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "digest":"%s","size":10,"platform":{"architecture":"arm","os":"linux","variant":"v7",
                 "os.version":"10","os.features":["sse4"],"features":["x"]}}]}
                """.formatted(D1);

        assertThat(readBothWays(manifest)).isNotNull();
        assertThat(readBothWays(index)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":5}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Healthcheck\":{\"Retries\":\"3\"}}}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Healthcheck\":{\"Interval\":1.5}}}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":[\"A\",null]}}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Labels\":{\"a\":null}}}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"ArgsEscaped\":\"true\"}}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"unknown\":null}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"extra\":{}}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"history\":[null]}",
        "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[\"sha256:12\"]}}",
        "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"m\",\"digest\":\"sha256:" + "0000000000000000"
                + "000000000000000000000000000000000000000000000000\"}]}",
        "{\"schemaVersion\":3,\"manifests\":[]}",
        "{\"schemaVersion\":2,\"config\":{\"mediaType\":\"m\",\"digest\":\"x\",\"size\":1}}"})
    void leavesAnythingUnusualToJackson(String json) {
        assertThat(readBothWays(json)).isNull();
    }

    @Test
    void unusualDocumentsStillReadOrFailAsBefore() {
        ImageConfig coerced = ImageJson.readConfig(
                "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":5}".getBytes(StandardCharsets.UTF_8));

        assertThat(coerced.created()).isEqualTo("5");
        assertThatThrownBy(() -> ImageJson.read("{\"schemaVersion\":3,\"manifests\":[]}"
                .getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("schemaVersion 3");
    }

    @Test
    void writesBuiltRecordsAsJacksonWritesThem() {
        ImageConfig config = ImageConfig.empty(new Platform("linux", "arm64", "v8"))
                .withLayer(Digest.parse(D1), new ImageConfig.History("2024-01-01T00:00:00Z", "COPY . /", null))
                .withEmptyLayerHistory(new ImageConfig.History(null, "ENV A=1", "c"))
                .withConfig(ImageConfig.ContainerConfig.EMPTY.toBuilder().build());
        Manifest manifest = Manifest.of(new Descriptor(MediaTypes.OCI_CONFIG, Digest.parse(D1), 3),
                List.of(new Descriptor(MediaTypes.OCI_LAYER, Digest.parse(D2), 4)), false)
                .withAnnotations(Map.of("a", "b"));
        ImageIndex index = ImageIndex.of(List.of(new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(D2), 5)
                .withPlatform(Platform.parse("linux/arm/v7"))));

        for (Object value : List.of(config, manifest, index)) {
            assertThat(new String(ImageJson.write(value), StandardCharsets.UTF_8))
                    .isEqualTo(new String(ImageJson.writeBound(value), StandardCharsets.UTF_8));
        }
    }

    @Test
    void treesOfContainerConfigsAndStringMapsAreJacksonsKeyForKeyInOrder() throws IOException {
        String json = new String(ImageJsonTest.fixture("config-with-history.json"), StandardCharsets.UTF_8);
        ImageConfig.ContainerConfig fromFixture = ImageJson.readConfig(json.getBytes(StandardCharsets.UTF_8)).configOrEmpty();
        ImageConfig.ContainerConfig built = ImageConfig.ContainerConfig.EMPTY.toBuilder().build();
        Map<String, Object> nested = new java.util.TreeMap<>(Map.of("b/repo", Map.of("z", "1", "a", "2"), "a", "x"));
        for (Object value : List.of(fromFixture, built, nested, Map.of("imageLayoutVersion", "1.0.0"))) {
            assertThat(ImageCodec.toTree(value)).as("the codec writes %s itself", value).isNotNull();
            assertThat(new String(JsonTrees.write(ImageJson.tree(value)), StandardCharsets.UTF_8))
                    .isEqualTo(new String(JsonTrees.write(ImageJson.treeBound(value)), StandardCharsets.UTF_8));
        }
        Map<String, Object> withNull = new java.util.HashMap<>();
        withNull.put("a", null);
        assertThat(ImageCodec.toTree(withNull)).as("a null value is left to Jackson").isNull();
        assertThat(ImageCodec.toTree(Map.of(1, "x"))).as("a key that is not a string is left to Jackson").isNull();
    }
}
