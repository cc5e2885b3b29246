package dev.slipway.build;

import dev.slipway.RandomIds;
import dev.slipway.SlipwayException;
import dev.slipway.build.exec.ExecMount;
import dev.slipway.build.exec.ExecResult;
import dev.slipway.build.exec.ExecSpec;
import dev.slipway.build.exec.Executor;
import dev.slipway.build.exec.Network;
import dev.slipway.build.exec.OutputSink;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.build.snapshot.Snapshotter;
import dev.slipway.dockerfile.Heredoc;
import dev.slipway.dockerfile.Instruction;
import dev.slipway.dockerfile.RunMount;
import dev.slipway.dockerfile.ShellExpansionException;
import dev.slipway.image.Digest;
import dev.slipway.plan.StageScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** RUN: the command in a container over a snapshot of the parent's layers; the upperdir is the new layer. */
final class RunStep {
    private final Workspace ws;

    RunStep(Workspace ws) {
        this.ws = ws;
    }

    /**
     * The step's key covers what BuildKit's ExecOp key does: the argv (shell included), the whole
     * build-time env (ENV and every ARG value in scope, so a changed ARG re-runs the RUNs after it,
     * used or not), working directory, user, network, the expanded mounts and the content of bind
     * mount sources. Secret and SSH values, cache mount contents and proxy args are not in it.
     */
    Steps.Prepared prepare(StageState s, Instruction.Run run, Step step) {
        List<String> args = arguments(s, run);
        Network network = run.network() == null || run.network().equals("default") ? ws.request().network()
                : Network.parse(run.network());
        List<RunMount> mounts = new ArrayList<>();
        List<Object> sources = new ArrayList<>();
        for (RunMount m : run.mounts()) {
            RunMount x = expandMount(s, m);
            mounts.add(x);
            if (x.type().equals("secret") || x.type().equals("ssh")) {
                ws.outsideInput(step.label() + " mounts a " + x.type());
            }
            if (x.type().equals("bind")) {
                sources.add(ws.checksums().bind(x.from(), x.source() == null ? "/" : x.source(), step, where(step)));
            }
        }
        String createdBy = "RUN " + commandString(args, s.scope()) + " # buildkit";
        Digest key = CacheKey.of("run").add("parent", s.cacheKey()).add("instruction", run).add("args", args)
                .add("env", s.scope().buildEnv()).add("cwd", s.workdir()).add("user", s.user())
                .add("network", network).add("mounts", mounts).add("sources", sources)
                .add("epoch", ws.context().epoch()).add("createdBy", createdBy).digest();
        return new Steps.Prepared(key, s, createdBy, (n, committer) -> execute(s, run, step, args, network, mounts, n, committer), true);
    }

    private String where(Step step) {
        return ws.fileName() + ":" + step.line() + ": ";
    }

