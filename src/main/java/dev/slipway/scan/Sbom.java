package dev.slipway.scan;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * CycloneDX 1.5 and SPDX 2.3 JSON documents for a catalogue. Identifiers derive from the content
 * (a name-based UUID of the image and package list), so the same image gives the same document
 * apart from the timestamp, which the caller passes.
 */
public final class Sbom {
    private Sbom() {
    }

    public static ObjectNode cycloneDx(Catalog catalog, Instant created, String toolVersion) {
        ObjectNode root = ScanReport.JSON.createObjectNode();
        root.put("bomFormat", "CycloneDX");
        root.put("specVersion", "1.5");
        root.put("serialNumber", "urn:uuid:" + uuid(catalog));
        root.put("version", 1);
        ObjectNode metadata = root.putObject("metadata");
        metadata.put("timestamp", created.truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode tool = metadata.putObject("tools").putArray("components").addObject();
        tool.put("type", "application");
        tool.put("name", "slipway");
        tool.put("version", toolVersion);
        ObjectNode image = metadata.putObject("component");
        image.put("type", "container");
        image.put("bom-ref", "image");
        image.put("name", catalog.image());
        ArrayNode components = root.putArray("components");
        if (catalog.os() != null) {
            ObjectNode os = components.addObject();
            os.put("type", "operating-system");
            os.put("bom-ref", "os");
            os.put("name", catalog.os().id());
            if (catalog.os().versionId() != null) {
                os.put("version", catalog.os().versionId());
            }
        }
        Set<String> refs = new HashSet<>();
        for (Package p : catalog.packages()) {
            String purl = Purls.of(p, catalog.os());
            ObjectNode c = components.addObject();
            c.put("type", "library");
            c.put("bom-ref", unique(refs, purl));
            c.put("name", p.name());
            if (!p.version().isEmpty()) {
                c.put("version", p.version());
            }
            c.put("purl", purl);
            if (p.license() != null && !p.license().isBlank()) {
                c.putArray("licenses").addObject().put("expression", p.license());
            }
            ArrayNode props = c.putArray("properties");
            props.addObject().put("name", "slipway:package:type").put("value", p.type().label());
            if (p.path() != null) {
                props.addObject().put("name", "slipway:location:path").put("value", p.path());
            }
            Catalog.Layer layer = catalog.layer(p);
            if (layer != null) {
                props.addObject().put("name", "slipway:layer:diffID").put("value", layer.diffId());
            }
            if (!p.sourceName().equals(p.name())) {
                props.addObject().put("name", "slipway:package:source").put("value", p.sourceName());
            }
        }
        return root;
    }

    private static String unique(Set<String> used, String ref) {
        String r = ref;
        for (int n = 2; !used.add(r); n++) {
            r = ref + "#" + n;
        }
        return r;
    }

    public static ObjectNode spdx(Catalog catalog, Instant created, String toolVersion) {
        ObjectNode root = ScanReport.JSON.createObjectNode();
        root.put("spdxVersion", "SPDX-2.3");
        root.put("dataLicense", "CC0-1.0");
        root.put("SPDXID", "SPDXRef-DOCUMENT");
        root.put("name", catalog.image());
        root.put("documentNamespace", "https://slipway.dev/spdx/" + safe(catalog.image()) + "-" + uuid(catalog));
        ObjectNode info = root.putObject("creationInfo");
        info.put("created", created.truncatedTo(ChronoUnit.SECONDS).toString());
        info.putArray("creators").add("Tool: slipway-" + toolVersion);
        ArrayNode packages = root.putArray("packages");
        ArrayNode relationships = root.putArray("relationships");
        ObjectNode image = packages.addObject();
        image.put("SPDXID", "SPDXRef-Image");
        image.put("name", catalog.image());
        image.put("downloadLocation", "NOASSERTION");
        image.put("primaryPackagePurpose", "CONTAINER");
        image.put("filesAnalyzed", false);
        relationships.addObject().put("spdxElementId", "SPDXRef-DOCUMENT").put("relationshipType", "DESCRIBES")
                .put("relatedSpdxElement", "SPDXRef-Image");
        int n = 0;
        for (Package p : catalog.packages()) {
            String id = "SPDXRef-Package-" + p.type().label() + "-" + (++n);
            ObjectNode o = packages.addObject();
            o.put("SPDXID", id);
            o.put("name", p.name());
            if (!p.version().isEmpty()) {
                o.put("versionInfo", p.version());
            }
            o.put("downloadLocation", "NOASSERTION");
            o.put("filesAnalyzed", false);
            o.put("licenseDeclared", "NOASSERTION");
            if (p.path() != null) {
                o.put("sourceInfo", "found in " + p.path());
            }
            o.putArray("externalRefs").addObject().put("referenceCategory", "PACKAGE-MANAGER")
                    .put("referenceType", "purl").put("referenceLocator", Purls.of(p, catalog.os()));
            relationships.addObject().put("spdxElementId", "SPDXRef-Image").put("relationshipType", "CONTAINS")
                    .put("relatedSpdxElement", id);
        }
        return root;
    }

    private static String safe(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "-");
    }

    private static UUID uuid(Catalog catalog) {
        StringBuilder content = new StringBuilder(catalog.image());
        catalog.layers().forEach(l -> content.append('\n').append(l.diffId()));
        catalog.packages().forEach(p -> content.append('\n').append(p.key()));
        return UUID.nameUUIDFromBytes(content.toString().getBytes(StandardCharsets.UTF_8));
    }
}
