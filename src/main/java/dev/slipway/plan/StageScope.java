package dev.slipway.plan;

import dev.slipway.dockerfile.Expansion;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.ShellLexer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The variables in force at one point of a stage, updated instruction by instruction as BuildKit's
 * dispatcher does: the base image's env, then ENV and ARG lines in order. Expansion inside a stage
 * looks here; FROM lines use {@link GlobalScope} instead.
 *
 * <p>An ARG value goes into the build-time env (what RUN sees and what expansion uses) but not the
 * image's {@code Config.Env}. ENV goes into both, so a later ENV overrides an ARG; a later ARG also
 * overrides an earlier ENV, but for the build-time env only.
 */
public final class StageScope {

    /** The PATH BuildKit gives a scratch stage, and appends to an image env without one. */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** A declared ARG; {@code value} is null when it is declared but unset. */
    public record DeclaredArg(String name, String value) {
    }

    private final GlobalScope global;
    private final LinkedHashMap<String, String> buildEnv;
    private final LinkedHashMap<String, String> imageEnv;
    private final List<DeclaredArg> args;

    private StageScope(GlobalScope global, Map<String, String> buildEnv, Map<String, String> imageEnv,
                       List<DeclaredArg> args) {
        this.global = global;
        this.buildEnv = new LinkedHashMap<>(buildEnv);
        this.imageEnv = new LinkedHashMap<>(imageEnv);
        this.args = new ArrayList<>(args);
    }

    /** A stage on an image (its {@code Config.Env}, PATH added when missing) or on scratch (null). */
    public static StageScope onImage(GlobalScope global, Map<String, String> baseEnv) {
        Map<String, String> env = new LinkedHashMap<>(baseEnv == null ? Map.of() : baseEnv);
        env.putIfAbsent("PATH", DEFAULT_PATH);
        return new StageScope(global, env, env, List.of());
    }

    /** A stage built FROM this one: it inherits the env, the image env and the declared ARGs. */
    public StageScope child() {
        return new StageScope(global, buildEnv, imageEnv, args);
    }

    /**
     * Declares an in-stage ARG: a {@code --build-arg} wins, else the default expanded here, else a
     * value from the global scope (meta ARG or platform arg), else the ARG stays unset.
     *
     * @return the names the default referred to that were unset (for UndefinedVar)
     */
    public Set<String> declare(Instruction.ArgDef def, ShellLexer lexer) {
        String value;
        Set<String> unset = Set.of();
        Map<String, String> buildArgs = global.buildArgs();
        if (buildArgs.containsKey(def.name())) {
            value = buildArgs.get(def.name());
        } else if (def.defaultValue() != null) {
            Expansion e = lexer.expand(def.defaultValue(), buildEnv::get);
            value = e.result();
            unset = e.unset();
        } else {
            value = global.lookup(def.name());
        }
        args.add(new DeclaredArg(def.name(), value));
        if (value != null) {
            buildEnv.put(def.name(), value);
        }
        return unset;
    }

    /** An ENV assignment: both the build-time env and the image env. */
    public void env(String key, String value) {
        buildEnv.put(key, value);
        imageEnv.put(key, value);
    }

    /** A variable's value for expansion at this point, or null when unset. */
    public String lookup(String name) {
        return buildEnv.get(name);
    }

    /** Whether an ARG of that name was declared in this stage (or a stage it is built from), set or not. */
    public boolean isDeclared(String name) {
        return args.stream().anyMatch(a -> a.name().equals(name));
    }

    /** The environment RUN sees (without the proxy args, which travel separately). */
    public Map<String, String> buildEnv() {
        return Collections.unmodifiableMap(buildEnv);
    }

    /** What the image's {@code Config.Env} holds: the base env and ENV lines, no ARGs. */
    public Map<String, String> imageEnv() {
        return Collections.unmodifiableMap(imageEnv);
    }

    /** Declared ARGs in order, as history records them ({@code RUN |n k=v ...}). */
    public List<DeclaredArg> args() {
        return Collections.unmodifiableList(args);
    }

    /**
     * The proxy build args RUN gets out of band: those given with {@code --build-arg} and not
     * declared by an ARG (declared ones are ordinary args, in history and in cache keys).
     */
    public Map<String, String> proxyEnv() {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> declared = new LinkedHashSet<>();
        args.forEach(a -> declared.add(a.name()));
        global.buildArgs().forEach((k, v) -> {
            if (GlobalScope.isProxyArg(k) && !declared.contains(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
