package dev.slipway.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainJson} against Jackson, which {@link JsonTrees} gives every document PlainJson
 * declines: whatever PlainJson reads or writes must be exactly what Jackson reads or writes, and
 * what Jackson refuses PlainJson must decline (so that the error stays Jackson's).
 */
class PlainJsonTest {
    private static final JsonNodeFactory EXACT = JsonNodeFactory.withExactBigDecimals(true);
    private static final ObjectMapper INDENTED = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Test
    void readsPlainDocumentsAsJacksonDoes() throws Exception {
        Random random = new Random(11);
        for (int i = 0; i < 2000; i++) {
            JsonNode tree = randomContainer(random, true);
            for (byte[] doc : List.of(JsonTrees.writeCompactWithJackson(tree, false), INDENTED.writeValueAsBytes(tree),
                    spaced(JsonTrees.writeCompactWithJackson(tree, true), random))) {
                String text = new String(doc, StandardCharsets.UTF_8);
                JsonNode plain = PlainJson.read(doc, JsonNodeFactory.instance, false);
                JsonNode strict = PlainJson.read(doc, EXACT, true);
                assertThat(plain).as("not taken: %s", text).isNotNull();
                assertThat(strict).as("not taken: %s", text).isNotNull();
                assertSameTree(plain, JsonTrees.readWithJackson(doc), text);
                assertSameTree(strict, JsonTrees.readStrictWithJackson(doc), text);
            }
        }
    }

    @Test
    void readsAnyDocumentAsJacksonDoesOrDeclinesIt() throws Exception {
        Random random = new Random(12);
        for (int i = 0; i < 2000; i++) {
            JsonNode tree = randomContainer(random, false);
            byte[] doc = random.nextBoolean() ? JsonTrees.writeCompactWithJackson(tree, false) : INDENTED.writeValueAsBytes(tree);
            assertAgreesWithJackson(doc);
        }
    }

    @Test
    void declinesWhatJacksonRefusesInDamagedDocuments() throws Exception {
        Random random = new Random(13);
        String alphabet = "{}[]\":,\\ \t\n\r-+.eE0123456789abfnrtuxlsAF/\u0000\u0001\u007f\u00e9";
        for (int i = 0; i < 20000; i++) {
            byte[] doc = JsonTrees.writeCompactWithJackson(randomContainer(random, true), random.nextBoolean());
            StringBuilder text = new StringBuilder(new String(doc, StandardCharsets.UTF_8));
            for (int edits = 1 + random.nextInt(3); edits > 0; edits--) {
                int at = text.length() == 0 ? 0 : random.nextInt(text.length() + 1);
                char c = alphabet.charAt(random.nextInt(alphabet.length()));
                switch (random.nextInt(3)) {
                    case 0 -> text.insert(at, c);
                    case 1 -> {
                        if (at < text.length()) {
                            text.deleteCharAt(at);
                        }
                    }
                    default -> {
                        if (at < text.length()) {
                            text.setCharAt(at, c);
                        }
                    }
                }
            }
            assertAgreesWithJackson(text.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void edgeCasesAgreeWithJackson() throws Exception {
        List<String> docs = List.of("", " ", "{}", "[]", " {} ", "{}x", "{} {}", "[1] 2", "{}\u0000\u0000", "[]\u0000",
                "\ufeff{}", "{\"a\":-0}", "[-0,0,-1,01,1.0,1e2,-,--1,+1]", "[-0]", "[01]", "[2147483647,2147483648]",
                "[-2147483648,-2147483649]", "[999999999999999999,9999999999999999999,-999999999999999999]",
                "[9223372036854775807,9223372036854775808]", "{\"a\":1,\"a\":2}", "{\"a\":{\"b\":1},\"a\":[]}",
                "[true,false,null]", "[truex]", "[nul]", "[tru]", "[\"\\u00e9\\u0041\\/\\b\\f\\n\\r\\t\\\"\\\\\"]",
                "[\"\\uD83D\\uDE00\"]", "[\"\\ud800\"]", "[\"\\u12G4\"]", "[\"\\a\"]", "[\"tab\there\"]", "[\"\u00e9\"]",
                "{\"a\" :1 , \"b\": [ 1 , 2 ] }", "{\"a\":1,}", "[1,]", "[,1]", "{,}", "{\"a\"}", "{\"a\":}", "{a:1}",
                "['a']", "[1 2]", "[\"a\" \"b\"]", "{\"a\":1 \"b\":2}", "[[[[[[[[[[]]]]]]]]]]", "[1]]", "{}}", "[\u007f]",
                "[\"\u007f\"]", "{\"\":\"\"}", "[NaN]", "[Infinity]", "[1,/*c*/2]", "[1]//", "\t\r\n[\t\r\n]\t\r\n");
        for (String doc : docs) {
            assertAgreesWithJackson(doc.getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            deep.append('[');
        }
        assertAgreesWithJackson(deep.toString().getBytes(StandardCharsets.UTF_8));
        assertAgreesWithJackson((deep + "]".repeat(2000)).getBytes(StandardCharsets.UTF_8));
        assertAgreesWithJackson(("[\"" + "x".repeat(3 << 20) + "\"]").getBytes(StandardCharsets.UTF_8));
        assertAgreesWithJackson(("{\"" + "k".repeat(60000) + "\":1}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void typesIntegersAsJacksonDoes() throws Exception {
        byte[] doc = "[2147483647,2147483648,-2147483648,-2147483649,-0,999999999999999999]".getBytes(StandardCharsets.UTF_8);
        JsonNode tree = PlainJson.read(doc, EXACT, true);
        assertThat(tree).isNotNull();
        List<String> classes = new ArrayList<>();
        tree.forEach(n -> classes.add(n.getClass().getSimpleName()));
        assertThat(classes).containsExactly("IntNode", "LongNode", "IntNode", "LongNode", "IntNode", "LongNode");
        assertSameTree(tree, JsonTrees.readStrictWithJackson(doc), "integers");
    }

    @Test
    void writesPlainTreesAsJacksonDoesAndDeclinesTheOthers() {
        Random random = new Random(14);
        for (int i = 0; i < 3000; i++) {
            boolean plain = i % 2 == 0;
            JsonNode tree = randomContainer(random, plain);
            for (boolean sort : List.of(false, true)) {
                byte[] mine = PlainJson.write(tree, sort);
                byte[] jackson = JsonTrees.writeCompactWithJackson(tree, sort);
                if (plain) {
                    assertThat(mine).as("not taken: %s", tree).isNotNull();
                }
                if (mine != null) {
                    assertThat(new String(mine, StandardCharsets.UTF_8)).isEqualTo(new String(jackson, StandardCharsets.UTF_8));
                }
            }
        }
        ObjectNode escapes = JsonNodeFactory.instance.objectNode();
        escapes.put("a/\"\\\u007f", "\n\t\r\b\f/\"\\\u007f").put("ctl", "\u0001").put("e", "é");
        assertThat(PlainJson.write(escapes, true)).isNull();
        escapes.remove(List.of("ctl", "e"));
        assertThat(new String(PlainJson.write(escapes, true), StandardCharsets.UTF_8))
                .isEqualTo(new String(JsonTrees.writeCompactWithJackson(escapes, true), StandardCharsets.UTF_8));
    }

    @Test
    void scalarTextIsJacksonsOrDeclined() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        for (JsonNode node : List.of(nodes.numberNode(3), nodes.numberNode(-1L << 50), nodes.numberNode((short) 4),
                nodes.booleanNode(true), nodes.booleanNode(false), nodes.nullNode(), nodes.textNode("a\"b\n"))) {
            assertThat(PlainJson.scalarText(node)).isEqualTo(JsonTrees.scalarTextWithJackson(node));
        }
        for (JsonNode node : List.of(nodes.numberNode(0.25), nodes.numberNode(new BigDecimal("1.50")),
                nodes.numberNode(BigInteger.TEN), nodes.textNode("é"), nodes.objectNode(), nodes.arrayNode())) {
            assertThat(PlainJson.scalarText(node)).isNull();
        }
    }

    /** PlainJson's tree (both modes) is Jackson's, or PlainJson declines; it declines whatever Jackson refuses. */
    private static void assertAgreesWithJackson(byte[] doc) throws Exception {
        String text = new String(doc, StandardCharsets.UTF_8);
        String shown = text.length() > 200 ? text.substring(0, 200) + "..." : text;
        JsonNode jackson;
        try {
            jackson = JsonTrees.readWithJackson(doc);
        } catch (Exception e) {
            jackson = null;
        }
        JsonNode plain = PlainJson.read(doc, JsonNodeFactory.instance, false);
        if (jackson == null) {
            assertThat(plain).as("Jackson refuses: %s", shown).isNull();
        } else if (plain != null) {
            assertSameTree(plain, jackson, shown);
        }
        JsonNode strictJackson;
        try {
            strictJackson = JsonTrees.readStrictWithJackson(doc);
        } catch (Exception e) {
            strictJackson = null;
        }
        JsonNode strict = PlainJson.read(doc, EXACT, true);
        if (strictJackson == null) {
            assertThat(strict).as("Jackson refuses (strict): %s", shown).isNull();
        } else if (strict != null) {
            assertSameTree(strict, strictJackson, shown);
        }
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
            assertThat(a.hasNext()).as(doc).isFalse();
        } else if (expected.isArray()) {
            assertThat(actual.size()).as(doc).isEqualTo(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertSameTree(actual.get(i), expected.get(i), doc);
            }
        } else if (expected.isNumber()) {
            assertThat(actual.numberValue().toString()).as(doc).isEqualTo(expected.numberValue().toString());
        }
    }

    /** Whitespace of all four kinds between the tokens of a compact document (outside strings). */
    private static byte[] spaced(byte[] compact, Random r) {
        StringBuilder out = new StringBuilder();
        boolean inString = false;
        String text = new String(compact, StandardCharsets.UTF_8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c);
            if (inString) {
                if (c == '\\') {
                    out.append(text.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            }
            if (!inString && ",:[]{}".indexOf(c) >= 0 && r.nextInt(3) == 0) {
                out.append(" \t\r\n".charAt(r.nextInt(4)));
            }
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static JsonNode randomContainer(Random r, boolean plain) {
        JsonNode tree;
        do {
            tree = randomTree(r, 0, plain);
        } while (!tree.isContainerNode());
        return tree;
    }

    /** A tree; {@code plain}: only what PlainJson takes (ASCII strings, ints and longs, ...). */
    private static JsonNode randomTree(Random r, int depth, boolean plain) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        int kind = r.nextInt(depth > 3 ? 9 : 11);
        switch (kind) {
            case 9 -> {
                ObjectNode o = nodes.objectNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.set(randomString(r, plain), randomTree(r, depth + 1, plain));
                }
                return o;
            }
            case 10 -> {
                ArrayNode a = nodes.arrayNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(randomTree(r, depth + 1, plain));
                }
                return a;
            }
            case 0 -> {
                return nodes.numberNode(r.nextInt(3) == 0 ? r.nextInt(1000) - 500 : r.nextInt());
            }
            case 1 -> {
                return nodes.numberNode(r.nextLong() / (plain ? 10 : 1));
            }
            case 2 -> {
                return plain ? nodes.numberNode(r.nextInt()) : nodes.numberNode(new BigInteger(100, r));
            }
            case 3 -> {
                return plain ? nodes.booleanNode(true) : nodes.numberNode(new BigDecimal(new BigInteger(60, r), r.nextInt(40) - 20));
            }
            case 4 -> {
                return plain ? nodes.nullNode() : nodes.numberNode(r.nextDouble() * Math.pow(10, r.nextInt(40) - 20));
            }
            case 5 -> {
                return nodes.booleanNode(r.nextBoolean());
            }
            case 6 -> {
                return nodes.nullNode();
            }
            default -> {
                return nodes.textNode(randomString(r, plain));
            }
        }
    }

    private static String randomString(Random r, boolean plain) {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(10); i > 0; i--) {
            int c = switch (r.nextInt(plain ? 3 : 5)) {
                case 0 -> "\n\t\r\b\f\"\\/".charAt(r.nextInt(8));
                case 1, 2 -> 0x20 + r.nextInt(0x60);
                case 3 -> r.nextInt(0x20);
                default -> 0xa0 + r.nextInt(0x2000);
            };
            s.appendCodePoint(c);
        }
        return s.toString();
    }
}
