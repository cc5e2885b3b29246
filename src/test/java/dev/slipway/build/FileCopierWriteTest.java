package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.layer.NativeLibrary;
import dev.slipway.layer.Syscalls;
import dev.slipway.layer.Xattrs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How COPY writes: straight to a new target, beside and renamed over an existing one, on one or
 * several threads, changing owners, modes and times only where they differ. Needs root (owners).
 */
class FileCopierWriteTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;

    @TempDir
    Path tmp;
    Path ctx;

    @BeforeEach
    void setUp() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
    }

    private Path root(String name) throws IOException {
        Path r = Files.createDirectories(tmp.resolve(name));
        Files.createDirectories(r.resolve("etc"));
        Files.writeString(r.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        return r;
    }

    private static Path write(Path dir, String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private static FileTime time(long second, int nanos) {
        return FileTime.from(Instant.ofEpochSecond(second, nanos));
    }

    /** A tree of {@code dirs} directories of {@code files} files each, with odd modes, owners and sub-microsecond mtimes. */
    private void makeTree(Path base, int dirs, int files) throws IOException {
        for (int d = 0; d < dirs; d++) {
            for (int f = 0; f < files; f++) {
                Path p = write(base, "tree/d" + d + "/f" + f + ".txt", "dir " + d + " file " + f + "\n".repeat(f));
                Files.setAttribute(p, "unix:uid", 1000 + f % 2);
                Files.setAttribute(p, "unix:gid", 2000 + f % 2);
                Files.setAttribute(p, "unix:mode", f % 3 == 0 ? 0600 : f % 3 == 1 ? 0755 : 04711);
                Files.setLastModifiedTime(p, time(1_500_000_000L + f, 123_456_789 + d));
            }
            Path link = base.resolve("tree/d" + d + "/link");
            Files.createSymbolicLink(link, Path.of("f0.txt"));
            Files.setAttribute(link, "unix:uid", 1000, NOFOLLOW);
            Files.getFileAttributeView(link, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(time(1_400_000_000L, 0), null, null);
            Files.setAttribute(base.resolve("tree/d" + d), "unix:mode", 0750);
            Files.setLastModifiedTime(base.resolve("tree/d" + d), time(1_300_000_000L + d, 987_654_321));
        }
    }

    /** "type mode uid:gid mtime content-or-target" of every entry below {@code dir} (made now, so left out), by path. */
    private static Map<String, String> describe(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.skip(1)::iterator) {
                Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime", NOFOLLOW);
                int mode = (int) a.get("mode");
                String what = Files.isSymbolicLink(p) ? "link " + Files.readSymbolicLink(p)
                        : Files.isDirectory(p, NOFOLLOW) ? "dir" : "file " + Files.readString(p).hashCode();
                String perm = Files.isSymbolicLink(p) ? "" : Integer.toOctalString(mode & 07777);
                out.put(dir.relativize(p).toString(), what + " " + perm + " " + a.get("uid") + ":" + a.get("gid") + " "
                        + ((FileTime) a.get("lastModifiedTime")).toInstant());
            }
        }
        return out;
    }

    @Test
    void manyContextFilesAreCopiedExactlyAlikeOnOneOrSeveralThreads() throws IOException {
        makeTree(ctx, 6, 40);
        CopySource.Context source = new CopySource.Context(ctx, DockerIgnore.empty());
        Path one = root("one");
        Path four = root("four");
        new FileCopier(1).copy(CopyRequest.copy(List.of("tree"), "/out/", "/"), source, one);
        new FileCopier(4).copy(CopyRequest.copy(List.of("tree"), "/out/", "/"), source, four);

        Map<String, String> seen = describe(one.resolve("out"));
        assertThat(seen).hasSize(6 * 42).isEqualTo(describe(four.resolve("out")));
        // Context owners become 0:0; modes, setuid included, and mtimes to the nanosecond are the source's.
        assertThat(seen.get("d2/f5.txt")).isEqualTo("file " + Files.readString(ctx.resolve("tree/d2/f5.txt")).hashCode()
                + " 4711 0:0 " + time(1_500_000_005L, 123_456_791).toInstant());
        assertThat(seen.get("d0/f0.txt")).endsWith(" 600 0:0 " + time(1_500_000_000L, 123_456_789).toInstant());
        assertThat(seen.get("d3/link")).isEqualTo("link f0.txt  0:0 " + time(1_400_000_000L, 0).toInstant());
        assertThat(seen.get("d4")).isEqualTo("dir 750 0:0 " + time(1_300_000_004L, 987_654_321).toInstant());
    }

    @Test
    void manyStageFilesKeepTheirOwnersOrTakeTheChownOnAnyThreadCount() throws IOException {
        Path stage = Files.createDirectories(tmp.resolve("stage"));
        makeTree(stage, 3, 40);
        CopySource.Rootfs source = new CopySource.Rootfs(stage);
        for (int threads : new int[] {1, 3}) {
            Path kept = root("kept" + threads);
            Path chowned = root("chowned" + threads);
            new FileCopier(threads).copy(CopyRequest.copy(List.of("/tree"), "/t", "/"), source, kept);
            new FileCopier(threads).copy(CopyRequest.copy(List.of("/tree"), "/t", "/").withChown("7:8"), source, chowned);
            Map<String, String> k = describe(kept.resolve("t"));
            Map<String, String> c = describe(chowned.resolve("t"));
            assertThat(k.get("d1/f1.txt")).contains(" 755 1001:2001 " + time(1_500_000_001L, 123_456_790).toInstant());
            assertThat(k.get("d1/f2.txt")).contains(" 4711 1000:2000 ");
            assertThat(k.get("d1/link")).contains(" 1000:0 ");
            // chown clears setuid; the mode is put back after it.
            assertThat(c.get("d1/f2.txt")).contains(" 4711 7:8 " + time(1_500_000_002L, 123_456_790).toInstant());
            assertThat(c.get("d1/link")).contains(" 7:8 ");
            assertThat(c.get("d1")).isEqualTo("dir 750 7:8 " + time(1_300_000_001L, 987_654_321).toInstant());
        }
    }

    @Test
    void chmodAppliesOnTheDirectAndTheReplacingPath() throws IOException {
        makeTree(ctx, 2, 40);
        Path r = root("r");
        write(r, "out/d1/f3.txt", "old");
        new FileCopier(2).copy(CopyRequest.copy(List.of("tree"), "/out/", "/").withChmod("640"),
                new CopySource.Context(ctx, DockerIgnore.empty()), r);
        Map<String, String> seen = describe(r.resolve("out"));
        assertThat(seen.get("d1/f3.txt")).startsWith("file " + Files.readString(ctx.resolve("tree/d1/f3.txt")).hashCode() + " 640 0:0 ");
        assertThat(seen.get("d1/f4.txt")).contains(" 640 0:0 ");
        assertThat(seen.get("d1")).startsWith("dir 640 0:0 ");
    }

    @Test
    void aFileOverAnExistingSymlinkReplacesTheLinkNotWhatItPointsTo() throws IOException {
        write(ctx, "a.txt", "new");
        write(ctx, "b.txt", "new b");
        Path r = root("r");
        Path target = write(r, "keep/target.txt", "untouched");
        Files.createDirectories(r.resolve("ex"));
        Files.createSymbolicLink(r.resolve("ex/a.txt"), Path.of("/keep/target.txt"));
        Files.createSymbolicLink(r.resolve("ex/b.txt"), Path.of("/nowhere"));
        new FileCopier(1).copy(CopyRequest.copy(List.of("a.txt", "b.txt"), "/ex/", "/"),
                new CopySource.Context(ctx, DockerIgnore.empty()), r);
        assertThat(r.resolve("ex/a.txt")).isRegularFile().hasContent("new");
        assertThat(Files.isSymbolicLink(r.resolve("ex/a.txt"))).isFalse();
        assertThat(r.resolve("ex/b.txt")).isRegularFile().hasContent("new b");
        assertThat(target).hasContent("untouched");
        assertThat(r.resolve("nowhere")).doesNotExist();
    }

    @Test
    void filesReplacedInAnExistingTreeLeaveNoStagingFilesBehind() throws IOException {
        makeTree(ctx, 2, 40);
        Path r = root("r");
        new FileCopier(2).copy(CopyRequest.copy(List.of("tree"), "/out/", "/"), new CopySource.Context(ctx, DockerIgnore.empty()), r);
        Path extra = write(r, "out/d0/extra.txt", "mine");
        Files.writeString(ctx.resolve("tree/d0/f7.txt"), "changed");
        new FileCopier(2).copy(CopyRequest.copy(List.of("tree"), "/out/", "/"), new CopySource.Context(ctx, DockerIgnore.empty()), r);
        assertThat(r.resolve("out/d0/f7.txt")).hasContent("changed");
        assertThat(extra).hasContent("mine");
        try (Stream<Path> s = Files.walk(r)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".slipway"));
        }
        assertThat(describe(r.resolve("out")).get("d0/f7.txt")).endsWith(" 755 0:0 "
                + Files.getLastModifiedTime(ctx.resolve("tree/d0/f7.txt")).toInstant());
    }

    @Test
    void aDirectoryWhereAFileGoesIsRefusedOnEitherPath() throws IOException {
        for (int files : new int[] {3, 80}) {
            Path c = Files.createDirectories(tmp.resolve("c" + files));
            for (int i = 0; i < files; i++) {
                write(c, "src/f" + i + ".txt", "x");
            }
            Path r = root("r" + files);
            Files.createDirectories(r.resolve("out/f2.txt/inside"));
            assertThatThrownBy(() -> new FileCopier(4).copy(CopyRequest.copy(List.of("src"), "/out/", "/"),
                    new CopySource.Context(c, DockerIgnore.empty()), r))
                    .isInstanceOf(SlipwayException.class).hasMessage("cannot replace directory f2.txt with a file");
            assertThat(r.resolve("out/f2.txt/inside")).isDirectory();
        }
    }
    @Test
    void theNativeCallsAndJavaNioCopyAndHashAlike() throws IOException {
        if (!NativeLibrary.nativeFiles()) {
            return;
        }
        makeTree(ctx, 4, 30);
        Files.writeString(ctx.resolve("tree/d1/skip.log"), "left out");
        Xattrs.set(ctx.resolve("tree/d2/f3.txt"), "user.note", new byte[] {7, 0, 7});
        Path stage = Files.createDirectories(tmp.resolve("stage"));
        makeTree(stage, 2, 30);
        // cap_net_raw+ep, as on /usr/bin/ping: chown clears it, so it is set after the owner
        byte[] capability = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        Xattrs.set(stage.resolve("tree/d1/f1.txt"), "security.capability", capability);
        DockerIgnore ignore = DockerIgnore.parse("**/*.log\n");
        List<CopySource> sources = List.of(new CopySource.Context(ctx, ignore), new CopySource.Rootfs(stage));
        List<CopyRequest> requests = List.of(CopyRequest.copy(List.of("tree"), "/out/", "/"),
                CopyRequest.copy(List.of("tree/d*"), "/out/", "/").withChown("5:6"),
                CopyRequest.copy(List.of("tree"), "/out/", "/").withChmod("u=rwX,go=rX"));
        int n = 0;
        for (CopySource source : sources) {
            for (CopyRequest request : requests) {
                Path viaNio = root("nio" + n);
                Path viaNative = root("native" + n++);
                FileCopier nio = new FileCopier(2, false);
                FileCopier fast = new FileCopier(2, true);
                nio.copy(request, source, viaNio);
                fast.copy(request, source, viaNative);

                Map<String, String> expected = describe(viaNio.resolve("out"));
                assertThat(expected).as(request + " from " + source).hasSizeGreaterThan(30);
                assertThat(describe(viaNative.resolve("out"))).as(request + " from " + source).isEqualTo(expected);
                assertThat(fast.checksum(request, source)).as(request + " from " + source).isEqualTo(nio.checksum(request, source));
                if (source instanceof CopySource.Rootfs) {
                    // tree/d* copies d0's files, then d1's over them: the file replaced by one beside it
                    String rel = request == requests.get(1) ? "out/f1.txt" : "out/d1/f1.txt";
                    for (Path copied : List.of(viaNio, viaNative)) {
                        assertThat(Syscalls.getXattr(copied.resolve(rel), "security.capability"))
                                .as(request + " to " + copied).containsExactly(capability);
                    }
                }
            }
        }
        assertThat(root("nio0").resolve("out/d1/skip.log")).doesNotExist();
        assertThat(Syscalls.getXattr(root("native0").resolve("out/d2/f3.txt"), "user.note")).containsExactly(7, 0, 7);
        assertThat(Syscalls.getXattr(root("nio0").resolve("out/d2/f3.txt"), "user.note")).containsExactly(7, 0, 7);
    }
}
