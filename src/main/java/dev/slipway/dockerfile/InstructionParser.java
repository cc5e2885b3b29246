package dev.slipway.dockerfile;

import dev.slipway.dockerfile.Instruction.ArgDef;
import dev.slipway.dockerfile.Instruction.CommandLine;
import dev.slipway.dockerfile.Instruction.KeyValue;
import dev.slipway.dockerfile.Instruction.Origin;
import dev.slipway.dockerfile.Instruction.SourceContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * BuildKit's {@code instructions} layer: validates one {@link Node}'s flags and arguments and builds
 * the typed {@link Instruction}. Error messages are BuildKit's.
 */
final class InstructionParser {
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    private static final Pattern OCTAL = Pattern.compile("^[0-7]+$");
    private static final Pattern SYMBOLIC_MODE =
            Pattern.compile("^[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*$");
    private static final Pattern ONBUILD_PREFIX = Pattern.compile("(?i)^[\\t\\n\\f\\r ]*ONBUILD[\\t\\n\\f\\r ]*");

    private final String fileName;

    InstructionParser(String fileName) {
        this.fileName = fileName;
    }

    /** Thrown with BuildKit's message; {@link #parse} adds file and line. */
    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    Instruction parse(Node node) {
        try {
            return typed(node, node.heredocs(), new Origin(node.startLine(), node.endLine(), node.original()));
        } catch (Invalid | RunMount.InvalidMountException e) {
            throw new DockerfileParseException(fileName, node.startLine(), e.getMessage());
        }
    }

    private Instruction typed(Node node, List<Heredoc> heredocs, Origin origin) {
        Flags flags = new Flags(node.flags());
        List<String> args = node.args();
        return switch (node.instruction()) {
            case "from" -> from(origin, args, flags);
            case "run" -> run(origin, node, flags, heredocs);
            case "cmd" -> {
                flags.parse();
                yield new Instruction.Cmd(origin, commandLine(node, args));
            }
            case "entrypoint" -> {
                flags.parse();
                yield new Instruction.Entrypoint(origin, commandLine(node, args));
            }
            case "label" -> {
                flags.parse();
                yield new Instruction.Label(origin, keyValues(args, "LABEL"), isLegacy(args));
            }
            case "env" -> {
                flags.parse();
                yield new Instruction.Env(origin, keyValues(args, "ENV"), isLegacy(args));
            }
            case "maintainer" -> {
                exactlyOne(args, "MAINTAINER");
                flags.parse();
                yield new Instruction.Maintainer(origin, args.get(0));
            }
            case "expose" -> {
                atLeastOne(args, "EXPOSE");
                flags.parse();
                yield new Instruction.Expose(origin, args.stream().sorted().toList());
            }
            case "add" -> add(origin, args, flags, heredocs);
            case "copy" -> copy(origin, args, flags, heredocs);
            case "volume" -> volume(origin, args, flags);
            case "user" -> {
                exactlyOne(args, "USER");
                flags.parse();
                yield new Instruction.User(origin, args.get(0));
            }
            case "workdir" -> {
                exactlyOne(args, "WORKDIR");
                flags.parse();
                yield new Instruction.Workdir(origin, args.get(0));
            }
            case "arg" -> arg(origin, args);
            case "onbuild" -> onbuild(origin, node, flags, heredocs);
            case "stopsignal" -> {
                exactlyOne(args, "STOPSIGNAL"); // flags are never parsed for STOPSIGNAL in BuildKit
                yield new Instruction.Stopsignal(origin, args.get(0));
            }
            case "healthcheck" -> healthcheck(origin, node, flags);
            case "shell" -> shell(origin, node, flags);
            default -> throw new Invalid("unknown instruction: " + node.instruction().toUpperCase(Locale.ROOT));
        };
    }

