package dev.slipway.build.exec;

import dev.slipway.SlipwayException;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.build.snapshot.Snapshotter;
import dev.slipway.testing.BusyboxRootfs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Runs real steps under runc and under the unshare + chroot fallback (root needed). */
@Tag("integration")
class ExecIntegrationTest {
    @TempDir
    static Path shared;
    static Path lower;

    @TempDir
    Path work;

    @BeforeAll
    static void rootfs() throws Exception {
        lower = BusyboxRootfs.create(shared.resolve("lower"));
    }

    static Executor executor(String runtime, Path state) {
        return runtime.equals("runc") ? new RuncExecutor(state) : new ChrootExecutor(state);
    }

    Snapshot snapshot(String name) {
        return new Snapshotter(Snapshotter.Mode.OVERLAY).prepare(List.of(lower), work.resolve(name));
    }

    /** Collects what a run printed, per stream. */
    static final class Lines implements OutputSink {
        final List<String> out = Collections.synchronizedList(new ArrayList<>());
        final List<String> err = Collections.synchronizedList(new ArrayList<>());
        final List<String> warnings = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void line(Stream stream, String text) {
            (stream == Stream.STDOUT ? out : stream == Stream.STDERR ? err : warnings).add(text);
        }
    }

    ExecResult sh(String runtime, Snapshot s, String script, Lines lines) {
        return executor(runtime, work.resolve("state")).run(ExecSpec.builder(s, List.of("/bin/sh", "-c", script)).build(), lines);
    }

