package dev.slipway.build.snapshot;

import dev.slipway.SlipwayException;
import dev.slipway.layer.Syscalls;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Real overlay mounts and copies (root needed for mount and mknod). */
@Tag("integration")
class SnapshotIntegrationTest {
    @TempDir
    Path tmp;

    static boolean mounted(Path p) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .anyMatch(l -> l.split(" ")[4].equals(p.toString()));
    }

    /** Layer dirs with long names so that absolute lowerdirs exceed one page; top-most first. */
    List<Path> layers(int n) throws IOException {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Path l = Files.createDirectories(tmp.resolve("layers").resolve(String.format("%064d", i)));
            Files.writeString(l.resolve("f" + i), "layer " + i);
            Files.writeString(l.resolve("shared"), "from " + i);
            out.add(0, l);
        }
        return out;
    }

    static void whiteout(Path p) {
        HostCommand.check(List.of("mknod", p.toString(), "c", "0", "0"), null);
    }

    @ParameterizedTest
    @EnumSource(Snapshotter.Mode.class)
    void manyLayersStackTopMostFirst(Snapshotter.Mode mode) throws IOException {
        List<Path> lowers = layers(120);
        int optionLength = String.join(":", lowers.stream().map(Path::toString).toList()).length();
        assertThat(optionLength).isGreaterThan(4096);
        try (Snapshot s = new Snapshotter(mode).prepare(lowers, tmp.resolve("area"))) {
            assertThat(Files.readString(s.rootfs().resolve("f0"))).isEqualTo("layer 0");
            assertThat(Files.readString(s.rootfs().resolve("f119"))).isEqualTo("layer 119");
            assertThat(Files.readString(s.rootfs().resolve("shared"))).isEqualTo("from 119");
            Files.writeString(s.rootfs().resolve("new"), "x");
            Path upper = s.commit();
            try (var list = Files.list(upper)) {
                assertThat(list.map(p -> p.getFileName().toString())).containsExactly("new");
            }
        }
        assertThat(Files.exists(tmp.resolve("area/upper/new"))).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Snapshotter.Mode.class)
    void whiteoutsAndOpaqueDirsInLowersAreHonoured(Snapshotter.Mode mode) throws IOException {
        Path base = Files.createDirectories(tmp.resolve("base"));
        Files.createDirectories(base.resolve("d"));
        Files.writeString(base.resolve("d/old"), "old");
        Files.writeString(base.resolve("gone"), "x");
        Path top = Files.createDirectories(tmp.resolve("top"));
        Files.createDirectories(top.resolve("d"));
        Files.writeString(top.resolve("d/new"), "new");
        HostCommand.check(List.of("setfattr", "-n", "trusted.overlay.opaque", "-v", "y", top.resolve("d").toString()), null);
        whiteout(top.resolve("gone"));
        try (Snapshot s = new Snapshotter(mode).prepare(List.of(top, base), tmp.resolve("area"))) {
            assertThat(Files.exists(s.rootfs().resolve("gone"), LinkOption.NOFOLLOW_LINKS)).isFalse();
            try (var list = Files.list(s.rootfs().resolve("d"))) {
                assertThat(list.map(p -> p.getFileName().toString())).containsExactly("new");
            }
            Files.delete(s.rootfs().resolve("d/new"));
            Path upper = s.commit();
            Map<String, Object> a = Files.readAttributes(upper.resolve("d/new"), "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            assertThat((int) a.get("mode") & 0170000).isEqualTo(0020000);
        }
    }

    @ParameterizedTest
    @EnumSource(Snapshotter.Mode.class)
    void closeWithoutCommitRemovesEverything(Snapshotter.Mode mode) throws IOException {
        Path area = tmp.resolve("area");
        Path rootfs;
        try (Snapshot s = new Snapshotter(mode).prepare(layers(2), area)) {
            rootfs = s.rootfs();
            Files.writeString(rootfs.resolve("tmp"), "x");
            assertThat(mounted(rootfs)).isEqualTo(mode == Snapshotter.Mode.OVERLAY);
        }
        assertThat(mounted(rootfs)).isFalse();
        try (var list = Files.list(area)) {
            assertThat(list).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Snapshotter.Mode.class)
    void scratchHasAnEmptyRoot(Snapshotter.Mode mode) throws IOException {
        try (Snapshot s = new Snapshotter(mode).prepare(List.of(), tmp.resolve("area"))) {
            try (var list = Files.list(s.rootfs())) {
                assertThat(list).isEmpty();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Snapshotter.Mode.class)
    void badInputIsRefused(Snapshotter.Mode mode) throws IOException {
        Snapshotter sn = new Snapshotter(mode);
        assertThatThrownBy(() -> sn.prepare(List.of(tmp.resolve("missing")), tmp.resolve("a")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("missing").hasMessageContaining("does not exist");
        Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(tmp.resolve("busy/x"), "");
        assertThatThrownBy(() -> sn.prepare(List.of(), tmp.resolve("busy")))
                .isInstanceOf(SlipwayException.class).hasMessageContaining("not empty");
    }

    @ParameterizedTest
    @EnumSource(Snapshotter.Mode.class)
    void aCleanerRemovesTheScratchOfClosedSnapshotsByTheTimeItCloses(Snapshotter.Mode mode) throws IOException {
        List<Path> lowers = layers(2);
        Path committed;
        try (ScratchCleaner cleaner = new ScratchCleaner()) {
            Snapshotter snapshotter = new Snapshotter(mode).cleaningWith(cleaner);
            try (Snapshot s = snapshotter.prepare(lowers, tmp.resolve("kept"))) {
                Files.writeString(s.rootfs().resolve("new"), "x");
                committed = s.commit();
            }
            try (Snapshot s = snapshotter.prepare(lowers, tmp.resolve("dropped"))) {
                Files.writeString(s.rootfs().resolve("new"), "x");
            }
        }
        assertThat(Files.readString(committed.resolve("new"))).isEqualTo("x");
        try (var kept = Files.list(tmp.resolve("kept")); var dropped = Files.list(tmp.resolve("dropped"))) {
            assertThat(kept).containsExactly(committed);
            assertThat(dropped).isEmpty();
        }
    }

    static String superOptions(Path mountPoint) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.split(" ")[4].equals(mountPoint.toString()))
                .map(l -> l.substring(l.indexOf(" - ") + 3).split(" ")[2]).findFirst().orElseThrow();
    }

    /** Linux 6.x shows the option as fsync=volatile, 5.10-5.x as volatile. */
    static boolean volatileMount(Path mountPoint) throws IOException {
        return List.of(superOptions(mountPoint).split(",")).stream()
                .anyMatch(o -> o.equals("volatile") || o.equals("fsync=volatile"));
    }

    @Test
    void anInProcessMountIsVolatileSoItsLayerStillNeedsASync() throws IOException {
        assertThat(Syscalls.available()).as("native helpers built (cc installed)").isTrue();
        try (Snapshot s = new Snapshotter(Snapshotter.Mode.OVERLAY).prepare(layers(2), tmp.resolve("area"))) {
            assertThat(volatileMount(s.rootfs())).isTrue();
            Files.writeString(s.rootfs().resolve("new"), "x");
            Path upper = s.commit();
            assertThat(mounted(tmp.resolve("area/merged"))).isFalse();
            assertThat(upper.resolve("new")).hasContent("x");
            assertThat(s.committedDurable()).isFalse();
        }
    }

    @Test
    void aMountTooLongForTheSystemCallIsForkedNotVolatileAndSyncedByItsUnmount() throws IOException {
        try (Snapshot s = new Snapshotter(Snapshotter.Mode.OVERLAY).prepare(layers(120), tmp.resolve("area"))) {
            assertThat(volatileMount(s.rootfs())).isFalse();
            s.commit();
            assertThat(s.committedDurable()).isTrue();
        }
    }

    @Test
    void aCopiedLayerIsNotDurableByItself() throws IOException {
        try (Snapshot s = new Snapshotter(Snapshotter.Mode.COPY).prepare(layers(1), tmp.resolve("area"))) {
            s.commit();
            assertThat(s.committedDurable()).isFalse();
        }
    }

    /**
     * A directory the runtime only put a stub in and took it out of, its mtime restored, is left
     * out of the layer; one whose mode changed meanwhile stays, whether the upperdir had it before
     * the runtime came or not.
     */
    @ParameterizedTest
    @EnumSource(Snapshotter.Mode.class)
    void aDirectoryTheRuntimeOnlyTouchedIsPrunedUnlessItChanged(Snapshotter.Mode mode) throws IOException {
        List<Path> lowers = layers(3);
        for (String d : List.of("same", "chmodded", "made")) {
            Files.createDirectories(lowers.get(2).resolve("etc").resolve(d));
        }
        try (Snapshot s = new Snapshotter(mode).prepare(lowers, tmp.resolve("area"))) {
            Path root = s.rootfs();
            // The step itself made a directory inside etc/made: the upperdir has etc/made before the runtime.
            Files.createDirectory(root.resolve("etc/made/own"));
            Files.delete(root.resolve("etc/made/own"));
            for (String d : List.of("same", "chmodded", "made")) {
                Path dir = root.resolve("etc").resolve(d);
                var mtime = Files.getLastModifiedTime(dir, LinkOption.NOFOLLOW_LINKS);
                s.runtimeTouched("/etc/" + d);
                Files.createFile(dir.resolve("stub"));
                Files.delete(dir.resolve("stub"));
                Files.setLastModifiedTime(dir, mtime);
            }
            Files.setPosixFilePermissions(root.resolve("etc/chmodded"), java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            Path upper = s.commit();
            assertThat(upper.resolve("etc/same")).doesNotExist();
            assertThat(upper.resolve("etc/chmodded")).isDirectory();
            assertThat(upper.resolve("etc/made")).isDirectory();
        }
    }
}
