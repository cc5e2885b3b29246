package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link JsonTrees} against the {@code ObjectMapper}s it stands in for: the same trees, the same bytes. */
class JsonTreesTest {
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** Configured as ImageJson's data binding reads. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final List<String> DOCUMENTS = List.of(
            "{}", "[]", "null", "true", "\"text\"", "0", "-7", "1.50", "1e3", "-0.0", "1E+400", "2.5E-3",
            "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
            "123456789012345678901234567890", "0.1000000000000000055511151231257827",
            "{\"a\":1,\"b\":[1,2.0,{\"c\":null}],\"d\":{\"e\":\"\\u00e9\\n\\\"\",\"f\":false}}",
            "  {\"nested\":[[[[]]],{},[{}]]}  ", "{\"z\":1,\"a\":2,\"m\":3}",
            "{\"s\":\"\\ud83d\\ude00 <&> \\u2028\"}", "[1,\"1\",1.0,true,null]");

    @Test
    void readsWhatObjectMapperReads() throws Exception {
        for (String doc : DOCUMENTS) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            assertSameTree(JsonTrees.read(bytes), PLAIN.readTree(bytes), doc);
            assertSameTree(JsonTrees.readStrict(bytes), STRICT.readTree(bytes), doc);
        }
    }

    @Test
    void plainReadingKeepsTheFirstPositionAndLastValueOfARepeatedKeyAndIgnoresWhatFollows() throws Exception {
        for (String doc : List.of("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":{\"x\":1},\"a\":[2]}", "{} {\"x\":1}", "[1] x", "", "  \n")) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            assertSameTree(JsonTrees.read(bytes), PLAIN.readTree(bytes), doc);
        }
        assertThat(JsonTrees.read("{\"a\":1,\"b\":2,\"a\":3}".getBytes(StandardCharsets.UTF_8)).toString())
                .isEqualTo("{\"a\":3,\"b\":2}");
        assertThat(JsonTrees.read(new byte[0]).isMissingNode()).isTrue();
    }

    @Test
    void strictReadingRefusesWhatTheStrictMapperRefuses() {
        for (String doc : List.of("{\"a\":1,\"a\":2}", "{\"x\":{\"a\":1,\"b\":2,\"a\":3}}", "{} {}", "{}x", "[1] 2",
                "{\"a\":}", "[1,]", "{\"a\" 1}", "'a'", "NaN", "[1", "{\"a\":1")) {
            byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> STRICT.readTree(bytes)).as(doc).isInstanceOf(JacksonException.class);
            assertThatThrownBy(() -> JsonTrees.readStrict(bytes)).as(doc).isInstanceOf(JacksonException.class);
        }
        assertThatThrownBy(() -> JsonTrees.readStrict("{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("Duplicate field 'a'");
    }

    @Test
    void writesTheBytesObjectMapperWrites() throws Exception {
        ObjectNode tree = JsonNodeFactory.instance.objectNode();
        tree.put("int", 7).put("long", 1L << 40).put("big", new BigInteger("123456789012345678901234567890"))
                .put("decimal", new BigDecimal("1.50")).put("exponent", new BigDecimal("1E+3"))
                .put("double", 0.1).put("float", 2.5f).put("short", (short) 3).put("bool", true)
                .put("text", "é \"quoted\" \n\t\u0001 \ud83d\ude00").putNull("null");
        tree.put("binary", new byte[] {0, 1, 2, (byte) 255});
        tree.putObject("empty");
        tree.putArray("list").add(1).add("two").addNull().addArray();
        assertSameBytes(tree);
        Random random = new Random(42);
        for (int i = 0; i < 300; i++) {
            assertSameBytes(randomTree(random, 0));
        }
    }

    @Test
    void readsBackWhatItWrites() throws Exception {
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            JsonNode tree = randomTree(random, 0);
            byte[] bytes = JsonTrees.write(tree);
            assertSameTree(JsonTrees.read(bytes), PLAIN.readTree(bytes), new String(bytes, StandardCharsets.UTF_8));
            assertSameTree(JsonTrees.readStrict(bytes), STRICT.readTree(bytes), new String(bytes, StandardCharsets.UTF_8));
        }
    }

    @Test
    void scalarTextIsTheNodesJson() {
        JsonNodeFactory nodes = JsonNodeFactory.withExactBigDecimals(true);
        for (JsonNode node : List.of(nodes.numberNode(new BigDecimal("1.50")), nodes.numberNode(3), nodes.numberNode(1L << 50),
                nodes.numberNode(0.25), nodes.booleanNode(false), nodes.nullNode(), nodes.textNode("a\"b"))) {
            assertThat(JsonTrees.scalarText(node)).isEqualTo(node.toString());
        }
    }

    private static void assertSameBytes(JsonNode tree) throws Exception {
        assertThat(new String(JsonTrees.write(tree), StandardCharsets.UTF_8))
                .isEqualTo(new String(PLAIN.writeValueAsBytes(tree), StandardCharsets.UTF_8));
        assertThat(new String(JsonTrees.writeIndented(tree), StandardCharsets.UTF_8))
                .isEqualTo(new String(INDENTED.writeValueAsBytes(tree), StandardCharsets.UTF_8));
    }

    /** Equal values, node classes and key order at every level. */
    private static void assertSameTree(JsonNode actual, JsonNode expected, String doc) {
        assertThat(actual).as(doc).isEqualTo(expected);
        assertThat(actual.getClass()).as(doc).isEqualTo(expected.getClass());
        if (expected.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> a = actual.fields();
            Iterator<Map.Entry<String, JsonNode>> e = expected.fields();
            while (e.hasNext()) {
                Map.Entry<String, JsonNode> ae = a.next();
                Map.Entry<String, JsonNode> ee = e.next();
                assertThat(ae.getKey()).as(doc).isEqualTo(ee.getKey());
                assertSameTree(ae.getValue(), ee.getValue(), doc);
            }
        } else if (expected.isArray()) {
            for (int i = 0; i < expected.size(); i++) {
                assertSameTree(actual.get(i), expected.get(i), doc);
            }
        } else if (expected.isNumber()) {
            assertThat(actual.numberValue().toString()).as(doc).isEqualTo(expected.numberValue().toString());
        }
    }

    private static JsonNode randomTree(Random r, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        int kind = r.nextInt(depth > 3 ? 9 : 11);
        switch (kind) {
            case 9 -> {
                ObjectNode o = nodes.objectNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.set(randomString(r), randomTree(r, depth + 1));
                }
                return o;
            }
            case 10 -> {
                ArrayNode a = nodes.arrayNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(randomTree(r, depth + 1));
                }
                return a;
            }
            case 0 -> {
                return nodes.numberNode(r.nextInt());
            }
            case 1 -> {
                return nodes.numberNode(r.nextLong());
            }
            case 2 -> {
                return nodes.numberNode(new BigInteger(100, r));
            }
            case 3 -> {
                return nodes.numberNode(new BigDecimal(new BigInteger(60, r), r.nextInt(40) - 20));
            }
            case 4 -> {
                return nodes.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            }
            case 5 -> {
                return nodes.booleanNode(r.nextBoolean());
            }
            case 6 -> {
                return nodes.nullNode();
            }
            default -> {
                return nodes.textNode(randomString(r));
            }
        }
    }

    private static String randomString(Random r) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(8); i > 0; i--) {
            int c = switch (r.nextInt(4)) {
                case 0 -> r.nextInt(0x20);
                case 1 -> 0x20 + r.nextInt(0x5f);
                case 2 -> 0xa0 + r.nextInt(0x2000);
                default -> 0x1F600 + r.nextInt(0x40);
            };
            s.appendCodePoint(c);
        }
        return s.toString();
    }
}
