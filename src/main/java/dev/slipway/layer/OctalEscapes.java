package dev.slipway.layer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Undoes the {@code \ooo} escapes that Linux tools write for unusual bytes in paths and names
 * (getfattr, {@code /proc/self/mountinfo}). The text must have been read as ISO-8859-1, so that each
 * char is one byte; the decoded bytes are read back as UTF-8.
 */
public final class OctalEscapes {
    private OctalEscapes() {
    }

    public static String decode(String latin1) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(latin1.length());
        for (int i = 0; i < latin1.length(); i++) {
            char c = latin1.charAt(i);
            if (c == '\\' && isOctal(latin1, i + 1)) {
                bytes.write(Integer.parseInt(latin1.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
