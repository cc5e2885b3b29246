package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.ShellExpansionException;
import dev.slipway.image.ImageConfig;
import dev.slipway.plan.StageScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The instructions that only change the image config and history, as BuildKit's dispatcher does
 * ({@code convert.go}): what each expands, what it sets, and the history entry it records.
 */
public final class ConfigSteps {
    private static final Set<String> SIGNALS = Set.of("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP",
            "ILL", "INT", "IO", "IOT", "KILL", "PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS",
            "TERM", "TRAP", "TSTP", "TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ",
            "UNUSED", "RTMIN", "RTMAX");

    /** The history comment of every instruction, as BuildKit writes it. */
    static final String COMMENT = "buildkit.dockerfile.v0";

    private ConfigSteps() {
    }

    /** Whether {@code i} is handled here (no filesystem change). */
    public static boolean handles(Instruction i) {
        return !(i instanceof Instruction.Run || i instanceof Instruction.Copy || i instanceof Instruction.Add
                || i instanceof Instruction.Workdir || i instanceof Instruction.From);
    }

    /** Applies a config instruction to {@code s}. */
    public static StageState apply(StageState s, Instruction instruction, StepContext ctx) {
        try {
            return dispatch(s, instruction, ctx);
        } catch (ShellExpansionException e) {
            throw new SlipwayException(e.getMessage(), e);
        }
    }

    private static StageState dispatch(StageState s, Instruction instruction, StepContext ctx) {
        if (instruction instanceof Instruction.Env env) {
            return env(s, env, ctx);
        } else if (instruction instanceof Instruction.Label label) {
            return label(s, label, ctx);
        } else if (instruction instanceof Instruction.Maintainer m) {
            return history(s.withImage(s.image().withAuthor(m.maintainer())), "MAINTAINER " + m.maintainer(), ctx);
        } else if (instruction instanceof Instruction.Expose expose) {
            return expose(s, expose, ctx);
        } else if (instruction instanceof Instruction.Volume volume) {
            return volume(s, volume, ctx);
        } else if (instruction instanceof Instruction.User user) {
            String u = expand(s, user.user(), ctx);
            return history(s.withConfig(s.config().toBuilder().user(u).build()), "USER " + u, ctx);
        } else if (instruction instanceof Instruction.Cmd cmd) {
            List<String> args = commandArgs(s, cmd.command());
            StageState next = s.withConfig(s.config().toBuilder().cmd(args).argsEscaped(true).build()).withCmdSet();
            return history(next, "CMD " + GoFormat.quotedList(args), ctx);
        } else if (instruction instanceof Instruction.Entrypoint ep) {
            List<String> args = commandArgs(s, ep.command());
            ImageConfig.ContainerConfig.Builder b = s.config().toBuilder().entrypoint(args);
            if (!s.cmdSet()) {
                b.cmd(null);
            }
            return history(s.withConfig(b.build()), "ENTRYPOINT " + GoFormat.quotedList(args), ctx);
        } else if (instruction instanceof Instruction.Shell shell) {
            return history(s.withConfig(s.config().toBuilder().shell(shell.shell()).build()),
                    "SHELL " + GoFormat.list(shell.shell()), ctx);
        } else if (instruction instanceof Instruction.Stopsignal stop) {
            String signal = expand(s, stop.signal(), ctx);
            checkSignal(signal);
            return history(s.withConfig(s.config().toBuilder().stopSignal(signal).build()), "STOPSIGNAL " + signal,
                    ctx);
        } else if (instruction instanceof Instruction.Healthcheck hc) {
            return healthcheck(s, hc, ctx);
        } else if (instruction instanceof Instruction.Onbuild ob) {
            List<String> triggers = new ArrayList<>(s.config().onBuild() == null ? List.of() : s.config().onBuild());
            triggers.add(ob.expression());
            return s.withConfig(s.config().toBuilder().onBuild(triggers).build());
        } else if (instruction instanceof Instruction.Arg arg) {
            return arg(s, arg, ctx);
        }
        throw new IllegalArgumentException("not a config instruction: " + instruction.name());
    }

    /** Shell form gets the stage's shell prepended; exec form is taken as written. */
    static List<String> commandArgs(StageState s, Instruction.CommandLine command) {
        if (command.execForm()) {
            return command.args();
        }
        List<String> args = new ArrayList<>(s.shell());
        args.addAll(command.args());
        return args;
    }

    private static String expand(StageState s, String word, StepContext ctx) {
        return ctx.lexer().expand(word, s.scope()::lookup).result();
    }

    private static StageState history(StageState s, String createdBy, StepContext ctx) {
        return s.withImage(s.image().withEmptyLayerHistory(historyEntry(createdBy, ctx)));
    }

    static ImageConfig.History historyEntry(String createdBy, StepContext ctx) {
        return new ImageConfig.History(ctx.created(), createdBy, COMMENT);
    }

    private static StageState env(StageState s, Instruction.Env env, StepContext ctx) {
        List<String[]> pairs = new ArrayList<>();
        for (Instruction.KeyValue kv : env.vars()) {
            pairs.add(new String[] {expand(s, kv.key(), ctx), expand(s, kv.value(), ctx)});
        }
        StageScope scope = s.scope().child();
        ImageConfig.ContainerConfig.Builder b = s.config().toBuilder();
        StringBuilder msg = new StringBuilder("ENV");
        for (String[] p : pairs) {
            if (p[0].isEmpty()) {
                throw new SlipwayException("ENV names can not be blank");
            }
            scope.env(p[0], p[1]);
            b.env(p[0], p[1]);
            msg.append(' ').append(p[0]).append('=').append(p[1]);
        }
        return history(s.withConfig(b.build()).withScope(scope), msg.toString(), ctx);
    }

