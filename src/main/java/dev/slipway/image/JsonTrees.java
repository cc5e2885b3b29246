package dev.slipway.image;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * JSON trees read and written with Jackson's streaming parser and generator alone, giving the trees
 * and bytes that an {@code ObjectMapper}'s {@code readTree} and {@code writeValueAsBytes} give.
 * Creating the first {@code ObjectMapper} of a process sets up data binding and a date format whose
 * calendar loads the JDK's locale data: a seventh of the CPU of a short command such as
 * {@code images} or {@code save}, which only read and write small trees. Plain documents (most of
 * them) skip Jackson's parser and generator too: {@link PlainJson} reads and writes them, and hands
 * the rest back to be done here.
 */
public final class JsonTrees {
    /** Jackson's factories, made on first use: a document {@link PlainJson} takes needs neither. */
    private static final class Factories {
        static final JsonFactory PLAIN = new JsonFactory();
        static final JsonFactory STRICT = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private static final JsonNodeFactory EXACT = JsonNodeFactory.withExactBigDecimals(true);

    private JsonTrees() {
    }

    /**
     * The tree of a document as {@code new ObjectMapper().readTree(bytes)} reads it: a repeated key
     * keeps its first position and its last value, fractions are doubles, what follows the first
     * value is not read, and an empty document is a {@link MissingNode}.
     */
    public static JsonNode read(byte[] bytes) throws IOException {
        JsonNode plain = PlainJson.read(bytes, JsonNodeFactory.instance, false);
        return plain != null ? plain : readWithJackson(bytes);
    }

    /** {@link #read} by Jackson alone: the reference {@link PlainJson} is tested against. */
    static JsonNode readWithJackson(byte[] bytes) throws IOException {
        try (JsonParser p = Factories.PLAIN.createParser(bytes)) {
            JsonToken first = p.nextToken();
            return first == null ? MissingNode.getInstance() : value(p, first, JsonNodeFactory.instance, false);
        }
    }

    /**
     * The tree of a document read strictly, as {@link ImageJson} reads image JSON: a repeated key
     * and anything after the first value are errors, fractions are {@link java.math.BigDecimal}s
     * exactly as written (so they are written back as they were read); an empty document is a
     * {@link MissingNode}.
     */
    static JsonNode readStrict(byte[] bytes) throws IOException {
        JsonNode plain = PlainJson.read(bytes, EXACT, true);
        return plain != null ? plain : readStrictWithJackson(bytes);
    }