    private LayerDir execute(StageState s, Instruction.Run run, Step step, List<String> args, Network network,
                             List<RunMount> runMounts, int progressStep, LayerCommitter committer) {
        Path area = ws.newArea("run");
        List<AutoCloseable> cleanup = new ArrayList<>();
        try (Snapshot snapshot = ws.snapshotter().prepare(s.lowerDirs(), area.resolve("rootfs"))) {
            Map<String, String> env = new LinkedHashMap<>(s.scope().buildEnv());
            s.scope().proxyEnv().forEach(env::putIfAbsent);
            ExecSpec.Builder spec = ExecSpec.builder(snapshot, args).cwd(s.workdir()).user(s.user()).network(network)
                    .keepDirectoryStubs(true);
            if (hasPipes(run)) {
                writeScript(singleHeredoc(run), area.resolve("pipes"));
                spec.mount(new ExecMount.Bind(area.resolve("pipes"), "/dev/pipes", true));
            }
            Mounts mounts = new Mounts(s, step, area, cleanup, env);
            for (RunMount m : runMounts) {
                mounts.add(m, spec);
            }
            List<String> envList = new ArrayList<>();
            env.forEach((k, v) -> envList.add(k + "=" + v));
            spec.env(envList);
            ExecResult result = ws.executor().run(spec.build(), (stream, text) -> {
                if (stream != OutputSink.Stream.WARNING || !text.isEmpty()) {
                    ws.progress().output(progressStep, text);
                }
            });
            if (!result.succeeded()) {
                throw new StepFailedException(ws.fileName() + ":" + step.line() + ": process \""
                        + String.join(" ", args) + "\" did not complete successfully: exit code: "
                        + result.exitCode(), result.exitCode(), result.lastLines(), step.label(), step.line());
            }
            return committer.commit(snapshot);
        } finally {
            for (AutoCloseable c : cleanup) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // best effort: scratch state only
                }
            }
            ws.deleteArea(area);
        }
    }

    private static void writeScript(Heredoc script, Path pipes) {
        try {
            Files.createDirectories(pipes);
            Path file = pipes.resolve(script.name());
            Files.writeString(file, script.effectiveContent());
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** BuildKit's runCommandString: {@code |n k=v ...} for the ARGs in scope, then the argv. */
    static String commandString(List<String> args, StageScope scope) {
        LinkedHashMap<String, String> build = new LinkedHashMap<>();
        for (StageScope.DeclaredArg a : scope.args()) {
            String v = scope.buildEnv().get(a.name());
            build.put(a.name(), v != null ? v : a.value() == null ? "" : a.value());
        }
        List<String> parts = new ArrayList<>();
        if (!build.isEmpty()) {
            parts.add("|" + build.size());
            build.forEach((k, v) -> parts.add(k + "=" + v));
        }
        parts.addAll(args);
        return String.join(" ", parts);
    }

    private static boolean hasPipes(Instruction.Run run) {
        return singleHeredoc(run) != null && singleHeredoc(run).effectiveContent().startsWith("#!");
    }

    /** The heredoc when the whole command is one ({@code RUN <<EOF}), else null. */
    private static Heredoc singleHeredoc(Instruction.Run run) {
        if (run.heredocs().isEmpty() || run.command().execForm() || run.command().args().size() != 1) {
            return null;
        }
        String cmd = run.command().args().get(0).strip();
        Heredoc first = run.heredocs().get(0);
        return cmd.matches("\\d*<<-?\\s*['\"]?" + java.util.regex.Pattern.quote(first.name()) + "['\"]?") ? first : null;
    }

    /**
     * The argv of the step, heredocs handled as BuildKit's dispatchRun does: a lone heredoc starting
     * with {@code #!} runs as the script {@code /dev/pipes/NAME} (written when the step executes).
     */
    static List<String> arguments(StageState s, Instruction.Run run) {
        Instruction.CommandLine command = run.command();
        if (run.heredocs().isEmpty()) {
            return ConfigSteps.commandArgs(s, command);
        }
        if (command.execForm() || command.args().size() != 1) {
            throw new SlipwayException("parsing produced an invalid run command: " + command.args());
        }
        Heredoc single = singleHeredoc(run);
        String text;
        if (single != null) {
            String data = single.effectiveContent();
            text = data.startsWith("#!") ? "/dev/pipes/" + single.name() : data;
        } else {
            StringBuilder full = new StringBuilder(command.args().get(0));
            for (Heredoc h : run.heredocs()) {
                full.append('\n').append(h.content()).append(h.name());
            }
            text = full.toString();
        }
        return ConfigSteps.commandArgs(s, new Instruction.CommandLine(List.of(text), false));
    }

    private RunMount expandMount(StageState s, RunMount m) {
        Function<String, String> lookup = s.scope()::lookup;
        try {
            return RunMount.parse(m.spec(), word -> ws.context().lexer().expand(word, lookup).result());
        } catch (ShellExpansionException | RunMount.InvalidMountException e) {
            throw new SlipwayException(e.getMessage(), e);
        }
    }

    /** Turns RUN --mount options into executor mounts. */
    private final class Mounts {
        private final StageState s;
        private final Step step;
        private final Path area;
        private final List<AutoCloseable> cleanup;
        private final Map<String, String> env;
        private int sshCount;

        Mounts(StageState s, Step step, Path area, List<AutoCloseable> cleanup, Map<String, String> env) {
            this.s = s;
            this.step = step;
            this.area = area;
            this.cleanup = cleanup;
            this.env = env;
        }

        void add(RunMount m, ExecSpec.Builder spec) {
            String target = m.target() == null ? null : absolute(m.target());
            switch (m.type()) {
                case "bind" -> spec.mount(bind(m, required(target, m)));
                case "cache" -> spec.mount(cache(m, required(target, m)));
                case "tmpfs" -> spec.mount(new ExecMount.Tmpfs(required(target, m),
                        m.size() == null ? 0 : ramBytes(m.size())));
                case "secret" -> secret(m, target, spec);
                case "ssh" -> ssh(m, target, spec);
                default -> throw new SlipwayException("unsupported mount type " + m.type());
            }
        }

        private String required(String target, RunMount m) {
            if (target == null) {
                if (s.workdir().equals("/")) {
                    throw new SlipwayException(where() + "invalid mount target \"/\"");
                }
                return s.workdir();
            }
            if (target.equals("/")) {
                throw new SlipwayException(where() + "invalid mount target \"/\"");
            }
            return target;
        }

        private String where() {
            return ws.fileName() + ":" + step.line() + ": ";
        }

        private String absolute(String target) {
            String p = target.startsWith("/") ? target : s.workdir() + "/" + target;
            return Path.of("/").resolve(p).normalize().toString();
        }

        private ExecMount bind(RunMount m, String target) {
            Path root = rootOf(m.from());
            Path source = ws.inside(root, m.source() == null ? "/" : m.source());
            if (!Files.exists(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new SlipwayException(where() + "failed to compute cache key: \"/" + (m.source() == null ? ""
                        : m.source().replaceFirst("^/+", "")) + "\": not found");
            }
            if (m.from() == null && !ws.ignore().rules().isEmpty()) {
                // BuildKit applies the ignore file to the context for every use: the step sees a filtered copy.
                return new ExecMount.Bind(ws.filteredContext(m.source() == null ? "/" : m.source(), area), target,
                        m.readOnly());
            }
            if (!m.readOnly() && m.from() == null) {
                // rw on the context: writes are discarded, so the step gets a private copy.
                Path copy = area.resolve("bind-" + RandomIds.uuid());
                ws.copyTree(source, copy);
                return new ExecMount.Bind(copy, target, false);
            }
            return new ExecMount.Bind(source, target, m.readOnly());
        }

        /** The root a bind or cache source is read from: the context, or a read-only view of a stage or image. */
        private Path rootOf(String from) {
            if (from == null) {
                return ws.request().context();
            }
            StageState other = ws.stages().stateOf(from, step);
            Snapshot view = ws.snapshotter().prepare(other.lowerDirs(), area.resolve("from-" + RandomIds.uuid()));
            cleanup.add(0, view);
            return view.rootfs();
        }

        private ExecMount cache(RunMount m, String target) {
            if (m.from() != null) {
                throw new SlipwayException(where() + "cache mounts with from= are not supported");
            }
            String id = m.id() != null && !m.id().isEmpty() ? m.id() : target;
            CacheMounts.Lease lease = ws.cacheMounts().acquire(id, m.sharing() == null ? "shared" : m.sharing(),
                    m.mode() == null ? 0755 : Integer.parseInt(m.mode(), 8),
                    m.uid() == null ? 0 : Integer.parseInt(m.uid()), m.gid() == null ? 0 : Integer.parseInt(m.gid()));
            cleanup.add(lease);
            return new ExecMount.Bind(lease.dir(), target, m.readOnly());
        }

        private void secret(RunMount m, String target, ExecSpec.Builder spec) {
            String id = m.id() != null ? m.id() : m.source() != null ? m.source()
                    : target != null ? Path.of(target).getFileName().toString() : m.env();
            BuildRequest.Secret secret = ws.request().secrets().get(id);
            if (secret == null) {
                if (m.required()) {
                    throw new SlipwayException(where() + "secret " + id + ": not found");
                }
                return;
            }
            byte[] value = secret.read();
            if (m.env() != null) {
                env.put(m.env(), new String(value, java.nio.charset.StandardCharsets.UTF_8));
            }
            if (target == null && m.env() != null) {
                return;
            }
            String dst = target != null ? target : "/run/secrets/" + id;
            Path file = ws.privateFile(value, cleanup);
            spec.mount(new ExecMount.Secret(file, dst, m.uid() == null ? 0 : Integer.parseInt(m.uid()),
                    m.gid() == null ? 0 : Integer.parseInt(m.gid()), m.mode() == null ? 0400 : Integer.parseInt(m.mode(), 8)));
        }

        private void ssh(RunMount m, String target, ExecSpec.Builder spec) {
            String id = m.id() != null ? m.id() : "default";
            Path socket = ws.request().sshAgents().get(id);
            if (socket == null) {
                if (m.required()) {
                    throw new SlipwayException(where() + "no SSH key " + id + " forwarded from the client");
                }
                return;
            }
            String dst = target != null ? target : "/run/buildkit/ssh_agent." + sshCount++;
            spec.mount(new ExecMount.Bind(socket, dst, false));
            env.putIfAbsent("SSH_AUTH_SOCK", dst);
        }
    }

    /** docker/go-units RAMInBytes: {@code 64m}, {@code 1g}, {@code 512k}, binary multiples. */
    static long ramBytes(String size) {
        java.util.regex.Matcher mm = java.util.regex.Pattern.compile("^(\\d+(?:\\.\\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$")
                .matcher(size);
        if (!mm.matches()) {
            throw new SlipwayException("invalid size: " + size);
        }
        double n = Double.parseDouble(mm.group(1));
        String unit = mm.group(2) == null ? "" : mm.group(2).toLowerCase(java.util.Locale.ROOT);
        int shift = switch (unit) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return (long) (n * (1L << shift));
    }
}
