package dev.slipway.build.exec;

import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.store.RuntimeLeftovers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The fallback without runc: {@code unshare} gives the step its own mount, pid, ipc and uts
 * (and, for network=none, network) namespaces, a generated script makes the same mounts runc
 * would, then {@code chroot} switches root and user. Weaker than runc (no device cgroup,
 * masked paths or seccomp), which the first run says once.
 */
public final class ChrootExecutor implements Executor {
    private final Path stateDir;
    private final Bundles bundles;
    private final AtomicBoolean warned = new AtomicBoolean();

    public ChrootExecutor(Path stateDir) {
        this.stateDir = stateDir.toAbsolutePath();
        this.bundles = new Bundles(this.stateDir.resolve("bundles"));
    }

    @Override
    public ExecResult run(ExecSpec spec, OutputSink sink) {
        if (!warned.getAndSet(true)) {
            sink.line(OutputSink.Stream.WARNING,
                    "runc not available: running steps with unshare + chroot (weaker isolation)");
        }
        try (Sandbox sandbox = Sandbox.prepare(spec, bundles)) {
            Plan plan = sandbox.plan();
            if (!plan.cwd().equals("/") && !Files.isRegularFile(RootPath.host(plan.rootfs(), "/bin/sh"))) {
                throw new SlipwayException("the chroot fallback needs /bin/sh in the image to enter WORKDIR " + plan.cwd());
            }
            Path script = sandbox.writeFile("run.sh", script(plan));
            // --kill-child: unshare killed (step interrupted) must take the namespace's init, and so
            // every process of the step, with it; otherwise they outlive the run on its bundle.
            List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--pid", "--fork", "--kill-child", "--ipc",
                    "--uts", "--propagation", "private"));
            if (plan.network() == Network.NONE) {
                cmd.add("--net");
            }
            cmd.addAll(List.of("/bin/sh", script.toString()));
            ExecResult result = RuncExecutor.Processes.runAndPump(cmd, sink, spec.tailLines(), plan.id(), () -> { });
            sandbox.processGone();
            return result;
        } catch (IOException e) {
            throw new SlipwayException("cannot run the step: " + e.getMessage(), e);
        }
    }

    @Override
    public void releaseIdle() {
        bundles.clear();
    }

    /** Its mounts die with the step's private namespace; only the bundles stay behind. */
    @Override
    public RuntimeLeftovers leftovers() {
        return new RuntimeLeftovers() {
            @Override
            public boolean present() {
                return StateDirs.hasEntries(stateDir.resolve("bundles"));
            }

            @Override
            public void clean() {
                Sandbox.removeBundles(stateDir);
            }
        };
    }

    /** The shell script run inside the new namespaces (host tools, before the chroot). */
    static String script(Plan plan) {
        String r = plan.rootfs().toString();
        StringBuilder s = new StringBuilder("set -e\n");
        s.append("R=").append(q(r)).append('\n');
        s.append("mount -t proc -o nosuid,noexec,nodev proc ").append(in(plan, "/proc")).append('\n');
        s.append("D=").append(in(plan, "/dev")).append('\n');
        s.append("mount -t tmpfs -o nosuid,strictatime,mode=755,size=65536k tmpfs \"$D\"\n");
        for (String[] d : new String[][] {{"null", "1", "3"}, {"zero", "1", "5"}, {"full", "1", "7"},
                {"random", "1", "8"}, {"urandom", "1", "9"}, {"tty", "5", "0"}}) {
            s.append("mknod -m 666 \"$D/").append(d[0]).append("\" c ").append(d[1]).append(' ').append(d[2]).append('\n');
        }
        s.append("mkdir \"$D/pts\" \"$D/shm\" \"$D/mqueue\"\n");
        s.append("mount -t devpts -o nosuid,noexec,newinstance,ptmxmode=0666,mode=0620,gid=5 devpts \"$D/pts\"\n");
        s.append("ln -s pts/ptmx \"$D/ptmx\"\n");
        s.append("mount -t tmpfs -o nosuid,noexec,nodev,mode=1777,size=65536k shm \"$D/shm\"\n");
        s.append("mount -t mqueue -o nosuid,noexec,nodev mqueue \"$D/mqueue\"\n");
        s.append("ln -s /proc/self/fd \"$D/fd\"\n");
        s.append("ln -s /proc/self/fd/0 \"$D/stdin\"\n");
        s.append("ln -s /proc/self/fd/1 \"$D/stdout\"\n");
        s.append("ln -s /proc/self/fd/2 \"$D/stderr\"\n");
        s.append("mount -t sysfs -o ro,nosuid,noexec,nodev sysfs ").append(in(plan, "/sys")).append('\n');
        bindRo(s, plan.hosts(), in(plan, "/etc/hosts"));
        bindRo(s, plan.resolvConf(), in(plan, "/etc/resolv.conf"));
        bindRo(s, plan.hostnameFile(), in(plan, "/etc/hostname"));
        for (Plan.MountPlan m : plan.mounts()) {
            String target = in(plan, m.target());
            if (m.kind() == Plan.MountPlan.Kind.TMPFS) {
                s.append("mount -t tmpfs -o nosuid,nodev,mode=1777").append(m.sizeBytes() > 0 ? ",size=" + m.sizeBytes() : "")
                        .append(" tmpfs ").append(target).append('\n');
            } else {
                s.append("mount --rbind").append(m.readOnly() ? " -o ro" : "").append(' ')
                        .append(q(m.source().toString())).append(' ').append(target).append('\n');
            }
        }
        s.append("hostname ").append(q(plan.hostname())).append('\n');
        if (plan.network() == Network.NONE) {
            s.append("ip link set lo up 2>/dev/null || true\n");
        }
        s.append("ulimit -n ").append(plan.nofile()).append(" 2>/dev/null || true\n");

        List<String> exec = new ArrayList<>(List.of("exec", "env", "-i"));
        plan.env().forEach(e -> exec.add(q(e)));
        exec.add(HostCommand.which("setpriv"));
        exec.add("--bounding-set");
        StringBuilder caps = new StringBuilder("-all");
        OciSpec.DEFAULT_CAPS.forEach(c -> caps.append(",+").append(c.substring(4).toLowerCase(Locale.ROOT)));
        exec.add(caps.toString());
        exec.add(HostCommand.which("chroot"));
        exec.add("--userspec=+" + plan.user().uid() + ":+" + plan.user().gid());
        exec.add(q("--groups=" + String.join(",", plan.user().additionalGids().stream().map(String::valueOf).toList())));
        exec.add("\"$R\"");
        if (!plan.cwd().equals("/")) {
            exec.addAll(List.of("/bin/sh", "-c", q("cd -- \"$0\" && exec \"$@\""), q(plan.cwd())));
        }
        plan.args().forEach(a -> exec.add(q(a)));
        s.append(String.join(" ", exec)).append('\n');
        return s.toString();
    }

    private static void bindRo(StringBuilder s, Path source, String target) {
        s.append("mount --bind -o ro,nosuid,nodev,noexec ").append(q(source.toString())).append(' ')
                .append(target).append('\n');
    }

    static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** {@code path} inside the rootfs with its symlinks resolved there, for the host's mount(8). */
    private static String in(Plan plan, String path) {
        return "\"$R\"" + q("/" + String.join("/", RootPath.resolve(plan.rootfs(), path)));
    }
}
