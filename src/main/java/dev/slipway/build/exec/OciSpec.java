package dev.slipway.build.exec;

import dev.slipway.store.GoJson;
import java.util.List;

/**
 * The OCI runtime config.json for a step: containerd's defaults as BuildKit uses them (without
 * /run), Docker's default capabilities, new privileges allowed, NOFILE 1048576.
 *
 * <p>Written as compact JSON text straight from the plan, the parts that never change made once:
 * building a Jackson tree and pretty-printing it cost a step about 2 ms of interpreted code (it
 * runs a few dozen times per build, too few for the JIT), this a tenth of that.
 */
final class OciSpec {
    static final List<String> DEFAULT_CAPS = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER",
            "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP",
            "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");
    static final List<String> MASKED = List.of("/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware",
            "/sys/devices/virtual/powercap", "/proc/scsi");
    static final List<String> READONLY = List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
            "/proc/sysrq-trigger");
    static final long NOFILE = 1048576;

    /** The process's capability sets, all three the same. */
    private static final String CAPABILITIES;
    /** The kernel file systems every container gets, before the host files. */
    private static final String STANDARD_MOUNTS;
    /** What follows the namespaces in {@code linux}: no devices, masked and read-only paths. */
    private static final String LINUX_TAIL;

    static {
        StringBuilder caps = new StringBuilder();
        strings(caps, DEFAULT_CAPS);
        CAPABILITIES = "{\"bounding\":" + caps + ",\"effective\":" + caps + ",\"permitted\":" + caps + "}";
        StringBuilder m = new StringBuilder();
        mount(m, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(m, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(m, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620",
                "gid=5");
        mount(m, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(m, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(m, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(m, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        STANDARD_MOUNTS = m.toString();
        StringBuilder tail = new StringBuilder(",\"resources\":{\"devices\":[{\"allow\":false,\"access\":\"rwm\"}]}");
        tail.append(",\"maskedPaths\":");
        strings(tail, MASKED);
        tail.append(",\"readonlyPaths\":");
        strings(tail, READONLY);
        LINUX_TAIL = tail.append('}').toString();
    }

    private OciSpec() {
    }

    static String json(Plan plan) {
        StringBuilder b = new StringBuilder(4096);
        b.append("{\"ociVersion\":\"1.0.2\",\"process\":{\"terminal\":false,\"user\":{\"uid\":").append(plan.user().uid())
                .append(",\"gid\":").append(plan.user().gid()).append(",\"additionalGids\":[");
        List<Integer> gids = plan.user().additionalGids();
        for (int i = 0; i < gids.size(); i++) {
            b.append(i == 0 ? "" : ",").append(gids.get(i).intValue());
        }
        b.append("]},\"args\":");
        strings(b, plan.args());
        b.append(",\"env\":");
        strings(b, plan.env());
        b.append(",\"cwd\":");
        GoJson.string(b, plan.cwd());
        b.append(",\"capabilities\":").append(CAPABILITIES)
                .append(",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":").append(plan.nofile())
                .append(",\"soft\":").append(plan.nofile()).append("}],\"noNewPrivileges\":false},\"root\":{\"path\":");
        GoJson.string(b, plan.rootfs().toString());
        b.append(",\"readonly\":false},\"hostname\":");
        GoJson.string(b, plan.hostname());
        b.append(",\"mounts\":[").append(STANDARD_MOUNTS);
        mount(b, "/etc/hosts", "bind", plan.hosts().toString(), "rbind", "ro", "nosuid", "nodev", "noexec");
        mount(b, "/etc/resolv.conf", "bind", plan.resolvConf().toString(), "rbind", "ro", "nosuid", "nodev",
                "noexec");
        mount(b, "/etc/hostname", "bind", plan.hostnameFile().toString(), "rbind", "ro", "nosuid", "nodev", "noexec");
        for (Plan.MountPlan m : plan.mounts()) {
            if (m.kind() == Plan.MountPlan.Kind.TMPFS) {
                if (m.sizeBytes() > 0) {
                    mount(b, m.target(), "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777", "size=" + m.sizeBytes());
                } else {
                    mount(b, m.target(), "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777");
                }
            } else {
                mount(b, m.target(), "bind", m.source().toString(), "rbind", m.readOnly() ? "ro" : "rw");
            }
        }
        b.setLength(b.length() - 1);
        b.append("],\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"}");
        if (plan.network() == Network.NONE) {
            b.append(",{\"type\":\"network\"}");
        }
        return b.append(']').append(LINUX_TAIL).append('}').toString();
    }

    /** One mount object and a comma after it. */
    private static void mount(StringBuilder b, String dest, String type, String source, String... options) {
        b.append("{\"destination\":");
        GoJson.string(b, dest);
        b.append(",\"type\":");
        GoJson.string(b, type);
        b.append(",\"source\":");
        GoJson.string(b, source);
        b.append(",\"options\":");
        strings(b, List.of(options));
        b.append("},");
    }

    private static void strings(StringBuilder b, List<String> values) {
        b.append('[');
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                b.append(',');
            }
            GoJson.string(b, values.get(i));
        }
        b.append(']');
    }
}
