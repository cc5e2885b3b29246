package dev.slipway.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * JSON in the plain form image metadata and the store's own files have (ASCII text, integers, the
 * usual escapes), read and written without Jackson's parser and generator: their first use in a
 * process sets up factories, symbol tables and buffer pools, and a short command such as {@code save}
 * or {@code images} spent more in that set-up and in interpreting Jackson's parser than in all its
 * other work. {@link JsonTrees} tries this first and gives Jackson whatever this does not take.
 *
 * <p>Whatever this reads or writes, Jackson reads or writes the same way (a test compares them on
 * generated documents): it declines, by returning null, anything Jackson would refuse (so Jackson
 * gives the error) and anything that is not plain: a byte outside ASCII, a fraction or exponent, an
 * integer of more than 18 digits, a control character other than the escapes {@code \n \t \r \b \f},
 * deep nesting, long strings.
 *
 * <p>{@code store.RefsScanner} reads refs.json by hand too and decodes the same escapes: it stays
 * apart because it must not load Jackson at all, while this builds Jackson's nodes.
 */
final class PlainJson {
    /** Deeper documents are left to Jackson, which has its own nesting limit. */
    private static final int MAX_DEPTH = 64;
    /** Longer names and strings are left to Jackson, which has its own length limits. */
    private static final int MAX_NAME = 1000;
    private static final int MAX_STRING = 1 << 20;

    /** Thrown inside this class when a document is not plain. */
    private static final class Declined extends RuntimeException {
        Declined() {
            super(null, null, false, false);
        }
    }

    private static final Declined DECLINED = new Declined();

    private final byte[] in;
    private final JsonNodeFactory nodes;
    private final boolean strict;
    private int pos;

    private PlainJson(byte[] in, JsonNodeFactory nodes, boolean strict) {
        this.in = in;
        this.nodes = nodes;
        this.strict = strict;
    }

    /**
     * The tree Jackson reads from {@code bytes} with {@code nodes}, or null when it is not plain.
     * {@code strict}: a repeated key and content after the value are Jackson's errors (so declined
     * here); else a repeated key keeps its first place and its last value, and what follows the
     * value is not read. An empty document is a {@link MissingNode}.
     */
    static JsonNode read(byte[] bytes, JsonNodeFactory nodes, boolean strict) {
        // Jackson tells UTF-16 and UTF-32 by zero bytes among the first four, and a BOM by bytes
        // outside ASCII: such a document is declined even where its first value ends before them.
        for (int i = 0; i < 4 && i < bytes.length; i++) {
            if (bytes[i] == 0 || bytes[i] < 0) {
                return null;
            }
        }
        PlainJson p = new PlainJson(bytes, nodes, strict);
        try {
            p.skipWhitespace();
            if (p.pos == bytes.length) {
                return MissingNode.getInstance();
            }
            byte first = bytes[p.pos];
            if (first != '{' && first != '[') {
                return null;
            }
            JsonNode tree = p.value(0);
            if (strict) {
                p.skipWhitespace();
                if (p.pos != bytes.length) {
                    return null;
                }
            }
            return tree;
        } catch (Declined | ArrayIndexOutOfBoundsException e) {
            // past the end: a truncated document, which Jackson refuses
            return null;
        }
    }

