package dev.slipway.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.slipway.SlipwayException;
import dev.slipway.image.ImageConfig.ContainerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --change} for {@code import}: the Dockerfile instructions {@code docker import} accepts
 * (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL), applied to a config.
 */
public final class ConfigChanges {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfigChanges() {
    }

    public static ContainerConfig apply(ContainerConfig config, List<String> changes) {
        ContainerConfig.Builder b = config.toBuilder();
        for (String change : changes) {
            String trimmed = change.strip();
            int space = indexOfWhitespace(trimmed);
            String instruction = (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
            String args = space < 0 ? "" : trimmed.substring(space).strip();
            if (args.isEmpty()) {
                throw new SlipwayException("--change \"" + change + "\": " + instruction + " needs an argument");
            }
            switch (instruction) {
                case "CMD" -> b.cmd(commandForm(args));
                case "ENTRYPOINT" -> b.entrypoint(commandForm(args));
                case "ENV" -> {
                    for (String[] kv : keyValues(args, change)) {
                        b.env(kv[0], kv[1]);
                    }
                }
                case "LABEL" -> {
                    for (String[] kv : keyValues(args, change)) {
                        b.label(kv[0], kv[1]);
                    }
                }
                case "EXPOSE" -> {
                    for (String port : words(args)) {
                        b.exposedPort(port.contains("/") ? port.toLowerCase(Locale.ROOT) : port + "/tcp");
                    }
                }
                case "VOLUME" -> (args.startsWith("[") ? jsonArray(args, change) : words(args)).forEach(b::volume);
                case "USER" -> b.user(args);
                case "WORKDIR" -> b.workingDir(args);
                case "STOPSIGNAL" -> b.stopSignal(args);
                default -> throw new SlipwayException("--change \"" + change + "\": " + instruction
                        + " is not supported (CMD, ENTRYPOINT, ENV, EXPOSE, LABEL, USER, WORKDIR, VOLUME, STOPSIGNAL are)");
            }
        }
        return b.build();
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** JSON (exec) form as is; shell form runs under {@code /bin/sh -c}, as Docker does. */
    private static List<String> commandForm(String args) {
        if (args.startsWith("[")) {
            try {
                return JSON.readValue(args, new TypeReference<List<String>>() { });
            } catch (IOException e) {
                // Docker too treats a malformed JSON array as shell form.
            }
        }
        return List.of("/bin/sh", "-c", args);
    }

    private static List<String> jsonArray(String args, String change) {
        try {
            return JSON.readValue(args, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            throw new SlipwayException("--change \"" + change + "\": invalid JSON array");
        }
    }

    /** {@code k=v k2="v 2"}, or the legacy single {@code k v} form. */
    private static List<String[]> keyValues(String args, String change) {
        List<String> words = words(args);
        List<String[]> out = new ArrayList<>();
        if (!words.get(0).contains("=")) {
            int space = indexOfWhitespace(args);
            if (space < 0) {
                throw new SlipwayException("--change \"" + change + "\": expected KEY=VALUE");
            }
            out.add(new String[] {args.substring(0, space), args.substring(space).strip()});
            return out;
        }
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq <= 0) {
                throw new SlipwayException("--change \"" + change + "\": expected KEY=VALUE, got " + w);
            }
            out.add(new String[] {w.substring(0, eq), w.substring(eq + 1)});
        }
        return out;
    }

    /** Splits on whitespace, honouring double and single quotes and backslash escapes. */
    private static List<String> words(String s) {
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < s.length()) {
                    cur.append(s.charAt(++i));
                } else {
                    cur.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < s.length()) {
                cur.append(s.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(cur.toString());
                    cur.setLength(0);
                    inWord = false;
                }
            } else {
                cur.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new SlipwayException("unterminated quote in \"" + s + "\"");
        }
        if (inWord) {
            words.add(cur.toString());
        }
        return words;
    }
}
