package dev.slipway.dockerfile;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads the JSON array at the start of a text the way Go's {@code json.Decoder} does for exec form:
 * only the first value is read (anything after it is ignored), nesting deeper than Go's limit is a
 * syntax error, and invalid surrogate escapes become U+FFFD. Nested values are skipped without
 * recursion so hostile input cannot exhaust the stack.
 */
final class JsonArray {
    /** Stands for an element that is valid JSON but not a string. */
    static final Object NON_STRING = new Object();

    private static final int MAX_DEPTH = 10_000;

    private final String s;
    private int pos;

    private JsonArray(String s) {
        this.s = s;
    }

    /** The top-level elements (strings or {@link #NON_STRING}), or null when the text is not valid JSON. */
    static List<Object> decode(String text) {
        try {
            return new JsonArray(text).topArray();
        } catch (SyntaxError e) {
            return null;
        }
    }

    private static final class SyntaxError extends Exception {
        SyntaxError() {
            super(null, null, false, false);
        }
    }

    private List<Object> topArray() throws SyntaxError {
        skipWhitespace();
        expect('[');
        List<Object> elements = new ArrayList<>();
        skipWhitespace();
        if (peek() == ']') {
            pos++;
            return elements;
        }
        while (true) {
            skipWhitespace();
            if (peek() == '"') {
                elements.add(readString());
            } else {
                skipValue();
                elements.add(NON_STRING);
            }
            skipWhitespace();
            int c = next();
            if (c == ']') {
                return elements;
            }
            if (c != ',') {
                throw new SyntaxError();
            }
        }
    }

    /** Skips one value; containers are tracked on an explicit stack of '[' and '{'. */
    private void skipValue() throws SyntaxError {
        StringBuilder stack = new StringBuilder();
        while (true) {
            skipWhitespace();
            int c = peek();
            boolean valueDone = true;
            if (c == '[' || c == '{') {
                pos++;
                skipWhitespace();
                if (peek() == (c == '[' ? ']' : '}')) {
                    pos++;
                } else {
                    if (stack.length() + 2 > MAX_DEPTH) {
                        throw new SyntaxError();
                    }
                    stack.append((char) c);
                    if (c == '{') {
                        readKey();
                    }
                    valueDone = false;
                }
            } else {
                skipScalar();
            }
            if (!valueDone) {
                continue;
            }
            while (true) {
                if (stack.length() == 0) {
                    return;
                }
                char top = stack.charAt(stack.length() - 1);
                skipWhitespace();
                int d = next();
                if (d == ',') {
                    if (top == '{') {
                        readKey();
                    }
                    break;
                }
                if (d == (top == '[' ? ']' : '}')) {
                    stack.setLength(stack.length() - 1);
                    continue;
                }
                throw new SyntaxError();
            }
        }
    }

    private void readKey() throws SyntaxError {
        skipWhitespace();
        if (peek() != '"') {
            throw new SyntaxError();
        }
        readString();
        skipWhitespace();
        expect(':');
    }

    private void skipScalar() throws SyntaxError {
        int c = peek();
        if (c == '"') {
            readString();
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            skipNumber();
        } else if (s.startsWith("true", pos)) {
            pos += 4;
        } else if (s.startsWith("false", pos)) {
            pos += 5;
        } else if (s.startsWith("null", pos)) {
            pos += 4;
        } else {
            throw new SyntaxError();
        }
    }

    private void skipNumber() throws SyntaxError {
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                pos++;
            }
        } else {
            throw new SyntaxError();
        }
        if (peek() == '.') {
            pos++;
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            digits();
        }
    }

    private void digits() throws SyntaxError {
        if (!isDigit(peek())) {
            throw new SyntaxError();
        }
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private String readString() throws SyntaxError {
        expect('"');
        StringBuilder out = new StringBuilder();
        while (true) {
            int c = next();
            if (c == '"') {
                return out.toString();
            }
            if (c < 0x20) { // includes end of input (-1)
                throw new SyntaxError();
            }
            if (c != '\\') {
                out.append((char) c);
                continue;
            }
            int e = next();
            switch (e) {
                case '"', '\\', '/' -> out.append((char) e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> appendUnicodeEscape(out);
                default -> throw new SyntaxError();
            }
        }
    }

    private void appendUnicodeEscape(StringBuilder out) throws SyntaxError {
        char unit = (char) hex4();
        if (!Character.isSurrogate(unit)) {
            out.append(unit);
            return;
        }
        if (Character.isHighSurrogate(unit) && s.startsWith("\\u", pos)) {
            int save = pos;
            pos += 2;
            char low = (char) hex4();
            if (Character.isLowSurrogate(low)) {
                out.append(unit).append(low);
                return;
            }
            pos = save;
        }
        out.append('\uFFFD');
    }

    private int hex4() throws SyntaxError {
        if (pos + 4 > s.length()) {
            throw new SyntaxError();
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(s.charAt(pos + i), 16);
            if (d < 0 || s.charAt(pos + i) > 'f') {
                throw new SyntaxError();
            }
            v = v * 16 + d;
        }
        pos += 4;
        return v;
    }

    private void skipWhitespace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private int peek() {
        return pos < s.length() ? s.charAt(pos) : -1;
    }

    private int next() {
        return pos < s.length() ? s.charAt(pos++) : -1;
    }

    private void expect(char c) throws SyntaxError {
        if (next() != c) {
            throw new SyntaxError();
        }
    }
}
