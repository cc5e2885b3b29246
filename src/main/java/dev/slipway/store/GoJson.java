package dev.slipway.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.image.JsonTrees;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON text as Go's encoding/json writes it, so {@code inspect} and {@code --format json} output
 * reads like Docker's: {@code MarshalIndent} with four spaces, {@code []} and {@code {}} for empty
 * containers, and HTML-safe escapes ({@code <} as {@code \u003c}).
 */
public final class GoJson {
    private GoJson() {
    }

    public static String indent(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, "    ", "");
        return out.toString();
    }

    public static String compact(JsonNode node) {
        StringBuilder out = new StringBuilder();
        write(node, out, null, "");
        return out.toString();
    }

    private static void write(JsonNode node, StringBuilder out, String unit, String indent) {
        if (node.isObject()) {
            if (node.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append('{');
            String inner = unit == null ? "" : indent + unit;
            boolean first = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                out.append(first ? "" : ",");
                first = false;
                newline(out, unit, inner);
                string(out, e.getKey());
                out.append(unit == null ? ":" : ": ");
                write(e.getValue(), out, unit, inner);
            }
            newline(out, unit, indent);
            out.append('}');
        } else if (node.isArray()) {
            if (node.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append('[');
            String inner = unit == null ? "" : indent + unit;
            boolean first = true;
            for (JsonNode element : node) {
                out.append(first ? "" : ",");
                first = false;
                newline(out, unit, inner);
                write(element, out, unit, inner);
            }
            newline(out, unit, indent);
            out.append(']');
        } else if (node.isTextual()) {
            string(out, node.asText());
        } else {
            out.append(JsonTrees.scalarText(node));
        }
    }

    private static void newline(StringBuilder out, String unit, String indent) {
        if (unit != null) {
            out.append('\n').append(indent);
        }
    }

    /** {@code s} as a JSON string, escaped as encoding/json escapes it. */
    public static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
