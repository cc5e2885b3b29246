package dev.slipway.store;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the targets out of {@code refs.json} without Jackson, for a check that must finish before
 * a JSON library would have loaded (the build up-to-date check). It accepts only the shape
 * {@link References} writes, {@code {"references": {NAME: {"target": DIGEST, ...}, ...}}}, and
 * fails on anything else rather than guess.
 */
public final class RefsScanner {
    private final byte[] text;
    private int at;

    private RefsScanner(byte[] text) {
        this.text = text;
    }

    /** Each reference's normalized name mapped to its target digest; null when the text is not that shape. */
    public static Map<String, String> targets(byte[] refsJson) {
        try {
            return new RefsScanner(refsJson).file();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private Map<String, String> file() {
        Map<String, String> targets = new HashMap<>();
        expect('{');
        boolean seen = false;
        if (!peek('}')) {
            do {
                String key = string();
                expect(':');
                if (key.equals("references")) {
                    seen = true;
                    references(targets);
                } else {
                    skipValue();
                }
            } while (comma());
        }
        expect('}');
        space();
        if (at != text.length || !seen) {
            throw new IllegalArgumentException("not a references file");
        }
        return targets;
    }

    private void references(Map<String, String> targets) {
        expect('{');
        if (!peek('}')) {
            do {
                String name = string();
                expect(':');
                expect('{');
                String target = null;
                if (!peek('}')) {
                    do {
                        String field = string();
                        expect(':');
                        if (field.equals("target")) {
                            target = string();
                        } else {
                            skipValue();
                        }
                    } while (comma());
                }
                expect('}');
                if (target == null || targets.put(name, target) != null) {
                    throw new IllegalArgumentException("reference without a single target");
                }
            } while (comma());
        }
        expect('}');
    }

    private void skipValue() {
        space();
        byte b = text[at];
        if (b == '"') {
            string();
        } else if (b == '{' || b == '[') {
            byte close = b == '{' ? (byte) '}' : (byte) ']';
            at++;
            if (!peek((char) close)) {
                do {
                    if (close == '}') {
                        string();
                        expect(':');
                    }
                    skipValue();
                } while (comma());
            }
            expect((char) close);
        } else {
            int start = at;
            while (at < text.length && "{}[],: \t\r\n\"".indexOf(text[at]) < 0) {
                at++;
            }
            if (at == start) {
                throw new IllegalArgumentException("value expected");
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder s = new StringBuilder();
        int start = at;
        while (text[at] != '"') {
            if (text[at] == '\\') {
                s.append(new String(text, start, at - start, java.nio.charset.StandardCharsets.UTF_8));
                char e = (char) text[at + 1];
                at += 2;
                switch (e) {
                    case '"', '\\', '/' -> s.append(e);
                    case 'b' -> s.append('\b');
                    case 'f' -> s.append('\f');
                    case 'n' -> s.append('\n');
                    case 'r' -> s.append('\r');
                    case 't' -> s.append('\t');
                    case 'u' -> {
                        s.append((char) Integer.parseInt(new String(text, at, 4, java.nio.charset.StandardCharsets.US_ASCII), 16));
                        at += 4;
                    }
                    default -> throw new IllegalArgumentException("bad escape");
                }
                start = at;
            } else {
                at++;
            }
        }
        s.append(new String(text, start, at - start, java.nio.charset.StandardCharsets.UTF_8));
        at++;
        return s.toString();
    }

    private boolean comma() {
        space();
        if (text[at] == ',') {
            at++;
            return true;
        }
        return false;
    }

    private boolean peek(char c) {
        space();
        return text[at] == c;
    }

    private void expect(char c) {
        space();
        if (text[at] != c) {
            throw new IllegalArgumentException("expected " + c);
        }
        at++;
    }

    private void space() {
        while (at < text.length && (text[at] == ' ' || text[at] == '\n' || text[at] == '\r' || text[at] == '\t')) {
            at++;
        }
    }
}