    static Set<String> tree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void outputAndExitCode(String runtime) {
        Lines lines = new Lines();
        try (Snapshot s = snapshot("s")) {
            ExecResult r = sh(runtime, s, "echo hello; echo oops >&2; exit 3", lines);
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(lines.out).containsExactly("hello");
            assertThat(lines.err).containsExactly("oops");
            assertThat(r.lastLines()).containsExactlyInAnyOrder("hello", "oops");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void failingCommandKeepsLastLines(String runtime) {
        try (Snapshot s = snapshot("s")) {
            ExecSpec spec = ExecSpec.builder(s, List.of("/bin/sh", "-c", "for i in $(seq 1 30); do echo line$i; done; exit 7"))
                    .tailLines(4).build();
            ExecResult r = executor(runtime, work.resolve("state")).run(spec, OutputSink.NONE);
            assertThat(r.exitCode()).isEqualTo(7);
            assertThat(r.succeeded()).isFalse();
            assertThat(r.lastLines()).containsExactly("line27", "line28", "line29", "line30");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void upperDirHoldsOnlyWhatTheCommandWrote(String runtime) throws IOException {
        try (Snapshot s = snapshot("s")) {
            ExecResult r = sh(runtime, s, "mkdir -p /out && echo data > /out/f && rm /etc/motd && cat /etc/hosts /etc/resolv.conf > /dev/null && ls /proc/self /sys/class > /dev/null", new Lines());
            assertThat(r.exitCode()).isZero();
            Path upper = s.commit();
            assertThat(tree(upper)).containsExactly("etc", "etc/motd", "out", "out/f");
            assertThat(Files.readString(upper.resolve("out/f"))).isEqualTo("data\n");
            Map<String, Object> wh = Files.readAttributes(upper.resolve("etc/motd"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            assertThat((int) wh.get("mode") & 0170000).isEqualTo(0020000);
            assertThat(((Number) wh.get("rdev")).longValue()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void untouchedRunLeavesEmptyLayer(String runtime) throws IOException {
        try (Snapshot s = snapshot("s")) {
            assertThat(sh(runtime, s, "hostname; cat /etc/hosts /etc/hostname", new Lines()).exitCode()).isZero();
            assertThat(tree(s.commit())).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void hostnameAndHostsFile(String runtime) {
        Lines lines = new Lines();
        try (Snapshot s = snapshot("s")) {
            sh(runtime, s, "hostname; cat /etc/hostname; grep -c buildkitsandbox /etc/hosts", lines);
            assertThat(lines.out).containsExactly("buildkitsandbox", "buildkitsandbox", "1");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void userResolution(String runtime) {
        Executor ex = executor(runtime, work.resolve("state"));
        try (Snapshot s = snapshot("s")) {
            Lines app = new Lines();
            ex.run(ExecSpec.builder(s, List.of("sh", "-c", "id -u; id -G; echo $HOME")).user("app").build(), app);
            assertThat(app.out).containsExactly("1000", "1000 50", "/home/app");
            Lines appRoot = new Lines();
            ex.run(ExecSpec.builder(s, List.of("sh", "-c", "id -u; id -G")).user("app:root").build(), appRoot);
            assertThat(appRoot.out).containsExactly("1000", "0");
            Lines numeric = new Lines();
            ex.run(ExecSpec.builder(s, List.of("sh", "-c", "id -u; id -g")).user("4242:4343").build(), numeric);
            assertThat(numeric.out).containsExactly("4242", "4343");
            assertThatThrownBy(() -> ex.run(ExecSpec.builder(s, List.of("true")).user("nobody-here").build(), OutputSink.NONE))
                    .isInstanceOf(SlipwayException.class).hasMessageContaining("nobody-here");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void workdirIsCreatedForTheUserAndEnvIsPassed(String runtime) throws IOException {
        Lines lines = new Lines();
        try (Snapshot s = snapshot("s")) {
            ExecSpec spec = ExecSpec.builder(s, List.of("sh", "-c", "pwd; echo $FOO; echo $PATH; touch here"))
                    .cwd("/srv/app").user("app").env(List.of("FOO=bar baz")).build();
            assertThat(executor(runtime, work.resolve("state")).run(spec, lines).exitCode()).isZero();
            assertThat(lines.out).containsExactly("/srv/app", "bar baz", ExecSpec.DEFAULT_PATH);
            Path upper = s.commit();
            assertThat(tree(upper)).containsExactly("srv", "srv/app", "srv/app/here");
            assertThat(Files.getAttribute(upper.resolve("srv/app"), "unix:uid")).isEqualTo(1000);
            assertThat(Files.getAttribute(upper.resolve("srv/app/here"), "unix:uid")).isEqualTo(1000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void networkNoneHasOnlyLoopbackAndHostSeesHostInterfaces(String runtime) throws IOException {
        Set<String> hostIfaces;
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            hostIfaces = s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Executor ex = executor(runtime, work.resolve("state"));
        try (Snapshot s = snapshot("s")) {
            Lines none = new Lines();
            ex.run(ExecSpec.builder(s, List.of("ls", "/sys/class/net")).network(Network.NONE).build(), none);
            assertThat(none.out).containsExactly("lo");
            Lines up = new Lines();
            ex.run(ExecSpec.builder(s, List.of("cat", "/sys/class/net/lo/operstate")).network(Network.NONE).build(), up);
            assertThat(up.out).containsExactly("unknown");
            Lines host = new Lines();
            ex.run(ExecSpec.builder(s, List.of("ls", "-1", "/sys/class/net")).build(), host);
            assertThat(new TreeSet<>(host.out)).isEqualTo(hostIfaces).contains("lo").hasSizeGreaterThan(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void tmpfsReadOnlyBindAndSecretMounts(String runtime) throws IOException {
        Path data = Files.createDirectories(work.resolve("data"));
        Files.writeString(data.resolve("f"), "from host\n");
        Path secret = Files.writeString(work.resolve("token"), "s3cr3t");
        Lines lines = new Lines();
        try (Snapshot s = snapshot("s")) {
            ExecSpec spec = ExecSpec.builder(s, List.of("sh", "-c",
                            "cat /data/f; touch /data/new 2>/dev/null && echo writable || echo readonly; "
                                    + "echo t > /scratch/x && cat /scratch/x; cat /run/secrets/token; echo; "
                                    + "stat -c %a:%u /run/secrets/token; grep -c ' /scratch tmpfs' /proc/mounts"))
                    .mount(new ExecMount.Bind(data, "/data", true))
                    .mount(new ExecMount.Tmpfs("/scratch", 1 << 20))
                    .mount(new ExecMount.Secret(secret, "/run/secrets/token", 1000, 0, 0400))
                    .build();
            assertThat(executor(runtime, work.resolve("state")).run(spec, lines).exitCode()).isZero();
            assertThat(lines.out).containsExactly("from host", "readonly", "t", "s3cr3t", "400:1000", "1");
            assertThat(Files.exists(data.resolve("new"))).isFalse();
            assertThat(tree(s.commit())).isEmpty();
        }
    }

    /** Stubs sharing missing parents are made once and go again, directories too unless kept. */
    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void mountpointStubsLeaveOnlyTheDirectoriesAskedToStay(String runtime) throws IOException {
        Path a = Files.writeString(work.resolve("a"), "A");
        Path b = Files.writeString(work.resolve("b"), "B");
        for (boolean keep : List.of(false, true)) {
            Lines lines = new Lines();
            try (Snapshot s = snapshot("s" + keep)) {
                ExecSpec spec = ExecSpec.builder(s, List.of("sh", "-c", "cat /new/dir/a /new/dir/b /etc/b; echo"))
                        .mount(new ExecMount.Bind(a, "/new/dir/a", true))
                        .mount(new ExecMount.Bind(b, "/new/dir/b", true))
                        .mount(new ExecMount.Bind(b, "/etc/b", true))
                        .keepDirectoryStubs(keep).build();
                assertThat(executor(runtime, work.resolve("state")).run(spec, lines).exitCode()).isZero();
                assertThat(lines.out).containsExactly("ABB");
                Set<String> kept = new TreeSet<>(Set.of("new", "new/dir"));
                for (String d : Sandbox.RUNTIME_DIRS) {
                    if (!Files.exists(lower.resolve(d.substring(1)))) {
                        kept.add(d.substring(1));
                    }
                }
                assertThat(tree(s.commit())).as("keep " + keep).isEqualTo(keep ? kept : Set.of());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void parallelRunsDoNotCollide(String runtime) throws Exception {
        Executor ex = executor(runtime, work.resolve("state"));
        try (Snapshot a = snapshot("a"); Snapshot b = snapshot("b")) {
            CompletableFuture<ExecResult> ra = CompletableFuture.supplyAsync(() -> ex.run(
                    ExecSpec.builder(a, List.of("sh", "-c", "sleep 1; echo a > /a")).build(), OutputSink.NONE));
            CompletableFuture<ExecResult> rb = CompletableFuture.supplyAsync(() -> ex.run(
                    ExecSpec.builder(b, List.of("sh", "-c", "sleep 1; echo b > /b")).build(), OutputSink.NONE));
            assertThat(ra.get().exitCode()).isZero();
            assertThat(rb.get().exitCode()).isZero();
            assertThat(tree(a.commit())).containsExactly("a");
            assertThat(tree(b.commit())).containsExactly("b");
        }
        // Two runs at once needed two bundles; both are kept for later runs until released.
        try (Stream<Path> bundles = Files.list(work.resolve("state/bundles"))) {
            assertThat(bundles).hasSize(2);
        }
        ex.releaseIdle();
        try (Stream<Path> bundles = Files.list(work.resolve("state/bundles"))) {
            assertThat(bundles).isEmpty();
        }
    }

    /** Runs one after another share one bundle, and nothing of a run (host files, secrets) reaches the next. */
    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void aReusedBundleCarriesNothingIntoTheNextRun(String runtime) throws Exception {
        Executor ex = executor(runtime, work.resolve("state"));
        Path secret = Files.writeString(work.resolve("token"), "s3cr3t");
        try (Snapshot s = snapshot("s")) {
            Lines first = new Lines();
            assertThat(ex.run(ExecSpec.builder(s, List.of("sh", "-c", "cat /etc/hostname; cat /run/secrets/token; echo"))
                    .hostname("first").mount(new ExecMount.Secret(secret, "/run/secrets/token", 0, 0, 0400)).build(),
                    first).exitCode()).isZero();
            assertThat(first.out).containsExactly("first", "s3cr3t");
            List<Path> kept;
            try (Stream<Path> bundles = Files.list(work.resolve("state/bundles"))) {
                kept = bundles.toList();
            }
            assertThat(kept).hasSize(1);
            assertThat(kept.get(0).resolve("secrets")).doesNotExist();

            Lines second = new Lines();
            assertThat(ex.run(ExecSpec.builder(s, List.of("sh", "-c",
                    "cat /etc/hostname; grep -c buildkitsandbox /etc/hosts; test -e /run/secrets/token && echo leaked || echo none")).build(),
                    second).exitCode()).isZero();
            assertThat(second.out).containsExactly("buildkitsandbox", "1", "none");
            try (Stream<Path> bundles = Files.list(work.resolve("state/bundles"))) {
                assertThat(bundles.toList()).isEqualTo(kept);
            }
            assertThat(tree(s.commit())).isEmpty();
        }
        ex.releaseIdle();
        try (Stream<Path> bundles = Files.list(work.resolve("state/bundles"))) {
            assertThat(bundles).isEmpty();
        }
    }

    @Test
    void chrootFallbackWarnsOnce() {
        Executor ex = new ChrootExecutor(work.resolve("state"));
        Lines lines = new Lines();
        try (Snapshot s = snapshot("s")) {
            ex.run(ExecSpec.builder(s, List.of("true")).build(), lines);
            ex.run(ExecSpec.builder(s, List.of("true")).build(), lines);
        }
        assertThat(lines.warnings).hasSize(1).allMatch(w -> w.contains("chroot"));
    }

    @Test
    void execFormMissingBinaryFails() {
        Lines lines = new Lines();
        try (Snapshot s = snapshot("s")) {
            ExecResult r = new RuncExecutor(work.resolve("state")).run(ExecSpec.builder(s, List.of("/no/such")).build(), lines);
            assertThat(r.exitCode()).isNotZero();
            assertThat(String.join("\n", r.lastLines())).contains("/no/such");
        }
    }

    @Test
    void copySnapshotterGivesTheSameLayer() throws IOException {
        Snapshotter copy = new Snapshotter(Snapshotter.Mode.COPY);
        try (Snapshot s = copy.prepare(List.of(lower), work.resolve("c"))) {
            ExecResult r = new RuncExecutor(work.resolve("state")).run(ExecSpec.builder(s,
                    List.of("sh", "-c", "mkdir -p /out && echo data > /out/f && rm /etc/motd")).build(), OutputSink.NONE);
            assertThat(r.exitCode()).isZero();
            Path upper = s.commit();
            assertThat(tree(upper)).containsExactly("etc", "etc/motd", "out", "out/f");
            Map<String, Object> wh = Files.readAttributes(upper.resolve("etc/motd"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            assertThat((int) wh.get("mode") & 0170000).isEqualTo(0020000);
        }
    }

    /** An interrupted run's process may still hold its bundle, so the bundle is removed, never reused. */
    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void anInterruptedRunsBundleIsRemovedAndItsProcessesKilled(String runtime) throws Exception {
        Executor ex = executor(runtime, work.resolve("state"));
        try (Snapshot s = snapshot("s")) {
            CountDownLatch started = new CountDownLatch(1);
            OutputSink sink = (stream, text) -> {
                if (text.equals("started")) {
                    started.countDown();
                }
            };
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    ex.run(ExecSpec.builder(s, List.of("sh", "-c", "echo started; sleep 30")).build(), sink);
                } catch (Throwable e) {
                    thrown.set(e);
                }
            });
            t.start();
            assertThat(started.await(60, TimeUnit.SECONDS)).isTrue();
            t.interrupt();
            t.join(60_000);
            assertThat(t.isAlive()).isFalse();
            assertThat(thrown.get()).isInstanceOf(SlipwayException.class).hasMessageContaining("interrupted");
            try (Stream<Path> bundles = Files.list(work.resolve("state/bundles"))) {
                assertThat(bundles).isEmpty();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!processesIn(s.rootfs()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(processesIn(s.rootfs())).isEmpty();
        }
    }

    /** The pids whose root directory is {@code rootfs}: the processes of a step still running there. */
    static List<String> processesIn(Path rootfs) throws IOException {
        List<String> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("[0-9]+")).toList()) {
                try {
                    if (Files.readSymbolicLink(p.resolve("root")).equals(rootfs.toRealPath())) {
                        pids.add(p.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // exited while listed
                }
            }
        }
        return pids;
    }

    /** A secret mount that fails is reported as such, not hidden behind the cleanup's own failure. */
    @ParameterizedTest
    @ValueSource(strings = {"runc", "chroot"})
    void aFailedSecretMountIsTheErrorReported(String runtime) throws Exception {
        Executor ex = executor(runtime, work.resolve("state"));
        Path secret = Files.writeString(work.resolve("token"), "s3cr3t");
        Path gone = Files.createDirectory(work.resolve("gone"));
        Process holder = new ProcessBuilder("sleep", "120").directory(gone.toFile()).start();
        try (Snapshot s = snapshot("s")) {
            assertThat(ex.run(ExecSpec.builder(s, List.of("true")).build(), OutputSink.NONE).exitCode()).isZero();
            Path bundle;
            try (Stream<Path> bundles = Files.list(work.resolve("state/bundles"))) {
                bundle = bundles.findFirst().orElseThrow();
            }
            // The idle bundle's secrets directory is a removed directory: it is one, yet mount(8) refuses it.
            Files.delete(gone);
            Files.createSymbolicLink(bundle.resolve("secrets"), Path.of("/proc", Long.toString(holder.pid()), "cwd"));
            assertThatThrownBy(() -> ex.run(ExecSpec.builder(s, List.of("true"))
                    .mount(new ExecMount.Secret(secret, "/run/secrets/token", 0, 0, 0400)).build(), OutputSink.NONE))
                    .isInstanceOf(SlipwayException.class).hasMessageStartingWith("mount -t failed");
            assertThat(bundle).doesNotExist();
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }
}
