package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImageJsonTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();

    static byte[] fixture(String name) throws IOException {
        try (InputStream in = ImageJsonTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-manifest-list.json", "docker-v2s2-manifest.json", "oci-manifest.json",
            "config-with-history.json"})
    void roundTripKeepsEveryFieldButModelledNulls(String name) throws IOException {
        byte[] original = fixture(name);
        byte[] written = ImageJson.write(ImageJson.read(original));

        assertThat(withoutNullFields(PLAIN.readTree(written))).isEqualTo(withoutNullFields(PLAIN.readTree(original)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-manifest-list.json", "docker-v2s2-manifest.json", "oci-manifest.json",
            "config-with-history.json"})
    void writingIsCanonical(String name) throws IOException {
        byte[] once = ImageJson.write(ImageJson.read(fixture(name)));
        byte[] twice = ImageJson.write(ImageJson.read(once));

        assertThat(twice).isEqualTo(once);
        assertKeysSorted(PLAIN.readTree(once));
        String text = new String(once, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("\n").doesNotStartWith(" ");
        assertThat(text).doesNotContain("\": ").doesNotContain(", \"").doesNotContain("{ ");
    }

    @Test
    void equalValuesBuiltInDifferentOrdersHaveEqualBytes() {
        Map<String, String> ab = new LinkedHashMap<>();
        ab.put("a", "1");
        ab.put("b", "2");
        Map<String, String> ba = new LinkedHashMap<>();
        ba.put("b", "2");
        ba.put("a", "1");
        Digest d = Digest.sha256(new byte[0]);

        byte[] one = ImageJson.write(new Descriptor(MediaTypes.OCI_LAYER, d, 0).withAnnotations(ab));
        byte[] two = ImageJson.write(new Descriptor(MediaTypes.OCI_LAYER, d, 0).withAnnotations(ba));

        assertThat(one).isEqualTo(two);
        assertThat(new String(one, StandardCharsets.UTF_8)).isEqualTo(
                "{\"annotations\":{\"a\":\"1\",\"b\":\"2\"},\"digest\":\"" + d
                        + "\",\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"size\":0}");
    }

    @Test
    void unknownFieldsSurviveAtEveryLevel() {
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"top\":null,"
                + "\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\""
                + Digest.sha256(new byte[] {1}) + "\",\"size\":12,\"inDescriptor\":{\"x\":1.250},"
                + "\"platform\":{\"os\":\"linux\",\"architecture\":\"amd64\",\"features\":[\"sse4\"]}}]}";

        ImageIndex index = ImageJson.readIndex(json.getBytes(StandardCharsets.UTF_8));
        String written = new String(ImageJson.write(index), StandardCharsets.UTF_8);

        assertThat(index.extra()).containsKey("top");
        assertThat(index.manifests().get(0).extra()).containsKey("inDescriptor");
        assertThat(index.manifests().get(0).platform().extra()).containsKey("features");
        assertThat(written).contains("\"top\":null", "\"inDescriptor\":{\"x\":1.250}", "\"features\":[\"sse4\"]");
    }

    @Test
    void configUnknownFieldsInNestedObjectsSurvive() throws IOException {
        ImageConfig config = ImageJson.readConfig(fixture("config-with-history.json"));
        String written = new String(ImageJson.write(config), StandardCharsets.UTF_8);

        assertThat(config.config().extra()).containsKeys("Hostname", "Domainname", "AttachStdin", "Image");
        assertThat(config.extra()).containsKeys("container", "container_config", "docker_version",
                "moby.buildkit.buildinfo.v1");
        assertThat(written).contains("\"docker_version\":\"20.10.23\"", "\"AttachStdin\":false");
    }

    @Test
    void readsDockerManifestList() throws IOException {
        byte[] bytes = fixture("docker-manifest-list.json");
        JsonNode tree = PLAIN.readTree(bytes);

        ImageIndex index = ImageJson.readIndex(bytes);

        assertThat(index.effectiveMediaType()).isEqualTo(MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(index.manifests()).hasSize(tree.get("manifests").size());
        Descriptor arm = index.manifestFor(Platform.parse("linux/arm/v6")).orElseThrow();
        assertThat(arm.digest().toString()).isEqualTo(tree.get("manifests").get(1).get("digest").asText());
        Descriptor arm64 = index.manifestFor(Platform.parse("linux/arm64")).orElseThrow();
        assertThat(arm64.digest().toString()).isEqualTo(tree.get("manifests").get(2).get("digest").asText());
        Descriptor windows = index.manifests().get(3);
        assertThat(windows.platform().osVersion()).isEqualTo("10.0.17763.5576");
        assertThat(index.manifestFor(Platform.parse("linux/s390x"))).isEmpty();
    }

    @Test
    void readsDockerManifestWithForeignLayer() throws IOException {
        byte[] bytes = fixture("docker-v2s2-manifest.json");
        JsonNode tree = PLAIN.readTree(bytes);

        Manifest manifest = ImageJson.readManifest(bytes);

        assertThat(manifest.config().mediaType()).isEqualTo(MediaTypes.DOCKER_CONFIG);
        assertThat(manifest.config().size()).isEqualTo(tree.at("/config/size").asLong());
        assertThat(manifest.layers()).extracting(Descriptor::mediaType)
                .extracting(MediaTypes::isForeignLayer).containsExactly(false, true, false);
        assertThat(manifest.layers().get(1).urls()).hasSize(1);
        assertThat(manifest.layers().get(1).size()).isEqualTo(1568025718L);
        assertThat(MediaTypes.layerCompression(manifest.layers().get(0).mediaType()))
                .isEqualTo(MediaTypes.Compression.GZIP);
    }

    @Test
    void readsOciManifestWithSubjectAndAnnotations() throws IOException {
        byte[] bytes = fixture("oci-manifest.json");
        JsonNode tree = PLAIN.readTree(bytes);

        Manifest manifest = ImageJson.readManifest(bytes);

        assertThat(manifest.subject().digest().toString()).isEqualTo(tree.at("/subject/digest").asText());
        assertThat(manifest.annotations()).containsEntry("org.opencontainers.image.base.name",
                "docker.io/library/alpine:3.19");
        assertThat(MediaTypes.layerCompression(manifest.layers().get(1).mediaType()))
                .isEqualTo(MediaTypes.Compression.ZSTD);
        assertThat(manifest.layers().get(1).extra()).containsKey("data");
    }

    @Test
    void readsConfigWithHistoryAndHealthcheck() throws IOException {
        byte[] bytes = fixture("config-with-history.json");
        JsonNode tree = PLAIN.readTree(bytes);

        ImageConfig config = ImageJson.readConfig(bytes);

        ImageConfig.Healthcheck hc = config.config().healthcheck();
        assertThat(hc.test()).containsExactly("CMD-SHELL", "curl -f http://localhost/ || exit 1");
        assertThat(hc.interval()).isEqualTo(30_000_000_000L);
        assertThat(hc.startInterval()).isEqualTo(1_000_000_000L);
        assertThat(hc.retries()).isEqualTo(3);
        assertThat(config.config().exposedPorts()).containsOnlyKeys("80/tcp", "443/tcp");
        assertThat(config.config().envValue("NGINX_VERSION")).isEqualTo("1.25.4");
        assertThat(config.config().shell()).containsExactly("/bin/bash", "-c");
        assertThat(config.config().argsEscaped()).isTrue();
        assertThat(config.created()).isEqualTo(tree.get("created").asText());
        assertThat(config.historyOrEmpty()).extracting(ImageConfig.History::isEmptyLayer)
                .containsExactly(false, true, false, true);
        assertThat(config.historyOrEmpty().get(2).comment()).isEqualTo("buildkit.dockerfile.v0");
        assertThat(config.diffIds()).extracting(Digest::toString)
                .containsExactly(tree.at("/rootfs/diff_ids/0").asText(), tree.at("/rootfs/diff_ids/1").asText());
        config.checkHistoryMatchesLayers();
    }

    @Test
    void detectsKindByShapeWhenMediaTypeIsAbsent() throws IOException {
        ObjectNode manifest = (ObjectNode) PLAIN.readTree(fixture("oci-manifest.json"));
        manifest.remove("mediaType");
        ObjectNode index = (ObjectNode) PLAIN.readTree(fixture("docker-manifest-list.json"));
        index.remove("mediaType");

        assertThat(ImageJson.detect(manifest)).isEqualTo(ImageJson.Kind.MANIFEST);
        assertThat(ImageJson.detect(index)).isEqualTo(ImageJson.Kind.INDEX);
        assertThat(ImageJson.detect(PLAIN.readTree(fixture("config-with-history.json"))))
                .isEqualTo(ImageJson.Kind.CONFIG);
        assertThat(ImageJson.read(PLAIN.writeValueAsBytes(manifest))).isInstanceOf(Manifest.class);
        assertThat(((Manifest) ImageJson.read(PLAIN.writeValueAsBytes(manifest))).effectiveMediaType())
                .isEqualTo(MediaTypes.OCI_MANIFEST);
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> ImageJson.read("{\"schemaVersion\":1,\"fsLayers\":[]}".getBytes()))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("schema 1");
        assertThatThrownBy(() -> ImageJson.read("{\"os\":\"linux\",\"os\":\"windows\"}".getBytes()))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("Duplicate field");
        assertThatThrownBy(() -> ImageJson.read("{\"os\":\"linux\"} {}".getBytes()))
                .isInstanceOf(SlipwayException.class);
        assertThatThrownBy(() -> ImageJson.read("[1]".getBytes()))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("expected an object");
        assertThatThrownBy(() -> ImageJson.readManifest(("{\"schemaVersion\":2,\"mediaType\":\""
                + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"x\",\"digest\":\"sha256:12\",\"size\":1}}")
                .getBytes()))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("invalid sha256 digest");
        assertThatThrownBy(() -> ImageJson.readManifest("{\"os\":\"linux\"}".getBytes()))
                .isInstanceOf(SlipwayException.class).hasMessage("expected an image manifest, found an image config");
        for (String bad : List.of("{", "", "{\"a\":}", "{\"mediaType\":\"text/plain\"}")) {
            assertThatThrownBy(() -> ImageJson.read(bad.getBytes()))
                    .isInstanceOf(SlipwayException.class)
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        }
    }

    @Test
    void encodedDigestIsTheDigestOfTheWrittenBytes() throws IOException {
        ImageConfig config = ImageJson.readConfig(fixture("config-with-history.json"));

        ImageJson.Encoded<ImageConfig> encoded = ImageJson.encode(config);

        assertThat(encoded.digest()).isEqualTo(Digest.sha256(ImageJson.write(config)));
        assertThat(encoded.descriptor(MediaTypes.OCI_CONFIG).size()).isEqualTo(encoded.bytes().length);
        assertThat(ImageJson.readEncoded(fixture("oci-manifest.json")).digest())
                .isEqualTo(Digest.sha256(fixture("oci-manifest.json")));
    }

    private static JsonNode withoutNullFields(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = PLAIN.createObjectNode();
            node.fields().forEachRemaining(e -> {
                if (!e.getValue().isNull()) {
                    copy.set(e.getKey(), withoutNullFields(e.getValue()));
                }
            });
            return copy;
        }
        if (node.isArray()) {
            var copy = PLAIN.createArrayNode();
            node.forEach(element -> copy.add(withoutNullFields(element)));
            return copy;
        }
        return node;
    }

    private static void assertKeysSorted(JsonNode node) {
        if (node.isObject()) {
            List<String> keys = new ArrayList<>();
            Iterator<String> it = node.fieldNames();
            it.forEachRemaining(keys::add);
            assertThat(keys).isEqualTo(new ArrayList<>(new TreeMap<>(Map.of()) {{
                keys.forEach(k -> put(k, k));
            }}.keySet()));
            node.forEach(ImageJsonTest::assertKeysSorted);
        } else if (node.isArray()) {
            node.forEach(ImageJsonTest::assertKeysSorted);
        }
    }
}
