package dev.slipway.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Both SBOMs validate against the published schemas: CycloneDX's bom-1.5 (with the spdx and jsf
 * schemas it references) as shipped in cyclonedx-core-java, SPDX 2.3's as shipped in spdx tools-java.
 */
class SbomSchemaTest {
    private static Catalog catalog() {
        LayerInput layer = new TestLayers().file("etc/os-release", CatalogerTest.OS_RELEASE)
                .file("var/lib/dpkg/status", CatalogerTest.STATUS + "\n" + CatalogerTest.LIBC)
                .file("app/node_modules/@types/node/package.json", "{\"name\":\"@types/node\",\"version\":\"20.1.0\",\"license\":\"MIT\"}")
                .file("usr/lib/python3/site-packages/Flask_Login-0.6.3.dist-info/METADATA", "Name: Flask_Login\nVersion: 0.6.3\n")
                .input("sha256:0123456789abcdef");
        return new Cataloger().catalog("registry.example/app:1.0", List.of(layer));
    }

    private static JsonSchema schema(String resource) {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7, b -> b.schemaMappers(m -> m
                .mapPrefix("http://cyclonedx.org/schema/", "classpath:")));
        return factory.getSchema(SchemaLocation.of("classpath:" + resource));
    }

    @Test
    void cycloneDxValidates() {
        JsonNode doc = Sbom.cycloneDx(catalog(), Instant.parse("2026-01-01T00:00:00Z"), "0.1.0");
        Set<ValidationMessage> errors = schema("bom-1.5.schema.json").validate(doc);
        assertThat(errors).isEmpty();
        assertThat(doc.path("components")).hasSize(6);
        for (JsonNode c : doc.path("components")) {
            if (!c.path("type").asText().equals("operating-system")) {
                assertThat(c.path("purl").asText()).startsWith("pkg:");
            }
        }
        assertThat(doc.toString()).contains("pkg:deb/debian/libssl3@3.0.9-1?arch=amd64&distro=debian-12&upstream=openssl",
                "pkg:pypi/flask-login@0.6.3", "pkg:npm/%40types/node@20.1.0");
    }

    @Test
    void spdxValidates() {
        JsonNode doc = Sbom.spdx(catalog(), Instant.parse("2026-01-01T00:00:00Z"), "0.1.0");
        Set<ValidationMessage> errors = schema("resources/spdx-schema-v2.3.json").validate(doc);
        assertThat(errors).isEmpty();
        assertThat(doc.path("packages")).hasSize(6);
        assertThat(doc.path("relationships")).hasSize(6);
    }

    @Test
    void schemaCatchesABrokenDocument() {
        var doc = Sbom.cycloneDx(catalog(), Instant.parse("2026-01-01T00:00:00Z"), "0.1.0");
        ((com.fasterxml.jackson.databind.node.ObjectNode) doc.path("components").get(1)).put("type", "gadget");
        assertThat(schema("bom-1.5.schema.json").validate(doc)).isNotEmpty();
        var spdx = Sbom.spdx(catalog(), Instant.parse("2026-01-01T00:00:00Z"), "0.1.0");
        spdx.remove("creationInfo");
        assertThat(schema("resources/spdx-schema-v2.3.json").validate(spdx)).isNotEmpty();
    }
}
