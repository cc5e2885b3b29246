package dev.slipway.build.exec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.slipway.image.JsonTrees;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The OCI runtime config.json for a step: containerd's defaults as BuildKit uses them (without
 * /run), Docker's default capabilities, new privileges allowed, NOFILE 1048576.
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

    private OciSpec() {
    }

    static ObjectNode generate(Plan plan) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("ociVersion", "1.0.2");

        ObjectNode process = root.putObject("process");
        process.put("terminal", false);
        ObjectNode user = process.putObject("user");
        user.put("uid", plan.user().uid());
        user.put("gid", plan.user().gid());
        ArrayNode gids = user.putArray("additionalGids");
        plan.user().additionalGids().forEach(gids::add);
        strings(process.putArray("args"), plan.args());
        strings(process.putArray("env"), plan.env());
        process.put("cwd", plan.cwd());
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(caps.putArray(set), DEFAULT_CAPS);
        }
        ObjectNode nofile = process.putArray("rlimits").addObject();
        nofile.put("type", "RLIMIT_NOFILE");
        nofile.put("hard", plan.nofile());
        nofile.put("soft", plan.nofile());
        process.put("noNewPrivileges", false);

        ObjectNode rootfs = root.putObject("root");
        rootfs.put("path", plan.rootfs().toString());
        rootfs.put("readonly", false);
        root.put("hostname", plan.hostname());

        ArrayNode mounts = root.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666",
                "mode=0620", "gid=5");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=65536k");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "nosuid", "noexec", "nodev", "relatime", "ro");
        mount(mounts, "/etc/hosts", "bind", plan.hosts().toString(), "rbind", "ro", "nosuid", "nodev", "noexec");
        mount(mounts, "/etc/resolv.conf", "bind", plan.resolvConf().toString(), "rbind", "ro", "nosuid", "nodev",
                "noexec");
        mount(mounts, "/etc/hostname", "bind", plan.hostnameFile().toString(), "rbind", "ro", "nosuid", "nodev",
                "noexec");
        for (Plan.MountPlan m : plan.mounts()) {
            if (m.kind() == Plan.MountPlan.Kind.TMPFS) {
                if (m.sizeBytes() > 0) {
                    mount(mounts, m.target(), "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777",
                            "size=" + m.sizeBytes());
                } else {
                    mount(mounts, m.target(), "tmpfs", "tmpfs", "nosuid", "nodev", "mode=1777");
                }
            } else {
                mount(mounts, m.target(), "bind", m.source().toString(), "rbind", m.readOnly() ? "ro" : "rw");
            }
        }

        ObjectNode linux = root.putObject("linux");
        ArrayNode ns = linux.putArray("namespaces");
        for (String type : plan.network() == Network.NONE
                ? List.of("pid", "ipc", "uts", "mount", "network")
                : List.of("pid", "ipc", "uts", "mount")) {
            ns.addObject().put("type", type);
        }
        ObjectNode deny = linux.putObject("resources").putArray("devices").addObject();
        deny.put("allow", false);
        deny.put("access", "rwm");
        strings(linux.putArray("maskedPaths"), MASKED);
        strings(linux.putArray("readonlyPaths"), READONLY);
        return root;
    }

    static String toJson(ObjectNode spec) {
        return new String(JsonTrees.writeIndented(spec), StandardCharsets.UTF_8);
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, String... options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        strings(m.putArray("options"), List.of(options));
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }
}
