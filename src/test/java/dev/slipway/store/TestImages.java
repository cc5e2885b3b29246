package dev.slipway.store;

import dev.slipway.image.Digest;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Minimal OCI manifests, configs and indexes written straight into a store, for store tests. */
final class TestImages {
    private TestImages() {
    }

    record Written(Digest manifest, Digest config, List<Digest> layers, List<Digest> diffIds) {
    }

    /** An image whose layer blobs are the given strings (stored uncompressed, so blob = diffID). */
    static Written image(Store store, String... layerContents) {
        StringBuilder layers = new StringBuilder();
        StringBuilder diffIds = new StringBuilder();
        List<Digest> layerDigests = new java.util.ArrayList<>();
        for (String content : layerContents) {
            Blob b = store.content().put(content.getBytes(StandardCharsets.UTF_8));
            layerDigests.add(b.digest());
            layers.append(layers.isEmpty() ? "" : ",").append(descriptor(
                    "application/vnd.oci.image.layer.v1.tar", b));
            diffIds.append(diffIds.isEmpty() ? "" : ",").append('"').append(b.digest()).append('"');
        }
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                + diffIds + "]}}";
        Blob configBlob = store.content().put(config.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor("application/vnd.oci.image.config.v1+json", configBlob)
                + ",\"layers\":[" + layers + "]}";
        Blob manifestBlob = store.content().put(manifest.getBytes(StandardCharsets.UTF_8));
        return new Written(manifestBlob.digest(), configBlob.digest(), layerDigests, layerDigests);
    }

    static Digest index(Store store, Digest... manifests) {
        StringBuilder entries = new StringBuilder();
        for (Digest m : manifests) {
            entries.append(entries.isEmpty() ? "" : ",").append(descriptor(
                    "application/vnd.oci.image.manifest.v1+json", new Blob(m, store.content().size(m))));
        }
        String index = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\","
                + "\"manifests\":[" + entries + "]}";
        return store.content().put(index.getBytes(StandardCharsets.UTF_8)).digest();
    }

    private static String descriptor(String mediaType, Blob blob) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + blob.digest() + "\",\"size\":" + blob.size() + "}";
    }
}