    private void skipWhitespace() {
        while (pos < in.length) {
            byte b = in[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    /** The value starting at {@code pos}, which is past it afterwards. */
    private JsonNode value(int depth) {
        byte b = in[pos];
        switch (b) {
            case '{':
                return object(depth + 1);
            case '[':
                return array(depth + 1);
            case '"':
                return nodes.textNode(string(MAX_STRING));
            case 't':
                literal("true");
                return nodes.booleanNode(true);
            case 'f':
                literal("false");
                return nodes.booleanNode(false);
            case 'n':
                literal("null");
                return nodes.nullNode();
            default:
                if (b == '-' || (b >= '0' && b <= '9')) {
                    return number();
                }
                throw DECLINED;
        }
    }

    private ObjectNode object(int depth) {
        if (depth > MAX_DEPTH) {
            throw DECLINED;
        }
        ObjectNode object = nodes.objectNode();
        pos++;
        skipWhitespace();
        if (in[pos] == '}') {
            pos++;
            return object;
        }
        while (true) {
            if (in[pos] != '"') {
                throw DECLINED;
            }
            String name = string(MAX_NAME);
            skipWhitespace();
            if (in[pos] != ':') {
                throw DECLINED;
            }
            pos++;
            skipWhitespace();
            JsonNode value = value(depth);
            if (strict && object.has(name)) {
                throw DECLINED;
            }
            object.set(name, value);
            skipWhitespace();
            byte b = in[pos++];
            if (b == '}') {
                return object;
            }
            if (b != ',') {
                throw DECLINED;
            }
            skipWhitespace();
        }
    }

    private ArrayNode array(int depth) {
        if (depth > MAX_DEPTH) {
            throw DECLINED;
        }
        ArrayNode array = nodes.arrayNode();
        pos++;
        skipWhitespace();
        if (in[pos] == ']') {
            pos++;
            return array;
        }
        while (true) {
            array.add(value(depth));
            skipWhitespace();
            byte b = in[pos++];
            if (b == ']') {
                return array;
            }
            if (b != ',') {
                throw DECLINED;
            }
            skipWhitespace();
        }
    }

    /** A string starting at the quote at {@code pos}; at most {@code max} characters. */
    private String string(int max) {
        int start = ++pos;
        while (true) {
            byte b = in[pos];
            if (b == '"') {
                if (pos - start > max) {
                    throw DECLINED;
                }
                // Only ASCII got here, so each byte is its character.
                String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
                pos++;
                return s;
            }
            if (b == '\\') {
                return escaped(start, max);
            }
            if (b < 0x20) {
                // a control character (Jackson's error) or a byte outside ASCII (b < 0)
                throw DECLINED;
            }
            pos++;
        }
    }

    /** The rest of a string from its first backslash at {@code pos}; {@code start} is its first character. */
    private String escaped(int start, int max) {
        StringBuilder s = new StringBuilder(pos - start + 16);
        s.append(new String(in, start, pos - start, StandardCharsets.ISO_8859_1));
        while (true) {
            byte b = in[pos++];
            if (b == '"') {
                if (s.length() > max) {
                    throw DECLINED;
                }
                return s.toString();
            }
            if (b < 0x20) {
                throw DECLINED;
            }
            if (b != '\\') {
                s.append((char) b);
                continue;
            }
            byte e = in[pos++];
            switch (e) {
                case '"', '\\', '/' -> s.append((char) e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    int c = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(in[pos++], 16);
                        if (d < 0) {
                            throw DECLINED;
                        }
                        c = c << 4 | d;
                    }
                    s.append((char) c);
                }
                default -> throw DECLINED;
            }
        }
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (in[pos + i] != word.charAt(i)) {
                throw DECLINED;
            }
        }
        pos += word.length();
        // "truex" is one unknown token to Jackson: a literal ends at a delimiter.
        if (pos < in.length && !delimiter(in[pos])) {
            throw DECLINED;
        }
    }

    /** An integer of at most 18 digits, as an int node when it fits one (as Jackson types it), else a long node. */
    private JsonNode number() {
        boolean negative = in[pos] == '-';
        if (negative) {
            pos++;
        }
        int start = pos;
        long value = 0;
        while (pos < in.length && in[pos] >= '0' && in[pos] <= '9') {
            value = value * 10 + (in[pos] - '0');
            pos++;
            if (pos - start > 18) {
                throw DECLINED;
            }
        }
        int digits = pos - start;
        if (digits == 0 || (digits > 1 && in[start] == '0') || (pos < in.length && !delimiter(in[pos]))) {
            // no digit, a leading zero, or a fraction, exponent or junk after the digits
            throw DECLINED;
        }
        if (negative) {
            value = -value;
        }
        return value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE
                ? nodes.numberNode((int) value) : nodes.numberNode(value);
    }

    private static boolean delimiter(byte b) {
        return b == ',' || b == '}' || b == ']' || b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    // ---- writing ----

    /**
     * The compact bytes Jackson's generator writes for {@code tree} (objects' fields in their order
     * or, with {@code sortKeys}, by name), or null when the tree holds anything but objects, arrays,
     * ASCII strings, int and long numbers, booleans and nulls.
     */
    static byte[] write(JsonNode tree, boolean sortKeys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try {
            write(tree, sortKeys, out, 0);
        } catch (Declined e) {
            return null;
        }
        return out.toByteArray();
    }

    private static void write(JsonNode node, boolean sortKeys, ByteArrayOutputStream out, int depth) {
        if (depth > MAX_DEPTH) {
            throw DECLINED;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> fields = new ArrayList<>(node.size());
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    fields.add(it.next());
                }
                if (sortKeys) {
                    fields.sort(JsonTrees.BY_KEY);
                }
                out.write('{');
                for (int i = 0; i < fields.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    writeString(fields.get(i).getKey(), out);
                    out.write(':');
                    write(fields.get(i).getValue(), sortKeys, out, depth + 1);
                }
                out.write('}');
            }
            case ARRAY -> {
                out.write('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.write(',');
                    }
                    write(node.get(i), sortKeys, out, depth + 1);
                }
                out.write(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case BOOLEAN -> writeAscii(node.booleanValue() ? "true" : "false", out);
            case NULL -> writeAscii("null", out);
            case NUMBER -> {
                switch (node.numberType()) {
                    case INT -> writeAscii(Integer.toString(node.intValue()), out);
                    case LONG -> writeAscii(Long.toString(node.longValue()), out);
                    default -> throw DECLINED;
                }
            }
            default -> throw DECLINED;
        }
    }

    /**
     * The text of a scalar node as Jackson writes it (a string quoted and escaped), or null when it
     * is not plain or not a scalar.
     */
    static String scalarText(JsonNode node) {
        if (node.isContainerNode()) {
            return null;
        }
        byte[] bytes = write(node, false);
        return bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1);
    }

    private static void writeString(String s, ByteArrayOutputStream out) {
        out.write('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                throw DECLINED;
            }
            if (c >= 0x20) {
                if (c == '"' || c == '\\') {
                    out.write('\\');
                }
                out.write(c);
                continue;
            }
            char escape = switch (c) {
                case '\n' -> 'n';
                case '\t' -> 't';
                case '\r' -> 'r';
                case '\b' -> 'b';
                case '\f' -> 'f';
                default -> throw DECLINED;
            };
            out.write('\\');
            out.write(escape);
        }
        out.write('"');
    }

    private static void writeAscii(String s, ByteArrayOutputStream out) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }
}