    private Instruction.From from(Origin origin, List<String> args, Flags flags) {
        String stageName = null;
        if (args.size() == 3 && args.get(1).equalsIgnoreCase("as")) {
            stageName = args.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(stageName).matches()) {
                throw new Invalid("invalid name for build stage: " + GoText.quote(args.get(2))
                        + ", name can't start with a number or contain symbols");
            }
        } else if (args.size() != 1) {
            throw new Invalid("FROM requires either one or three arguments");
        }
        Flag platform = flags.string("platform");
        flags.parse();
        return new Instruction.From(origin, args.get(0), platform.value, stageName);
    }

    private Instruction.Run run(Origin origin, Node node, Flags flags, List<Heredoc> heredocs) {
        Flag mountFlag = flags.strings("mount");
        Flag network = flags.string("network");
        Flag security = flags.string("security");
        flags.parse();
        if (network.value != null && !List.of("default", "none", "host").contains(network.value)) {
            throw new Invalid("invalid network mode " + GoText.quote(network.value));
        }
        if (security.value != null && !List.of("sandbox", "insecure").contains(security.value)) {
            throw new Invalid("security " + GoText.quote(security.value) + " is not valid");
        }
        List<RunMount> mounts = new ArrayList<>();
        for (String spec : mountFlag.values) {
            mounts.add(RunMount.parse(spec, null));
        }
        return new Instruction.Run(origin, commandLine(node, node.args()), mounts, network.value, security.value,
                heredocs);
    }

    /** BuildKit's handleJSONArgs: exec form keeps the elements, shell form is one string. */
    private static CommandLine commandLine(Node node, List<String> args) {
        if (node.json() || args.isEmpty()) {
            return new CommandLine(args, node.json());
        }
        return new CommandLine(List.of(String.join(" ", args)), false);
    }

    private static boolean isLegacy(List<String> triples) {
        return triples.size() >= 3 && triples.get(2).isEmpty();
    }

    private static List<KeyValue> keyValues(List<String> triples, String instruction) {
        atLeastOne(triples, instruction);
        List<KeyValue> pairs = new ArrayList<>();
        for (int i = 0; i + 1 < triples.size(); i += 3) {
            if (triples.get(i).isEmpty()) {
                throw new Invalid(instruction + " names can not be blank");
            }
            pairs.add(new KeyValue(triples.get(i), triples.get(i + 1)));
        }
        return pairs;
    }

    private Instruction.Add add(Origin origin, List<String> args, Flags flags, List<Heredoc> heredocs) {
        if (args.size() < 2) {
            throw noDestination("ADD");
        }
        Flag chown = flags.string("chown");
        Flag chmod = flags.string("chmod");
        Flag link = flags.bool("link");
        Flag keepGitDir = flags.bool("keep-git-dir");
        Flag checksum = flags.string("checksum");
        Flag unpack = flags.bool("unpack");
        Flag exclude = flags.strings("exclude");
        flags.parse();
        checkChmod(chmod.value);
        Sources s = sources(args, heredocs, "ADD");
        if (checksum.value != null && s.paths.size() + s.contents.size() != 1) {
            throw new Invalid("checksum can't be specified for multiple sources");
        }
        return new Instruction.Add(origin, s.paths, s.contents, s.dest, chown.value, chmod.value, link.isTrue(),
                checksum.value, keepGitDir.isTrue(), unpack.used ? unpack.isTrue() : null, exclude.values);
    }

    private Instruction.Copy copy(Origin origin, List<String> args, Flags flags, List<Heredoc> heredocs) {
        if (args.size() < 2) {
            throw noDestination("COPY");
        }
        Flag from = flags.string("from");
        Flag chown = flags.string("chown");
        Flag chmod = flags.string("chmod");
        Flag link = flags.bool("link");
        Flag parents = flags.bool("parents");
        Flag exclude = flags.strings("exclude");
        flags.parse();
        checkChmod(chmod.value);
        if (from.value != null && from.value.contains("$")) {
            throw new Invalid("variable expansion is not supported for --from, define a new stage with FROM using"
                    + " ARG from global scope as a workaround");
        }
        Sources s = sources(args, heredocs, "COPY");
        return new Instruction.Copy(origin, s.paths, s.contents, s.dest, from.value, chown.value, chmod.value,
                link.isTrue(), parents.isTrue(), exclude.values);
    }

    private record Sources(List<String> paths, List<SourceContent> contents, String dest) {
    }

    /** Splits sources from the destination; {@code <<NAME} sources become inline contents. */
    private Sources sources(List<String> args, List<Heredoc> heredocs, String instruction) {
        String dest = args.get(args.size() - 1);
        if (AstParser.parseHeredoc(dest, fileName, 0) != null) {
            throw new Invalid(instruction + " cannot accept a heredoc as a destination");
        }
        Map<String, Heredoc> byName = new HashMap<>();
        for (Heredoc h : heredocs) {
            byName.put(h.name(), h);
        }
        List<String> paths = new ArrayList<>();
        List<SourceContent> contents = new ArrayList<>();
        for (String src : args.subList(0, args.size() - 1)) {
            Heredoc marker = heredocs.isEmpty() ? null : AstParser.parseHeredoc(src, fileName, 0);
            if (marker == null) {
                paths.add(src);
                continue;
            }
            Heredoc body = byName.get(marker.name());
            String data = body == null ? "" : body.content();
            if (marker.chomp()) {
                data = data.replaceAll("(?m)^\t+", "");
            }
            contents.add(new SourceContent(marker.name(), data, marker.expand()));
        }
        return new Sources(paths, contents, dest);
    }

    /** Octal up to 07777 or chmod(1) symbolic; values still holding variables are checked after expansion. */
    private static void checkChmod(String chmod) {
        if (chmod == null || chmod.contains("$")) {
            return;
        }
        boolean ok;
        if (OCTAL.matcher(chmod).matches()) {
            ok = chmod.length() <= 12 && Long.parseLong(chmod, 8) <= 07777;
        } else {
            ok = SYMBOLIC_MODE.matcher(chmod).matches();
        }
        if (!ok) {
            throw new Invalid("invalid chmod parameter: '" + chmod
                    + "'. it should be octal string and between 0 and 07777");
        }
    }

    private static Instruction.Volume volume(Origin origin, List<String> args, Flags flags) {
        atLeastOne(args, "VOLUME");
        flags.parse();
        List<String> paths = new ArrayList<>();
        for (String v : args) {
            String trimmed = GoText.trimSpace(v);
            if (trimmed.isEmpty()) {
                throw new Invalid("VOLUME specified can not be an empty string");
            }
            paths.add(trimmed);
        }
        return new Instruction.Volume(origin, paths);
    }

    /** ARG flags are never parsed by BuildKit, so they are ignored here too. */
    private static Instruction.Arg arg(Origin origin, List<String> args) {
        atLeastOne(args, "ARG");
        List<ArgDef> defs = new ArrayList<>();
        for (String word : args) {
            int eq = word.indexOf('=');
            if (eq == 0) {
                throw new Invalid("ARG names can not be blank");
            }
            defs.add(eq < 0 ? new ArgDef(word, null) : new ArgDef(word.substring(0, eq), word.substring(eq + 1)));
        }
        return new Instruction.Arg(origin, defs);
    }

    private Instruction.Onbuild onbuild(Origin origin, Node node, Flags flags, List<Heredoc> heredocs) {
        Node trigger = node.child();
        if (trigger == null) {
            throw new Invalid("ONBUILD requires at least one argument");
        }
        flags.parse();
        String name = trigger.instruction().toUpperCase(Locale.ROOT);
        switch (name) {
            case "ONBUILD" -> throw new Invalid("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER", "FROM" -> throw new Invalid(name + " isn't allowed as an ONBUILD trigger");
            default -> {
            }
        }
        String expression = ONBUILD_PREFIX.matcher(node.original()).replaceFirst("");
        StringBuilder withBodies = new StringBuilder(expression);
        for (Heredoc h : heredocs) {
            withBodies.append('\n').append(h.content()).append(h.name());
        }
        Instruction inner = typed(trigger, heredocs, new Origin(origin.startLine(), origin.endLine(), expression));
        return new Instruction.Onbuild(origin, inner, withBodies.toString());
    }

    private Instruction.Healthcheck healthcheck(Origin origin, Node node, Flags flags) {
        List<String> args = node.args();
        atLeastOne(args, "HEALTHCHECK");
        String type = args.get(0).toUpperCase(Locale.ROOT);
        List<String> rest = args.subList(1, args.size());
        if (type.equals("NONE")) {
            if (!rest.isEmpty()) {
                throw new Invalid("HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(origin, null, Duration.ZERO, Duration.ZERO, Duration.ZERO,
                    Duration.ZERO, 0);
        }
        Flag interval = flags.string("interval");
        Flag timeout = flags.string("timeout");
        Flag startPeriod = flags.string("start-period");
        Flag startInterval = flags.string("start-interval");
        Flag retries = flags.string("retries");
        flags.parse();
        if (!type.equals("CMD")) {
            throw new Invalid("Unknown type " + GoText.quote(type) + " in HEALTHCHECK (try CMD)");
        }
        CommandLine command = commandLine(node, rest);
        if (command.args().isEmpty()) {
            throw new Invalid("Missing command after HEALTHCHECK CMD");
        }
        int retryCount = 0;
        if (retries.value != null && !retries.value.isEmpty()) {
            try {
                retryCount = Integer.parseInt(retries.value);
            } catch (NumberFormatException e) {
                throw new Invalid("strconv.ParseInt: parsing " + GoText.quote(retries.value) + ": invalid syntax");
            }
            if (retryCount < 0) {
                throw new Invalid("--retries cannot be negative (" + retryCount + ")");
            }
        }
        return new Instruction.Healthcheck(origin, command, interval(interval), interval(timeout),
                interval(startPeriod), interval(startInterval), retryCount);
    }

    private static Duration interval(Flag flag) {
        if (flag.value == null || flag.value.isEmpty()) {
            return Duration.ZERO;
        }
        Duration d;
        try {
            d = GoDuration.parse(flag.value);
        } catch (IllegalArgumentException e) {
            throw new Invalid(e.getMessage());
        }
        if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
            throw new Invalid("Interval " + GoText.quote(flag.name) + " cannot be less than 1ms");
        }
        return d;
    }

    private static Instruction.Shell shell(Origin origin, Node node, Flags flags) {
        flags.parse();
        List<String> args = node.json() ? node.args() : List.of(String.join(" ", node.args()));
        if (args.isEmpty()) {
            throw new Invalid("SHELL requires at least one argument");
        }
        if (!node.json()) {
            throw new Invalid("SHELL requires the arguments to be in JSON form");
        }
        return new Instruction.Shell(origin, args);
    }

    private static void atLeastOne(List<String> args, String instruction) {
        if (args.isEmpty()) {
            throw new Invalid(instruction + " requires at least one argument");
        }
    }

    private static void exactlyOne(List<String> args, String instruction) {
        if (args.size() != 1) {
            throw new Invalid(instruction + " requires exactly one argument");
        }
    }

    private static Invalid noDestination(String instruction) {
        return new Invalid(instruction + " requires at least two arguments, but only one was provided."
                + " Destination could not be determined");
    }

    /** One declared flag; {@code value} is null when the flag was not given. */
    private static final class Flag {
        final String name;
        final Kind kind;
        String value;
        final List<String> values = new ArrayList<>();
        boolean used;

        Flag(String name, Kind kind) {
            this.name = name;
            this.kind = kind;
        }

        boolean isTrue() {
            return "true".equals(value);
        }
    }

    private enum Kind { BOOL, STRING, STRINGS }

    /** BuildKit's BFlags: declared flags, then {@link #parse} checks the ones given. */
    private static final class Flags {
        private final List<String> given;
        private final Map<String, Flag> declared = new LinkedHashMap<>();

        Flags(List<String> given) {
            this.given = given;
        }

        Flag bool(String name) {
            return declare(name, Kind.BOOL);
        }

        Flag string(String name) {
            return declare(name, Kind.STRING);
        }

        Flag strings(String name) {
            return declare(name, Kind.STRINGS);
        }

        private Flag declare(String name, Kind kind) {
            Flag f = new Flag(name, kind);
            declared.put(name, f);
            return f;
        }

        void parse() {
            for (String word : given) {
                if (!word.startsWith("--")) {
                    throw new Invalid("arg should start with -- : " + word);
                }
                if (word.equals("--")) {
                    return;
                }
                String name = word.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Flag flag = declared.get(name);
                if (flag == null) {
                    throw new Invalid("unknown flag: --" + name);
                }
                if (flag.used && flag.kind != Kind.STRINGS) {
                    throw new Invalid("duplicate flag specified: --" + name);
                }
                flag.used = true;
                switch (flag.kind) {
                    case BOOL -> {
                        if (value != null && value.isEmpty()) {
                            throw new Invalid("missing a value on flag: --" + name);
                        }
                        String lower = value == null ? "true" : value.toLowerCase(Locale.ROOT);
                        if (!lower.equals("true") && !lower.equals("false")) {
                            throw new Invalid("expecting boolean value for flag --" + name + ", not: " + value);
                        }
                        flag.value = lower;
                    }
                    case STRING -> {
                        if (value == null) {
                            throw new Invalid("missing a value on flag: --" + name);
                        }
                        flag.value = value;
                    }
                    case STRINGS -> {
                        if (value == null) {
                            throw new Invalid("missing a value on flag: --" + name);
                        }
                        flag.values.add(value);
                    }
                }
            }
        }
    }
}