    private static StageState label(StageState s, Instruction.Label label, StepContext ctx) {
        ImageConfig.ContainerConfig.Builder b = s.config().toBuilder();
        StringBuilder msg = new StringBuilder("LABEL");
        for (Instruction.KeyValue kv : label.labels()) {
            String k = expand(s, kv.key(), ctx);
            String v = expand(s, kv.value(), ctx);
            if (k.isEmpty()) {
                throw new SlipwayException("LABEL names can not be blank");
            }
            b.label(k, v);
            msg.append(' ').append(k).append('=').append(v);
        }
        return history(s.withConfig(b.build()), msg.toString(), ctx);
    }

    private static StageState expose(StageState s, Instruction.Expose expose, StepContext ctx) {
        List<String> ports = new ArrayList<>();
        for (String p : expose.ports()) {
            ports.addAll(ctx.lexer().expandWords(p, s.scope()::lookup));
        }
        ImageConfig.ContainerConfig.Builder b = s.config().toBuilder();
        for (String p : ports) {
            for (String key : portKeys(p)) {
                b.exposedPort(key);
            }
        }
        return history(s.withConfig(b.build()), "EXPOSE " + GoFormat.list(ports), ctx);
    }

    /** {@code [ip:][hostPort:]containerPort[-end][/proto]} to its {@code port/proto} keys. */
    static List<String> portKeys(String spec) {
        String proto = "tcp";
        String rest = spec;
        int slash = spec.lastIndexOf('/');
        if (slash >= 0) {
            proto = spec.substring(slash + 1).toLowerCase(Locale.ROOT);
            rest = spec.substring(0, slash);
        }
        if (!Set.of("tcp", "udp", "sctp").contains(proto)) {
            throw new SlipwayException("invalid proto: " + proto);
        }
        int colon = rest.lastIndexOf(':');
        String container = colon >= 0 ? rest.substring(colon + 1) : rest;
        int dash = container.indexOf('-');
        int start = port(dash < 0 ? container : container.substring(0, dash), spec);
        int end = dash < 0 ? start : port(container.substring(dash + 1), spec);
        if (end < start) {
            throw new SlipwayException("invalid range specified for container port: " + container);
        }
        List<String> keys = new ArrayList<>();
        for (int p = start; p <= end; p++) {
            keys.add(p + "/" + proto);
        }
        return keys;
    }

    private static int port(String text, String spec) {
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new SlipwayException("invalid containerPort: " + spec);
        }
    }

    private static StageState volume(StageState s, Instruction.Volume volume, StepContext ctx) {
        List<String> paths = new ArrayList<>();
        ImageConfig.ContainerConfig.Builder b = s.config().toBuilder();
        for (String raw : volume.paths()) {
            String p = expand(s, raw, ctx).strip();
            if (p.isEmpty()) {
                throw new SlipwayException("VOLUME specified can not be an empty string");
            }
            paths.add(p);
            b.volume(p);
        }
        return history(s.withConfig(b.build()), "VOLUME " + GoFormat.list(paths), ctx);
    }

    static void checkSignal(String signal) {
        try {
            if (Integer.parseInt(signal) == 0) {
                throw new SlipwayException("Invalid signal: " + signal);
            }
            return;
        } catch (NumberFormatException e) {
            // a name, checked below
        }
        String name = signal.toUpperCase(Locale.ROOT);
        name = name.startsWith("SIG") ? name.substring(3) : name;
        if (SIGNALS.contains(name) || name.matches("RTMIN\\+([1-9]|1[0-5])|RTMAX-([1-9]|1[0-4])")) {
            return;
        }
        throw new SlipwayException("Invalid signal: " + signal);
    }

    private static StageState healthcheck(StageState s, Instruction.Healthcheck hc, StepContext ctx) {
        List<String> test = new ArrayList<>();
        if (hc.none()) {
            test.add("NONE");
        } else if (hc.command().execForm()) {
            test.add("CMD");
            test.addAll(hc.command().args());
        } else {
            test.add("CMD-SHELL");
            test.add(hc.command().args().get(0));
        }
        long interval = hc.none() ? 0 : hc.interval().toNanos();
        long timeout = hc.none() ? 0 : hc.timeout().toNanos();
        long startPeriod = hc.none() ? 0 : hc.startPeriod().toNanos();
        long startInterval = hc.none() ? 0 : hc.startInterval().toNanos();
        int retries = hc.none() ? 0 : hc.retries();
        ImageConfig.Healthcheck config = new ImageConfig.Healthcheck(test, nonZero(interval), nonZero(timeout),
                nonZero(startPeriod), nonZero(startInterval), retries == 0 ? null : retries, null);
        String msg = "HEALTHCHECK {Test:" + GoFormat.list(test) + " Interval:" + GoFormat.duration(interval)
                + " Timeout:" + GoFormat.duration(timeout) + " StartPeriod:" + GoFormat.duration(startPeriod)
                + " StartInterval:" + GoFormat.duration(startInterval) + " Retries:" + retries + "}";
        return history(s.withConfig(s.config().toBuilder().healthcheck(config).build()), msg, ctx);
    }

    private static Long nonZero(long v) {
        return v == 0 ? null : v;
    }

    private static StageState arg(StageState s, Instruction.Arg arg, StepContext ctx) {
        StageScope scope = s.scope().child();
        List<String> parts = new ArrayList<>();
        for (Instruction.ArgDef def : arg.args()) {
            scope.declare(def, ctx.lexer());
            StageScope.DeclaredArg declared = scope.args().get(scope.args().size() - 1);
            parts.add(declared.value() == null ? declared.name() : declared.name() + "=" + declared.value());
        }
        return history(s.withScope(scope), "ARG " + String.join(" ", parts), ctx);
    }
}
