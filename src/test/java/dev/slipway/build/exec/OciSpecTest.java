package dev.slipway.build.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class OciSpecTest {
    static Plan plan(Network network, List<Plan.MountPlan> mounts) {
        ResolvedUser user = new ResolvedUser(1000, 1000, List.of(10, 50), "/home/app");
        return new Plan("slipway-x", Path.of("/snap/merged"), List.of("/bin/sh", "-c", "make"),
                Sandbox.withDefaults(List.of("A=1"), user), "/src", user, "buildkitsandbox", network,
                Path.of("/b/hosts"), Path.of("/b/resolv.conf"), Path.of("/b/hostname"), mounts, 1048576);
    }

    /** What runc reads: the written text parsed by a real JSON parser. */
    static ObjectNode spec(Plan plan) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(OciSpec.json(plan));
        } catch (JsonProcessingException e) {
            throw new AssertionError("config.json is not JSON: " + e.getMessage(), e);
        }
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.path("type").asText()));
        return out;
    }

    static Map<String, JsonNode> mountsByTarget(ObjectNode spec) {
        Map<String, JsonNode> m = new TreeMap<>();
        spec.get("mounts").forEach(n -> m.put(n.get("destination").asText(), n));
        return m;
    }

    @Test
    void processGetsArgsEnvWithDefaultsUserAndLimits() {
        ObjectNode spec = spec(plan(Network.HOST, List.of()));
        JsonNode p = spec.get("process");
        assertThat(p.get("terminal").asBoolean()).isFalse();
        assertThat(texts(p.get("args"))).containsExactly("/bin/sh", "-c", "make");
        assertThat(texts(p.get("env"))).containsExactly("A=1", "PATH=" + ExecSpec.DEFAULT_PATH, "HOME=/home/app");
        assertThat(p.get("cwd").asText()).isEqualTo("/src");
        assertThat(p.get("user").get("uid").asInt()).isEqualTo(1000);
        assertThat(p.get("user").get("additionalGids").toString()).isEqualTo("[10,50]");
        assertThat(p.get("noNewPrivileges").asBoolean()).isFalse();
        assertThat(texts(p.get("capabilities").get("bounding"))).hasSize(14).contains("CAP_CHOWN", "CAP_NET_RAW")
                .doesNotContain("CAP_SYS_ADMIN");
        assertThat(p.get("capabilities").get("effective")).isEqualTo(p.get("capabilities").get("bounding"));
        assertThat(p.get("capabilities").get("permitted")).isEqualTo(p.get("capabilities").get("bounding"));
        JsonNode linux = spec.get("linux");
        assertThat(texts(linux.get("maskedPaths"))).contains("/proc/kcore", "/sys/firmware");
        assertThat(texts(linux.get("readonlyPaths"))).contains("/proc/sys", "/proc/sysrq-trigger");
        assertThat(linux.get("resources").get("devices").get(0).get("allow").asBoolean(true)).isFalse();
        assertThat(linux.get("resources").get("devices").get(0).get("access").asText()).isEqualTo("rwm");
        assertThat(p.get("rlimits").get(0).get("type").asText()).isEqualTo("RLIMIT_NOFILE");
        assertThat(p.get("rlimits").get(0).get("hard").asLong()).isEqualTo(1048576);
        assertThat(spec.get("root").get("path").asText()).isEqualTo("/snap/merged");
        assertThat(spec.get("hostname").asText()).isEqualTo("buildkitsandbox");
    }

    @Test
    void everyStringSurvivesTheWritingWhateverItHolds() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        List<String> args = List.of("", "a \"quoted\" \\ back\\slash", controls.toString(), "\u007f\u00e9\u4e2d\ud83d\ude00",
                "/", "{}[],:");
        ResolvedUser user = new ResolvedUser(0, 0, List.of(), "/root");
        Plan plan = new Plan("id", Path.of("/r \"x\""), args, List.of("K=v\n\"w\""), "/d\\e", user, "h\tn",
                Network.NONE, Path.of("/b/h"), Path.of("/b/r"), Path.of("/b/n"),
                List.of(new Plan.MountPlan("/m\"", Plan.MountPlan.Kind.BIND, Path.of("/s\\"), true, true, 0)), 5);
        ObjectNode spec = spec(plan);
        assertThat(texts(spec.get("process").get("args"))).isEqualTo(args);
        assertThat(texts(spec.get("process").get("env"))).containsExactly("K=v\n\"w\"");
        assertThat(spec.get("process").get("cwd").asText()).isEqualTo("/d\\e");
        assertThat(spec.get("root").get("path").asText()).isEqualTo("/r \"x\"");
        assertThat(spec.get("hostname").asText()).isEqualTo("h\tn");
        assertThat(mountsByTarget(spec).get("/m\"").get("source").asText()).isEqualTo("/s\\");
        assertThat(spec.get("process").get("rlimits").get(0).get("soft").asLong()).isEqualTo(5);
        assertThat(spec.get("process").get("user").get("additionalGids").size()).isZero();
    }

    @Test
    void envAlreadyHavingPathAndHomeKeepsThem() {
        ResolvedUser user = new ResolvedUser(0, 0, List.of(), "/root");
        assertThat(Sandbox.withDefaults(List.of("PATH=/x", "HOME=/h"), user)).containsExactly("PATH=/x", "HOME=/h");
    }

    @Test
    void hostNetworkHasNoNetworkNamespaceAndNoneHasOne() {
        assertThat(texts(spec(plan(Network.HOST, List.of())).get("linux").get("namespaces")))
                .containsExactlyInAnyOrder("pid", "ipc", "uts", "mount");
        assertThat(texts(spec(plan(Network.NONE, List.of())).get("linux").get("namespaces")))
                .containsExactlyInAnyOrder("pid", "ipc", "uts", "mount", "network");
    }

    @Test
    void standardMountsAndHostFiles() {
        Map<String, JsonNode> m = mountsByTarget(spec(plan(Network.HOST, List.of())));
        assertThat(m.keySet()).containsExactlyInAnyOrder("/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys",
                "/sys/fs/cgroup", "/etc/hosts", "/etc/resolv.conf", "/etc/hostname");
        assertThat(texts(m.get("/sys").get("options"))).contains("ro");
        assertThat(m.get("/dev").get("type").asText()).isEqualTo("tmpfs");
        assertThat(m.get("/etc/hosts").get("source").asText()).isEqualTo("/b/hosts");
        assertThat(texts(m.get("/etc/resolv.conf").get("options"))).contains("rbind", "ro");
    }

    @Test
    void extraMountsFollowTheirOptions() {
        List<Plan.MountPlan> extra = List.of(
                new Plan.MountPlan("/data", Plan.MountPlan.Kind.BIND, Path.of("/host/data"), true, false, 0),
                new Plan.MountPlan("/cache", Plan.MountPlan.Kind.BIND, Path.of("/host/cache"), false, false, 0),
                new Plan.MountPlan("/tmp", Plan.MountPlan.Kind.TMPFS, null, false, false, 1 << 20));
        Map<String, JsonNode> m = mountsByTarget(spec(plan(Network.HOST, extra)));
        assertThat(texts(m.get("/data").get("options"))).contains("ro").doesNotContain("rw");
        assertThat(texts(m.get("/cache").get("options"))).contains("rw");
        assertThat(m.get("/tmp").get("type").asText()).isEqualTo("tmpfs");
        assertThat(texts(m.get("/tmp").get("options"))).contains("size=1048576");
    }

    @Test
    void chrootScriptQuotesEverythingItPassesOn() {
        String script = ChrootExecutor.script(plan(Network.NONE, List.of(
                new Plan.MountPlan("/it's", Plan.MountPlan.Kind.BIND, Path.of("/h/a b"), true, false, 0))));
        assertThat(script).contains("'/h/a b' \"$R\"'/it'\\''s'").contains("--groups=10,50")
                .contains("--userspec=+1000:+1000").contains("ip link set lo up")
                .contains("'cd -- \"$0\" && exec \"$@\"' '/src' '/bin/sh' '-c' 'make'");
    }
}
