package dev.slipway.registry;

import dev.slipway.SlipwayException;
import dev.slipway.image.ImageReference;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code --cache-to} or {@code --cache-from} value, in BuildKit's syntax:
 * {@code type=registry,ref=REG/REPO:TAG[,mode=min|max][,ignore-error=true|false]}, or a bare
 * reference as shorthand for {@code type=registry,ref=...}.
 *
 * @param reference   where the cache lives
 * @param max         {@code mode=max}: export the records of every stage, not only the final one's
 * @param ignoreError a failure to export or import is a warning instead of an error
 */
public record CacheSpec(ImageReference reference, boolean max, boolean ignoreError) {

    /** Parses a {@code --cache-to} value ({@code export}) or a {@code --cache-from} one. */
    public static CacheSpec parse(String text, boolean export) {
        String flag = export ? "--cache-to" : "--cache-from";
        if (text == null || text.isBlank()) {
            throw new SlipwayException(flag + ": empty value");
        }
        if (!text.contains("=")) {
            return new CacheSpec(reference(text, flag), false, false);
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new SlipwayException(flag + " " + text + ": expected KEY=VALUE, got \"" + part + "\"");
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (fields.put(key, part.substring(eq + 1).trim()) != null) {
                throw new SlipwayException(flag + " " + text + ": " + key + " given twice");
            }
        }
        String type = fields.getOrDefault("type", "registry");
        if (!type.equals("registry")) {
            throw new SlipwayException(flag + " type=" + type + " is not supported: only type=registry is");
        }
        String ref = fields.get("ref");
        if (ref == null || ref.isEmpty()) {
            throw new SlipwayException(flag + " " + text + ": ref=REGISTRY/REPOSITORY:TAG is required");
        }
        boolean max = false;
        boolean ignoreError = false;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            switch (f.getKey()) {
                case "type", "ref" -> { }
                case "mode" -> {
                    if (!export) {
                        throw new SlipwayException("--cache-from: mode= belongs to --cache-to");
                    }
                    max = switch (f.getValue()) {
                        case "min" -> false;
                        case "max" -> true;
                        default -> throw new SlipwayException("--cache-to: invalid mode=" + f.getValue()
                                + ": use min or max");
                    };
                }
                case "ignore-error" -> ignoreError = switch (f.getValue()) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new SlipwayException(flag + ": invalid ignore-error=" + f.getValue()
                            + ": use true or false");
                };
                default -> throw new SlipwayException(flag + ": unknown option " + f.getKey()
                        + " (supported: type, ref" + (export ? ", mode" : "") + ", ignore-error)");
            }
        }
        return new CacheSpec(reference(ref, flag), max, ignoreError);
    }

    private static ImageReference reference(String text, String flag) {
        ImageReference ref;
        try {
            ref = ImageReference.parse(text.trim());
        } catch (SlipwayException e) {
            throw new SlipwayException(flag + ": invalid ref " + text + ": " + e.getMessage(), e);
        }
        return ref;
    }
}
