package dev.slipway.plan;

import dev.slipway.dockerfile.DockerfileParseException;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.ShellExpansionException;
import dev.slipway.dockerfile.ShellLexer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scope of FROM lines: the automatic platform args and the ARGs declared before the first
 * FROM (meta args), each overridden by a {@code --build-arg} of the same name. Build args that
 * were not declared are not visible here.
 */
public final class GlobalScope {

    /** Usable without an ARG line; passed to RUN but kept out of history and cache keys. */
    public static final List<String> PROXY_ARGS = List.of("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy",
            "FTP_PROXY", "ftp_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy");

    /** The automatic platform args, in BuildKit's order. */
    public static final List<String> PLATFORM_ARGS = List.of("BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
            "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT");

    private final Map<String, String> values;
    private final Set<String> metaArgNames;
    private final Map<String, String> buildArgs;

    private GlobalScope(Map<String, String> values, Set<String> metaArgNames, Map<String, String> buildArgs) {
        this.values = Collections.unmodifiableMap(values);
        this.metaArgNames = Collections.unmodifiableSet(metaArgNames);
        this.buildArgs = Collections.unmodifiableMap(buildArgs);
    }

    /**
     * Resolves the meta args in order: a build arg wins (and is not expanded), else the default is
     * expanded with the platform args and the meta args before it.
     *
     * @throws DockerfileParseException when a default cannot be expanded (e.g. {@code ${X:?}})
     */
    public static GlobalScope resolve(String fileName, List<Instruction.Arg> metaArgs, Map<String, String> buildArgs,
                                      PlatformSpec buildPlatform, PlatformSpec targetPlatform, ShellLexer lexer) {
        Map<String, String> values = new LinkedHashMap<>();
        String[][] builtins = {
            {"BUILDPLATFORM", buildPlatform.format()}, {"BUILDOS", buildPlatform.os()},
            {"BUILDARCH", buildPlatform.architecture()}, {"BUILDVARIANT", buildPlatform.variant()},
            {"TARGETPLATFORM", targetPlatform.format()}, {"TARGETOS", targetPlatform.os()},
            {"TARGETARCH", targetPlatform.architecture()}, {"TARGETVARIANT", targetPlatform.variant()},
        };
        for (String[] kv : builtins) {
            values.put(kv[0], buildArgs.getOrDefault(kv[0], kv[1]));
        }
        Set<String> names = new LinkedHashSet<>();
        for (Instruction.Arg arg : metaArgs) {
            for (Instruction.ArgDef def : arg.args()) {
                names.add(def.name());
                String value;
                if (buildArgs.containsKey(def.name())) {
                    value = buildArgs.get(def.name());
                } else if (def.defaultValue() != null) {
                    try {
                        value = lexer.expand(def.defaultValue(), values::get).result();
                    } catch (ShellExpansionException e) {
                        throw new DockerfileParseException(fileName, arg.origin().startLine(), e.getMessage());
                    }
                } else {
                    continue;
                }
                values.put(def.name(), value);
            }
        }
        return new GlobalScope(new LinkedHashMap<>(values), names, new TreeMap<>(buildArgs));
    }

    /** A variable's value in FROM lines, or null. */
    public String lookup(String name) {
        return values.get(name);
    }

    /** Every value visible in FROM lines, platform args first, then meta args in declaration order. */
    public Map<String, String> values() {
        return values;
    }

    /** Names declared by ARG before the first FROM, with or without a value. */
    public Set<String> metaArgNames() {
        return metaArgNames;
    }

    /** The {@code --build-arg} values, by name. */
    public Map<String, String> buildArgs() {
        return buildArgs;
    }

    /** Whether a name is one of the predefined proxy args (matched case-insensitively, as BuildKit does). */
    public static boolean isProxyArg(String name) {
        return PROXY_ARGS.stream().anyMatch(p -> p.equalsIgnoreCase(name));
    }
}
