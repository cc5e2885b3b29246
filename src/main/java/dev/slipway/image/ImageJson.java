package dev.slipway.image;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.slipway.SlipwayException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Reads and writes the image JSON documents (and any other JSON Slipway stores).
 *
 * <p>Writing is canonical, so that the same value always has the same bytes and the same digest:
 * UTF-8, no whitespace at all, object keys sorted at every level by {@link String#compareTo}
 * (unknown fields included, so the order does not depend on what Slipway models), array order
 * kept, absent fields omitted rather than written as {@code null} (unknown fields keep their nulls),
 * numbers as read, non-ASCII characters unescaped. Bytes read from elsewhere are never re-written
 * when their digest matters: a pulled or loaded config keeps its own bytes, since its digest is the
 * image ID.
 *
 * <p>Reading keeps every field Slipway does not model (see the {@code extra} maps), refuses
 * duplicate keys and trailing content, and detects which document it has by {@code mediaType} or,
 * when that is absent (OCI allows it, and configs never carry one), by shape.
 */
public final class ImageJson {
    /** What a JSON document is. */
    public enum Kind {
        MANIFEST, INDEX, CONFIG
    }

    /** A document together with its exact bytes and their digest. */
    public record Encoded<T>(T value, byte[] bytes, Digest digest) {
        public long size() {
            return bytes.length;
        }

        public Descriptor descriptor(String mediaType) {
            return new Descriptor(mediaType, digest, bytes.length);
        }
    }

    /**
     * Data binding, only for what {@link ImageCodec} leaves to it (and as its reference in tests):
     * created on first use, since an {@code ObjectMapper} costs a short command more than its work
     * (see {@link JsonTrees}).
     */
    private static final class Binding {
        static final ObjectMapper MAPPER = new ObjectMapper()
                .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .setDefaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_NULL,
                        JsonInclude.Include.ALWAYS));
    }

    private ImageJson() {
    }

    /** The canonical bytes of a model record, a {@link JsonNode}, a map or a list. */
    public static byte[] write(Object value) {
        JsonNode tree = value instanceof JsonNode node ? node : ImageCodec.toTree(value);
        return writeTree(tree != null ? tree : Binding.MAPPER.valueToTree(value));
    }

    /** The tree of a model record, a map or a list, as Jackson's {@code valueToTree} makes it. */
    public static JsonNode tree(Object value) {
        JsonNode tree = ImageCodec.toTree(value);
        return tree != null ? tree : Binding.MAPPER.valueToTree(value);
    }

    /** {@link #write} through Jackson's data binding only: the reference {@link ImageCodec} is tested against. */
    static byte[] writeBound(Object value) {
        return writeTree(treeBound(value));
    }

    /** {@link #tree} through Jackson's data binding only. */
    static JsonNode treeBound(Object value) {
        return Binding.MAPPER.valueToTree(value);
    }

    private static byte[] writeTree(JsonNode tree) {
        return JsonTrees.writeCompact(tree, true);
    }

    public static <T> Encoded<T> encode(T value) {
        byte[] bytes = write(value);
        return new Encoded<>(value, bytes, Digest.sha256(bytes));
    }

    /** Reads a manifest, index or config, whichever {@code bytes} hold. */
    public static ImageDocument read(byte[] bytes) {
        JsonNode tree = readTree(bytes);
        return switch (detect(tree)) {
            case MANIFEST -> convert(tree, Manifest.class);
            case INDEX -> convert(tree, ImageIndex.class);
            case CONFIG -> convert(tree, ImageConfig.class);
        };
    }

    public static Encoded<ImageDocument> readEncoded(byte[] bytes) {
        return new Encoded<>(read(bytes), bytes, Digest.sha256(bytes));
    }

    public static Manifest readManifest(byte[] bytes) {
        return as(read(bytes), Manifest.class, "an image manifest");
    }

    public static ImageIndex readIndex(byte[] bytes) {
        return as(read(bytes), ImageIndex.class, "an image index");
    }

    /** Reads a config; a config is recognised by shape only, so any object that is not a manifest or index is one. */
    public static ImageConfig readConfig(byte[] bytes) {
        JsonNode tree = readTree(bytes);
        Kind kind = detect(tree);
        if (kind != Kind.CONFIG) {
            throw new SlipwayException("expected an image config, found an image " + kind.name().toLowerCase());
        }
        return convert(tree, ImageConfig.class);
    }

    /** Reads any JSON value into a type of the caller's (e.g. a docker-archive's manifest.json). */
    public static <T> T readValue(byte[] bytes, Class<T> type, String what) {
        return convert(readTree(bytes, what), type, what);
    }

    public static JsonNode readTree(byte[] bytes) {
        return readTree(bytes, "image JSON");
    }

    public static ObjectNode emptyObject() {
        return JsonNodeFactory.withExactBigDecimals(true).objectNode();
    }

    /** The kind of document a parsed JSON value is; a {@link SlipwayException} when it is none. */
    public static Kind detect(JsonNode tree) {
        if (!tree.isObject()) {
            throw new SlipwayException("invalid image JSON: expected an object");
        }
        JsonNode mt = tree.get("mediaType");
        if (mt != null && !mt.isNull()) {
            String mediaType = mt.asText();
            if (MediaTypes.isManifest(mediaType)) {
                return Kind.MANIFEST;
            }
            if (MediaTypes.isIndex(mediaType)) {
                return Kind.INDEX;
            }
            if (MediaTypes.isConfig(mediaType)) {
                return Kind.CONFIG;
            }
            if (MediaTypes.DOCKER_MANIFEST_V1.equals(mediaType) || MediaTypes.DOCKER_MANIFEST_V1_SIGNED.equals(mediaType)) {
                throw schema1();
            }
            throw new SlipwayException("unsupported media type: " + mediaType);
        }
        JsonNode schemaVersion = tree.get("schemaVersion");
        if (schemaVersion != null && schemaVersion.asInt() == 1) {
            throw schema1();
        }
        if (tree.path("manifests").isArray()) {
            return Kind.INDEX;
        }
        if (schemaVersion != null && tree.path("config").has("digest")) {
            return Kind.MANIFEST;
        }
        if (tree.has("rootfs") || tree.has("architecture") || tree.has("os")) {
            return Kind.CONFIG;
        }
        throw new SlipwayException("invalid image JSON: not an image manifest, index or config");
    }

    private static SlipwayException schema1() {
        return new SlipwayException("Docker image manifest schema 1 is not supported (it was retired in 2019); "
                + "re-push the image with a current client");
    }

    private static <T> T as(ImageDocument doc, Class<T> type, String what) {
        if (!type.isInstance(doc)) {
            throw new SlipwayException("expected " + what + ", found " + describe(doc));
        }
        return type.cast(doc);
    }

    private static String describe(ImageDocument doc) {
        if (doc instanceof Manifest) {
            return "an image manifest";
        }
        return doc instanceof ImageIndex ? "an image index" : "an image config";
    }

    private static JsonNode readTree(byte[] bytes, String what) {
        try {
            JsonNode tree = JsonTrees.readStrict(bytes);
            if (tree == null || tree.isMissingNode()) {
                throw new SlipwayException("invalid " + what + ": empty document");
            }
            return tree;
        } catch (JacksonException e) {
            throw invalid(e, what);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> T convert(JsonNode tree, Class<T> type) {
        return convert(tree, type, "image JSON");
    }

    private static <T> T convert(JsonNode tree, Class<T> type, String what) {
        T plain = ImageCodec.fromTree(tree, type);
        if (plain != null) {
            return plain;
        }
        return bind(tree, type, what);
    }

    /** {@code tree} as a {@code type} through Jackson's data binding only (see {@link ImageCodec}). */
    static <T> T bind(JsonNode tree, Class<T> type, String what) {
        try {
            return Binding.MAPPER.treeToValue(tree, type);
        } catch (JacksonException e) {
            throw invalid(e, what);
        } catch (IllegalArgumentException e) {
            if (e.getCause() instanceof JacksonException je) {
                throw invalid(je, what);
            }
            throw e;
        }
    }

    private static SlipwayException invalid(JacksonException e, String what) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SlipwayException se) {
                return new SlipwayException("invalid " + what + ": " + se.getMessage(), e);
            }
        }
        String message = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        String path = e instanceof com.fasterxml.jackson.databind.JsonMappingException jme && !jme.getPath().isEmpty()
                ? " at " + jme.getPathReference().replaceAll("^[^\\[]*", "")
                : "";
        return new SlipwayException("invalid " + what + path + ": " + message.replaceAll("\\s+", " "), e);
    }
}
