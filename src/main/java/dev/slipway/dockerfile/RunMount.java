package dev.slipway.dockerfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One {@code RUN --mount=...} as BuildKit reads it ({@code instructions/commands_runmount.go}).
 * Option values other than {@code from} are variable-expanded by BuildKit at build time: {@link #parse}
 * takes the expander to use; without one (at parse time) values containing {@code $} are kept as
 * written and only checked once expanded. {@code spec} keeps the flag value for that second pass.
 *
 * @param type     bind (default), cache, tmpfs, secret or ssh
 * @param readOnly the effective setting: explicit ro/rw, else read-only for bind, secret and ssh
 * @param id       cache id, secret id or ssh id ({@code id=})
 * @param mode     octal file mode as written, null when absent
 */
public record RunMount(String type, String from, String source, String target, boolean readOnly, String id,
                       String sharing, String mode, String uid, String gid, String size, boolean required,
                       String env, String spec) {

    public static final Set<String> TYPES = Set.of("bind", "cache", "tmpfs", "secret", "ssh");
    private static final Set<String> SHARING = Set.of("shared", "private", "locked");
    private static final Pattern RAM_SIZE = Pattern.compile("^(\\d+(\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$");
    private static final Pattern VARIABLE = Pattern.compile("\\$.");

    /** Thrown with BuildKit's message; the caller adds file and line. */
    public static final class InvalidMountException extends IllegalArgumentException {
        InvalidMountException(String message) {
            super(message);
        }
    }

    /**
     * Parses a mount spec. {@code expander} expands one option value; null means "not yet": values
     * with {@code $} are left unchecked.
     */
    public static RunMount parse(String spec, UnaryOperator<String> expander) {
        List<String> fields = csvFields(spec);
        String type = "bind";
        boolean typeKnown = true;
        String from = null;
        String source = null;
        String target = null;
        Boolean readOnly = null;
        String id = null;
        String sharing = null;
        String mode = null;
        String uid = null;
        String gid = null;
        String size = null;
        boolean required = false;
        String env = null;
        for (String field : fields) {
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            if (eq < 0) {
                switch (key) {
                    case "readonly", "ro" -> readOnly = true;
                    case "readwrite", "rw" -> readOnly = false;
                    case "required" -> {
                        requireType(key, type, typeKnown, "secret", "ssh");
                        required = true;
                    }
                    default -> throw invalid("invalid field '" + field + "' must be a key=value pair");
                }
                continue;
            }
            String raw = field.substring(eq + 1);
            String value;
            boolean checkable;
            if (key.equals("from")) {
                if (VARIABLE.matcher(raw).find()) {
                    throw invalid("'from' doesn't support variable expansion, define alias stage instead");
                }
                value = raw;
                checkable = true;
            } else if (expander != null) {
                value = expander.apply(raw);
                checkable = true;
            } else {
                value = raw;
                checkable = !raw.contains("$");
            }
            switch (key) {
                case "type" -> {
                    if (checkable && !TYPES.contains(value.toLowerCase(Locale.ROOT))) {
                        throw invalid("unsupported mount type " + GoText.quote(value));
                    }
                    type = checkable ? value.toLowerCase(Locale.ROOT) : value;
                    typeKnown = checkable;
                }
                case "from" -> from = value;
                case "source", "src" -> source = value;
                case "target", "dst", "destination" -> target = value;
                case "readonly", "ro" -> readOnly = checkable ? parseBool(key, value) : Boolean.TRUE;
                case "readwrite", "rw" -> readOnly = checkable ? !parseBool(key, value) : Boolean.FALSE;
                case "required" -> {
                    requireType(key, type, typeKnown, "secret", "ssh");
                    required = !checkable || parseBool(key, value);
                }
                case "id" -> id = value;
                case "sharing" -> {
                    if (checkable && !SHARING.contains(value.toLowerCase(Locale.ROOT))) {
                        throw invalid("unsupported sharing value " + GoText.quote(value));
                    }
                    sharing = checkable ? value.toLowerCase(Locale.ROOT) : value;
                }
                case "mode" -> {
                    if (checkable) {
                        checkUnsigned(value, 8, "mode");
                    }
                    mode = value;
                }
                case "uid" -> {
                    if (checkable) {
                        checkUnsigned(value, 10, "uid");
                    }
                    uid = value;
                }
                case "gid" -> {
                    if (checkable) {
                        checkUnsigned(value, 10, "gid");
                    }
                    gid = value;
                }
                case "size" -> {
                    requireType(key, type, typeKnown, "tmpfs");
                    if (checkable && !RAM_SIZE.matcher(value).matches()) {
                        throw invalid("invalid value for " + key + ": " + value);
                    }
                    size = value;
                }
                case "env" -> {
                    requireType(key, type, typeKnown, "secret");
                    env = value;
                }
                default -> throw invalid("unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (typeKnown) {
            boolean fileInfoAllowed = type.equals("secret") || type.equals("ssh") || type.equals("cache");
            if (!fileInfoAllowed) {
                for (String[] opt : new String[][] {{"mode", mode}, {"uid", uid}, {"gid", gid}}) {
                    if (opt[1] != null) {
                        throw invalid(opt[0] + " not allowed for " + GoText.quote(type) + " type mounts");
                    }
                }
            }
            if (sharing != null && !type.equals("cache")) {
                throw invalid("invalid cache sharing set for " + type + " mount");
            }
            if (type.equals("secret")) {
                if (from != null) {
                    throw invalid("secret mount should not have a from");
                }
                if (source == null && target == null && id == null && env == null) {
                    throw invalid("invalid secret mount. one of source, target required");
                }
                if (source != null && id != null) {
                    throw invalid("both source and id can't be set");
                }
            }
            if (type.equals("ssh") && source != null) {
                throw invalid("ssh does not support source");
            }
        }
        boolean ro = readOnly != null ? readOnly : !(type.equals("cache") || type.equals("tmpfs"));
        return new RunMount(type, from, source, target, ro, id, sharing, mode, uid, gid, size, required, env, spec);
    }

    private static void requireType(String key, String type, boolean typeKnown, String... allowed) {
        if (!typeKnown) {
            return;
        }
        for (String a : allowed) {
            if (a.equals(type)) {
                return;
            }
        }
        throw invalid("unexpected key '" + key + "' for mount type '" + type + "'");
    }

    /** Go's strconv.ParseBool. */
    private static boolean parseBool(String key, String value) {
        return switch (value) {
            case "1", "t", "T", "TRUE", "true", "True" -> true;
            case "0", "f", "F", "FALSE", "false", "False" -> false;
            default -> throw invalid("invalid value for " + key + ": " + value);
        };
    }

    private static void checkUnsigned(String value, int radix, String key) {
        try {
            long v = Long.parseLong(value, radix);
            if (v < 0 || v > 0xFFFF_FFFFL || value.startsWith("+") || value.startsWith("-")) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw invalid("invalid value " + value + " for " + key);
        }
    }

    /** One CSV record as Go's encoding/csv reads it: double quotes may enclose commas, {@code ""} is a quote. */
    private static List<String> csvFields(String spec) {
        if (spec.isEmpty()) {
            throw invalid("failed to parse csv mounts: EOF");
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = spec.length();
        while (true) {
            field.setLength(0);
            if (i < n && spec.charAt(i) == '"') {
                i++;
                while (true) {
                    if (i >= n) {
                        throw invalid("failed to parse csv mounts: extraneous or missing \" in quoted-field");
                    }
                    char c = spec.charAt(i++);
                    if (c != '"') {
                        field.append(c);
                    } else if (i < n && spec.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        break;
                    }
                }
                if (i < n && spec.charAt(i) != ',') {
                    throw invalid("failed to parse csv mounts: extraneous or missing \" in quoted-field");
                }
            } else {
                while (i < n && spec.charAt(i) != ',') {
                    char c = spec.charAt(i++);
                    if (c == '"') {
                        throw invalid("failed to parse csv mounts: bare \" in non-quoted-field");
                    }
                    field.append(c);
                }
            }
            fields.add(field.toString());
            if (i >= n) {
                return fields;
            }
            i++; // the comma
        }
    }

    private static InvalidMountException invalid(String message) {
        return new InvalidMountException(message);
    }
}