    /** {@link #readStrict} by Jackson alone. */
    static JsonNode readStrictWithJackson(byte[] bytes) throws IOException {
        try (JsonParser p = Factories.STRICT.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return MissingNode.getInstance();
            }
            JsonNode tree = value(p, first, EXACT, true);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new JsonParseException(p, "Trailing token (of type " + trailing + ") found after value");
            }
            return tree;
        }
    }

    /** The compact bytes of a tree, keys in their order (as {@code writeValueAsBytes} writes it). */
    public static byte[] write(JsonNode tree) {
        return write(tree, false);
    }

    /** The bytes of a tree laid out by Jackson's default pretty printer (as {@code INDENT_OUTPUT} writes it). */
    public static byte[] writeIndented(JsonNode tree) {
        return write(tree, true);
    }

    /** The text of a scalar node as JSON (a string quoted and escaped). */
    public static String scalarText(JsonNode node) {
        String plain = PlainJson.scalarText(node);
        return plain != null ? plain : scalarTextWithJackson(node);
    }

    /** {@link #scalarText} by Jackson alone. */
    static String scalarTextWithJackson(JsonNode node) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = generator(out)) {
            writeScalar(node, gen);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    static JsonGenerator generator(ByteArrayOutputStream out) throws IOException {
        return Factories.PLAIN.createGenerator(out);
    }

    /** The compact bytes of a tree, its objects' fields in their order or, with {@code sortKeys}, by name. */
    static byte[] writeCompact(JsonNode tree, boolean sortKeys) {
        byte[] plain = PlainJson.write(tree, sortKeys);
        return plain != null ? plain : writeCompactWithJackson(tree, sortKeys);
    }

    /** {@link #writeCompact} by Jackson alone. */
    static byte[] writeCompactWithJackson(JsonNode tree, boolean sortKeys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = generator(out)) {
            writeTree(tree, gen, sortKeys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] write(JsonNode tree, boolean indented) {
        if (!indented) {
            return writeCompact(tree, false);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator gen = generator(out)) {
            gen.useDefaultPrettyPrinter();
            writeTree(tree, gen, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** {@code Map.Entry.comparingByKey()}, as a class: that one's lambda is made at run time, on each start. */
    static final Comparator<Map.Entry<String, JsonNode>> BY_KEY = new Comparator<>() {
        @Override
        public int compare(Map.Entry<String, JsonNode> a, Map.Entry<String, JsonNode> b) {
            return a.getKey().compareTo(b.getKey());
        }
    };

    /** Writes {@code node}'s tree, its objects' fields in their order or, with {@code sortKeys}, by name. */
    static void writeTree(JsonNode node, JsonGenerator gen, boolean sortKeys) throws IOException {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
            node.fields().forEachRemaining(fields::add);
            if (sortKeys) {
                fields.sort(BY_KEY);
            }
            gen.writeStartObject();
            for (Map.Entry<String, JsonNode> field : fields) {
                gen.writeFieldName(field.getKey());
                writeTree(field.getValue(), gen, sortKeys);
            }
            gen.writeEndObject();
        } else if (node.isArray()) {
            gen.writeStartArray();
            for (JsonNode element : node) {
                writeTree(element, gen, sortKeys);
            }
            gen.writeEndArray();
        } else {
            writeScalar(node, gen);
        }
    }

    /** Writes a value that is neither object nor array, as the node's own {@code serialize} would. */
    static void writeScalar(JsonNode node, JsonGenerator gen) throws IOException {
        switch (node.getNodeType()) {
            case STRING -> gen.writeString(node.textValue());
            case BOOLEAN -> gen.writeBoolean(node.booleanValue());
            case NULL -> gen.writeNull();
            case BINARY -> gen.writeBinary(node.binaryValue());
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> gen.writeNumber(node.intValue());
                    case LONG -> gen.writeNumber(node.longValue());
                    case BIG_INTEGER -> gen.writeNumber(node.bigIntegerValue());
                    case FLOAT -> gen.writeNumber(node.floatValue());
                    case DOUBLE -> gen.writeNumber(node.doubleValue());
                    case BIG_DECIMAL -> gen.writeNumber(node.decimalValue());
                }
            }
            default -> throw new IllegalArgumentException("cannot write a JSON node of type " + node.getNodeType());
        }
    }

    /** The value starting at {@code token}; the parser then stands on its last token. */
    private static JsonNode value(JsonParser p, JsonToken token, JsonNodeFactory nodes, boolean exact)
            throws IOException {
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                for (String name = p.nextFieldName(); name != null; name = p.nextFieldName()) {
                    object.set(name, value(p, p.nextToken(), nodes, exact));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                    array.add(value(p, t, nodes, exact));
                }
                return array;
            }
            case VALUE_STRING -> {
                return nodes.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return switch (p.getNumberType()) {
                    case INT -> nodes.numberNode(p.getIntValue());
                    case LONG -> nodes.numberNode(p.getLongValue());
                    default -> nodes.numberNode(p.getBigIntegerValue());
                };
            }
            case VALUE_NUMBER_FLOAT -> {
                return exact ? nodes.numberNode(p.getDecimalValue()) : nodes.numberNode(p.getDoubleValue());
            }
            case VALUE_TRUE -> {
                return nodes.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return nodes.booleanNode(false);
            }
            case VALUE_NULL -> {
                return nodes.nullNode();
            }
            default -> throw new JsonParseException(p, "Unexpected token " + token);
        }
    }
}
