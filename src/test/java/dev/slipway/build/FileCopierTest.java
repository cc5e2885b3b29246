package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.dockerfile.Instruction.SourceContent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * COPY semantics on temp dirs. The expected modes and owners of created directories, of
 * existing destinations, of --from copies and of --chown lookups were checked against BuildKit
 * (Docker 20.10's builder) with Dockerfiles doing the same copies.
 */
class FileCopierTest {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Path ORACLE = Path.of("../shared/oracle/cases");

    @TempDir
    Path tmp;
    Path ctx;
    Path root;
    final FileCopier copier = new FileCopier();

    @BeforeEach
    void setUp() throws IOException {
        ctx = Files.createDirectories(tmp.resolve("ctx"));
        root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"),
                "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\nu2:x:1001:2000:u:/:/bin/sh\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1000:\ng2:x:2000:\ng3:x:3000:\n");
        Files.createDirectories(root.resolve("tmp"));
        Files.setAttribute(root.resolve("tmp"), "unix:mode", 01777);
    }

    private CopySource.Context context() {
        return new CopySource.Context(ctx, DockerIgnore.empty());
    }

    private void copy(CopyRequest r) {
        copier.copy(r, context(), root);
    }

    private Path write(Path dir, String rel, String text) throws IOException {
        Path p = dir.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    /** "type mode uid:gid" of a path, as the oracle compares. */
    private static String attrs(Path p) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid", NOFOLLOW);
        int mode = (int) a.get("mode");
        String type = Files.isSymbolicLink(p) ? "link" : Files.isDirectory(p, NOFOLLOW) ? "dir" : "file";
        return type + " " + Integer.toOctalString(mode & 07777) + " " + a.get("uid") + ":" + a.get("gid");
    }

    private static void chmod(Path p, int mode) throws IOException {
        Files.setAttribute(p, "unix:mode", mode, NOFOLLOW);
    }

    @Test
    void fileToDotGoesIntoWorkdirCreatedAsRootOwned0755() throws IOException {
        write(ctx, "a.txt", "a\n");
        copy(CopyRequest.copy(List.of("a.txt"), ".", "/work"));
        assertThat(root.resolve("work/a.txt")).hasContent("a");
        assertThat(attrs(root.resolve("work"))).isEqualTo("dir 755 0:0");
        assertThat(attrs(root.resolve("work/a.txt"))).isEqualTo("file 644 0:0");
    }

    @Test
    void relativeDestIsTakenAgainstWorkdirAndTrailingSlashMeansInto() throws IOException {
        write(ctx, "a.txt", "a\n");
        copy(CopyRequest.copy(List.of("a.txt"), "sub/", "/w"));
        copy(CopyRequest.copy(List.of("a.txt"), "named", "/w"));
        assertThat(root.resolve("w/sub/a.txt")).hasContent("a");
        assertThat(root.resolve("w/named")).isRegularFile().hasContent("a");
    }

    @Test
    void wildcardsCopyEveryMatchAndEmptyMatchesAreNoError() throws IOException {
        write(ctx, "a.txt", "a");
        write(ctx, "b.txt", "b");
        write(ctx, "c.md", "c");
        copy(CopyRequest.copy(List.of("*.txt"), "/multi/", "/"));
        try (Stream<Path> s = Files.list(root.resolve("multi"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted()).containsExactly("a.txt", "b.txt");
        }
        copy(CopyRequest.copy(List.of("nomatch*"), "/x/", "/"));
        assertThat(root.resolve("x")).doesNotExist();
    }

    @Test
    void aWildcardMatchingDirectoriesCopiesTheirContents() throws IOException {
        write(ctx, "d/s/f", "x");
        write(ctx, "dd/g", "y");
        copy(CopyRequest.copy(List.of("d*"), "/w/", "/"));
        assertThat(root.resolve("w/s/f")).hasContent("x");
        assertThat(root.resolve("w/g")).hasContent("y");
        assertThat(root.resolve("w/d")).doesNotExist();
    }

    @Test
    void aDirectorySourceCopiesItsContentsIntoANew0755Dir() throws IOException {
        write(ctx, "dir/d.txt", "d");
        write(ctx, "dir/sub/e.txt", "e");
        chmod(ctx.resolve("dir"), 0700);
        chmod(ctx.resolve("dir/sub"), 0750);
        copy(CopyRequest.copy(List.of("dir"), "/copied-dir", "/"));
        copy(CopyRequest.copy(List.of("dir/"), "/copied-dir-slash/", "/"));
        for (String d : List.of("copied-dir", "copied-dir-slash")) {
            assertThat(attrs(root.resolve(d))).isEqualTo("dir 755 0:0");
            assertThat(attrs(root.resolve(d + "/sub"))).isEqualTo("dir 750 0:0");
            assertThat(root.resolve(d + "/sub/e.txt")).hasContent("e");
            assertThat(root.resolve(d + "/d.txt")).hasContent("d");
        }
    }

    @Test
    void missingParentsAreCreated0755() throws IOException {
        write(ctx, "dir/sub/e.txt", "e");
        copy(CopyRequest.copy(List.of("dir/sub/e.txt"), "/new/nested/path/e.txt", "/"));
        assertThat(root.resolve("new/nested/path/e.txt")).hasContent("e");
        for (String d : List.of("new", "new/nested", "new/nested/path")) {
            assertThat(attrs(root.resolve(d))).isEqualTo("dir 755 0:0");
        }
    }

    @Test
    void existingDestinationDirectoryKeepsItsModeAndOwner() throws IOException {
        write(ctx, "d/s/f", "x");
        copy(CopyRequest.copy(List.of("d"), "/tmp/", "/").withChown("u2"));
        assertThat(attrs(root.resolve("tmp"))).isEqualTo("dir 1777 0:0");
        assertThat(attrs(root.resolve("tmp/s"))).isEqualTo("dir 755 1001:2000");
        assertThat(attrs(root.resolve("tmp/s/f"))).isEqualTo("file 644 1001:2000");
    }

    @Test
    void anExistingFileIsReplacedWithTheSourcesModeAndOwner() throws IOException {
        write(ctx, "a.txt", "new");
        Path old = write(root, "ex/a.txt", "old");
        chmod(old, 0600);
        Files.setAttribute(old, "unix:uid", 7);
        copy(CopyRequest.copy(List.of("a.txt"), "/ex/", "/"));
        assertThat(old).hasContent("new");
        assertThat(attrs(old)).isEqualTo("file 644 0:0");
    }

    @Test
    void severalSourcesIntoAPathWithoutSlashLastOneWins() throws IOException {
        write(ctx, "a.txt", "a");
        write(ctx, "b.txt", "b");
        copy(CopyRequest.copy(List.of("a.txt", "b.txt"), "/m", "/"));
        assertThat(root.resolve("m")).isRegularFile().hasContent("b");
    }

    @Test
    void aFileCopiedOntoAnExistingDirectoryGoesInside() throws IOException {
        write(ctx, "a.txt", "a");
        copy(CopyRequest.copy(List.of("a.txt"), "/etc", "/"));
        assertThat(root.resolve("etc/a.txt")).hasContent("a");
    }

    @Test
    void chownNumericUserAlsoSetsGroupAndOwnsCreatedParents() throws IOException {
        write(ctx, "c.md", "c");
        copy(CopyRequest.copy(List.of("c.md"), "rel/", "/work").withChown("1000:1000"));
        assertThat(attrs(root.resolve("work"))).isEqualTo("dir 755 1000:1000");
        assertThat(attrs(root.resolve("work/rel/c.md"))).isEqualTo("file 644 1000:1000");
        copy(CopyRequest.copy(List.of("c.md"), "/c3/", "/").withChown("1001"));
        assertThat(attrs(root.resolve("c3/c.md"))).isEqualTo("file 644 1001:1001");
        copy(CopyRequest.copy(List.of("c.md"), "/c10/deep/", "/").withChown("5555:6666"));
        assertThat(attrs(root.resolve("c10"))).isEqualTo("dir 755 5555:6666");
        assertThat(attrs(root.resolve("c10/deep/c.md"))).isEqualTo("file 644 5555:6666");
    }

    @Test
    void chownNamesComeFromTheDestinationsPasswdAndGroup() throws IOException {
        write(ctx, "a.txt", "a");
        copy(CopyRequest.copy(List.of("a.txt"), "/c1/c2/", "/").withChown("u2"));
        assertThat(attrs(root.resolve("c1"))).isEqualTo("dir 755 1001:2000");
        assertThat(attrs(root.resolve("c1/c2/a.txt"))).isEqualTo("file 644 1001:2000");
        copy(CopyRequest.copy(List.of("a.txt"), "/c4/", "/").withChown("1001:g3"));
        assertThat(attrs(root.resolve("c4/a.txt"))).isEqualTo("file 644 1001:3000");
        copy(CopyRequest.copy(List.of("a.txt"), "/c5/", "/").withChown("app:app"));
        assertThat(attrs(root.resolve("c5/a.txt"))).isEqualTo("file 644 1000:1000");
    }

    @Test
    void chownNamesAsInTheOracleCase() throws IOException {
        Path c = ORACLE.resolve("chown-names");
        String passwd = "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n"
                + "app:x:1000:1000:app:/home/app:/bin/sh\n";
        Files.writeString(root.resolve("etc/passwd"), passwd);
        CopySource src = new CopySource.Context(c, DockerIgnore.load(c, c.resolve("Dockerfile")));
        copier.copy(CopyRequest.copy(List.of("owned.txt"), "/home/app/owned.txt", "/").withChown("app:app"), src, root);
        copier.copy(CopyRequest.copy(List.of("owned.txt"), "/home/app/owned2.txt", "/").withChown("app"), src, root);
        copier.copy(CopyRequest.copy(List.of("owned.txt"), "/home/app/owned3.txt", "/").withChown("1000"), src, root);
        for (String f : List.of("owned.txt", "owned2.txt", "owned3.txt")) {
            assertThat(attrs(root.resolve("home/app/" + f))).isEqualTo("file 444 1000:1000");
        }
        assertThat(attrs(root.resolve("home/app"))).isEqualTo("dir 755 1000:1000");
    }

    @Test
    void unknownChownNamesFallBackToRootLikeBuildkit() throws IOException {
        Path scratch = Files.createDirectories(tmp.resolve("scratch"));
        assertThat(FileCopier.resolveOwner("nosuch", root)).isEqualTo(new FileCopier.Owner(0, 0));
        assertThat(FileCopier.resolveOwner("u2:nosuch", root)).isEqualTo(new FileCopier.Owner(1001, 2000));
        assertThat(FileCopier.resolveOwner("u2:g3", scratch)).isEqualTo(new FileCopier.Owner(0, 0));
    }

    @Test
    void chmodOctalAppliesToCopiedFilesAndDirsButNotToTheCreatedDest() throws IOException {
        write(ctx, "d/s/f", "x");
        Files.createSymbolicLink(ctx.resolve("d/s/ln"), Path.of("../a.txt"));
        copy(CopyRequest.copy(List.of("d"), "/cm/", "/").withChown("u2").withChmod("640"));
        assertThat(attrs(root.resolve("cm"))).isEqualTo("dir 755 1001:2000");
        assertThat(attrs(root.resolve("cm/s"))).isEqualTo("dir 640 1001:2000");
        assertThat(attrs(root.resolve("cm/s/f"))).isEqualTo("file 640 1001:2000");
        assertThat(attrs(root.resolve("cm/s/ln"))).isEqualTo("link 777 1001:2000");
        assertThat(Files.readSymbolicLink(root.resolve("cm/s/ln"))).isEqualTo(Path.of("../a.txt"));
    }

    @Test
    void chmodSymbolic() throws IOException {
        write(ctx, "bin/tool", "#!/bin/sh\n");
        write(ctx, "bin/data", "d");
        copy(CopyRequest.copy(List.of("bin"), "/b/", "/").withChmod("u=rwX,go=rX"));
        assertThat(attrs(root.resolve("b/tool"))).isEqualTo("file 644 0:0");
        chmod(ctx.resolve("bin/tool"), 0744);
        copy(CopyRequest.copy(List.of("bin/tool"), "/c/", "/").withChmod("go+x"));
        assertThat(attrs(root.resolve("c/tool"))).isEqualTo("file 755 0:0");
    }

    @Test
    void copyingTheOracleCopySemanticsCaseHonoursItsDockerignore() throws IOException {
        Path c = ORACLE.resolve("copy-semantics");
        CopySource src = new CopySource.Context(c, DockerIgnore.load(c, c.resolve("Dockerfile")));
        copier.copy(CopyRequest.copy(List.of("."), "/all/", "/work"), src, root);
        Map<String, String> tree = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root.resolve("all"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                tree.put(root.resolve("all").relativize(p).toString(), attrs(p));
            }
        }
        assertThat(tree.keySet()).containsExactly("", ".dockerignore", "Dockerfile", "a.txt", "b.txt", "c.md",
                "dir", "dir/d.txt", "dir/sub", "dir/sub/e.txt", "docs", "docs/keep.md");
        assertThat(tree.get("")).isEqualTo("dir 755 0:0");
        assertThat(tree.get("dir")).isEqualTo("dir 555 0:0");
        assertThatThrownBy(() -> copier.copy(CopyRequest.copy(List.of("debug.log"), "/x", "/"), src, root))
                .isInstanceOf(SlipwayException.class).hasMessage("\"/debug.log\": not found");
    }

    @Test
    void aDockerfileDockerignoreBesideTheDockerfileReplacesTheRootOne() throws IOException {
        write(ctx, ".dockerignore", "a.txt\n");
        write(ctx, "build/app.Dockerfile.dockerignore", "b.txt\n");
        write(ctx, "a.txt", "a");
        write(ctx, "b.txt", "b");
        DockerIgnore ignore = DockerIgnore.load(ctx, ctx.resolve("build/app.Dockerfile"));
        CopySource src = new CopySource.Context(ctx, ignore);
        copier.copy(CopyRequest.copy(List.of("*.txt"), "/o/", "/"), src, root);
        assertThat(root.resolve("o/a.txt")).exists();
        assertThat(root.resolve("o/b.txt")).doesNotExist();
    }

    @Test
    void symlinksInsideACopiedTreeStaySymlinks() throws IOException {
        write(ctx, "tree/real.txt", "target");
        Files.createSymbolicLink(ctx.resolve("tree/abs-link"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(ctx.resolve("tree/link.txt"), Path.of("real.txt"));
        copy(CopyRequest.copy(List.of("tree"), "/tree", "/"));
        assertThat(Files.readSymbolicLink(root.resolve("tree/abs-link"))).isEqualTo(Path.of("/etc/passwd"));
        assertThat(attrs(root.resolve("tree/abs-link"))).isEqualTo("link 777 0:0");
        assertThat(Files.readSymbolicLink(root.resolve("tree/link.txt"))).isEqualTo(Path.of("real.txt"));
    }

    @Test
    void aSymlinkNamedAsSourceIsFollowedInsideTheContextOnly() throws IOException {
        write(ctx, "tree/real.txt", "target");
        Files.createSymbolicLink(ctx.resolve("tree/link.txt"), Path.of("real.txt"));
        Files.createSymbolicLink(ctx.resolve("passwd"), Path.of("/etc/passwd"));
        Files.createSymbolicLink(ctx.resolve("esc"), Path.of("../../../../etc/hostname"));
        copy(CopyRequest.copy(List.of("tree/link.txt"), "/followed.txt", "/"));
        assertThat(root.resolve("followed.txt")).isRegularFile().hasContent("target");
        assertThatThrownBy(() -> copy(CopyRequest.copy(List.of("passwd"), "/p", "/")))
                .isInstanceOf(SlipwayException.class).hasMessage("\"/passwd\": not found");
        assertThatThrownBy(() -> copy(CopyRequest.copy(List.of("esc"), "/e", "/")))
                .isInstanceOf(SlipwayException.class).hasMessage("\"/esc\": not found");
        assertThat(root.resolve("p")).doesNotExist();
        // Inside the context the link's target is found, never the host's file.
        write(ctx, "etc/passwd", "context's own\n");
        copy(CopyRequest.copy(List.of("passwd"), "/p", "/"));
        assertThat(root.resolve("p")).hasContent("context's own");
    }

    @Test
    void symlinkedDirectoriesInSourcePathsAndWildcardMatchesAreFollowed() throws IOException {
        write(ctx, "real/f", "r");
        write(ctx, "real/sub/g", "s");
        Files.createSymbolicLink(ctx.resolve("linkdir"), Path.of("real"));
        Files.createSymbolicLink(ctx.resolve("lf"), Path.of("real/f"));
        copy(CopyRequest.copy(List.of("linkdir/f"), "/x1", "/"));
        copy(CopyRequest.copy(List.of("l*"), "/x3/", "/"));
        assertThat(root.resolve("x1")).isRegularFile().hasContent("r");
        assertThat(root.resolve("x3/lf")).isRegularFile().hasContent("r");
        assertThat(root.resolve("x3/sub/g")).hasContent("s");
    }

    @Test
    void sourcePathsCannotClimbOutOfTheContext() throws IOException {
        write(tmp, "secret", "no");
        assertThatThrownBy(() -> copy(CopyRequest.copy(List.of("../secret"), "/s", "/")))
                .isInstanceOf(SlipwayException.class).hasMessage("\"/secret\": not found");
    }

    @Test
    void destinationSymlinksAreFollowedInsideTheRoot() throws IOException {
        write(ctx, "a.txt", "a");
        Files.createDirectories(root.resolve("opt/real"));
        Files.createSymbolicLink(root.resolve("lnkdir"), Path.of("/opt/real"));
        Files.createSymbolicLink(root.resolve("out"), Path.of("../../../../" + tmp.resolve("host").toString().substring(1)));
        copy(CopyRequest.copy(List.of("a.txt"), "/lnkdir/", "/"));
        assertThat(root.resolve("opt/real/a.txt")).hasContent("a");
        copy(CopyRequest.copy(List.of("a.txt"), "/out/", "/"));
        assertThat(tmp.resolve("host")).doesNotExist();
        assertThat(root.resolve(tmp.resolve("host").toString().substring(1)).resolve("a.txt")).hasContent("a");
    }

    @Test
    void aMissingSourceIsAnErrorNamingIt() throws IOException {
        assertThatThrownBy(() -> copy(CopyRequest.copy(List.of("does-not-exist.txt"), "/x", "/")))
                .isInstanceOf(SlipwayException.class).hasMessage("\"/does-not-exist.txt\": not found");
    }

    @Test
    void fileMtimesArePreserved() throws IOException {
        Path a = write(ctx, "d/a.txt", "a");
        FileTime t = FileTime.from(Instant.parse("2020-01-02T03:04:05Z"));
        Files.setLastModifiedTime(a, t);
        copy(CopyRequest.copy(List.of("d"), "/d/", "/"));
        copy(CopyRequest.copy(List.of("d/a.txt"), "/f", "/"));
        assertThat(Files.getLastModifiedTime(root.resolve("d/a.txt"))).isEqualTo(t);
        assertThat(Files.getLastModifiedTime(root.resolve("f"))).isEqualTo(t);
    }

    @Test
    void fromAnotherStageOwnersAndSetuidAreKept() throws IOException {
        Path stage = Files.createDirectories(tmp.resolve("stage"));
        Path f = write(stage, "s/d/f", "x");
        Files.setAttribute(stage.resolve("s"), "unix:uid", 1000);
        Files.setAttribute(stage.resolve("s/d"), "unix:uid", 1000);
        Files.setAttribute(stage.resolve("s/d"), "unix:gid", 1000);
        chmod(stage.resolve("s/d"), 0700);
        Files.setAttribute(f, "unix:uid", 5);
        Files.setAttribute(f, "unix:gid", 6);
        chmod(f, 04755);
        CopySource from = new CopySource.Rootfs(stage);
        copier.copy(CopyRequest.copy(List.of("/s"), "/f1", "/"), from, root);
        copier.copy(CopyRequest.copy(List.of("/s/d/f"), "/f2/", "/"), from, root);
        copier.copy(CopyRequest.copy(List.of("/s"), "/f3", "/").withChown("7:8"), from, root);
        assertThat(attrs(root.resolve("f1"))).isEqualTo("dir 755 0:0");
        assertThat(attrs(root.resolve("f1/d"))).isEqualTo("dir 700 1000:1000");
        assertThat(attrs(root.resolve("f1/d/f"))).isEqualTo("file 4755 5:6");
        assertThat(attrs(root.resolve("f2/f"))).isEqualTo("file 4755 5:6");
        assertThat(attrs(root.resolve("f3"))).isEqualTo("dir 755 7:8");
        assertThat(attrs(root.resolve("f3/d/f"))).isEqualTo("file 4755 7:8");
    }

    @Test
    void heredocSourcesBecomeFilesNamedAfterTheirDelimiter() throws IOException {
        CopyRequest r = new CopyRequest(List.of(), List.of(new SourceContent("greeting.txt", "hello\n", true)),
                "/out/", "/", null, null, false, false, List.of(), false, null, null);
        copy(r);
        assertThat(root.resolve("out/greeting.txt")).hasContent("hello");
        assertThat(attrs(root.resolve("out/greeting.txt"))).isEqualTo("file 644 0:0");
        copy(CopyRequest.copy(List.of(), "named.txt", "/w")
                .withContents(List.of(new SourceContent("EOF", "body\n", false))).withChmod("755").withChown("app"));
        assertThat(root.resolve("w/named.txt")).hasContent("body");
        assertThat(attrs(root.resolve("w/named.txt"))).isEqualTo("file 755 1000:1000");
    }

    @Test
    void linkCopiesIntoAnEmptyDirectoryWithUsersFromTheStage() throws IOException {
        write(ctx, "a.txt", "a");
        Path layer = Files.createDirectories(tmp.resolve("layer"));
        copier.copy(CopyRequest.copy(List.of("a.txt"), "/app/bin/", "/").withLink(true).withChown("u2"),
                context(), layer, root);
        try (Stream<Path> s = Files.walk(layer)) {
            assertThat(s.map(p -> layer.relativize(p).toString()).sorted())
                    .containsExactly("", "app", "app/bin", "app/bin/a.txt");
        }
        assertThat(attrs(layer.resolve("app"))).isEqualTo("dir 755 1001:2000");
        assertThat(attrs(layer.resolve("app/bin/a.txt"))).isEqualTo("file 644 1001:2000");
    }

    @Test
    void parentsKeepThePathBelowThePivot() throws IOException {
        write(ctx, "x/a.txt", "xa");
        write(ctx, "y/a.txt", "ya");
        write(ctx, "x/y/b.txt", "xyb");
        write(ctx, "x/y/c.md", "xyc");
        write(ctx, "x/y/z/d.txt", "deep");
        chmod(ctx.resolve("x"), 0750);
        copy(CopyRequest.copy(List.of("./x/a.txt", "./y/a.txt"), "/no_pivot/", "/").withParents(true));
        assertThat(root.resolve("no_pivot/x/a.txt")).hasContent("xa");
        assertThat(root.resolve("no_pivot/y/a.txt")).hasContent("ya");
        assertThat(attrs(root.resolve("no_pivot/x"))).isEqualTo("dir 750 0:0");
        copy(CopyRequest.copy(List.of("./x/./y/*.txt"), "/pivot/", "/").withParents(true));
        assertThat(root.resolve("pivot/y/b.txt")).hasContent("xyb");
        assertThat(root.resolve("pivot/y/c.md")).doesNotExist();
        assertThat(root.resolve("pivot/x")).doesNotExist();
        copy(CopyRequest.copy(List.of("x/./**/*.txt"), "/star/", "/").withParents(true));
        assertThat(root.resolve("star/a.txt")).hasContent("xa");
        assertThat(root.resolve("star/y/b.txt")).hasContent("xyb");
        assertThat(root.resolve("star/y/z/d.txt")).hasContent("deep");
        assertThat(root.resolve("star/y/c.md")).doesNotExist();
        assertThatThrownBy(() -> copy(CopyRequest.copy(List.of("x/./nope.txt"), "/p/", "/").withParents(true)))
                .isInstanceOf(SlipwayException.class).hasMessage("\"/x/nope.txt\": not found");
    }

    @Test
    void excludePatternsDropEntriesBelowEachSource() throws IOException {
        write(ctx, "app/main.go", "m");
        write(ctx, "app/main_test.go", "t");
        write(ctx, "app/docs/readme.md", "r");
        write(ctx, "home.txt", "h");
        write(ctx, "homer.go", "g");
        copy(CopyRequest.copy(List.of("app"), "/src/", "/").withExcludes(List.of("*_test.go", "docs")));
        assertThat(root.resolve("src/main.go")).exists();
        assertThat(root.resolve("src/main_test.go")).doesNotExist();
        assertThat(root.resolve("src/docs")).doesNotExist();
        copy(CopyRequest.copy(List.of("hom*"), "/h/", "/").withExcludes(List.of("*.txt")));
        assertThat(root.resolve("h/homer.go")).exists();
        assertThat(root.resolve("h/home.txt")).doesNotExist();
    }

    @Test
    void urlsAndGitSourcesAreRefusedWhereBuildkitRefusesThem() {
        assertThatThrownBy(() -> copy(CopyRequest.copy(List.of("https://example.com/x"), "/x", "/")))
                .hasMessage("source can't be a URL for COPY");
        assertThatThrownBy(() -> copy(CopyRequest.add(List.of("https://github.com/moby/buildkit.git"), "/x", "/")))
                .hasMessageContaining("git sources is not supported yet");
        assertThatThrownBy(() -> copy(CopyRequest.add(List.of("git@github.com:moby/buildkit.git"), "/x", "/")))
                .hasMessageContaining("git sources is not supported yet");
        assertThatThrownBy(() -> copy(CopyRequest.add(List.of("a.txt"), "/x", "/").withChecksum("sha256:" + "0".repeat(64))))
                .hasMessage("checksum requires HTTP(S) or Git sources");
    }

    @Test
    void badChmodIsRefused() {
        assertThatThrownBy(() -> ChmodSpec.parse("8888")).isInstanceOf(SlipwayException.class)
                .hasMessageContaining("invalid chmod parameter: '8888'");
        assertThatThrownBy(() -> ChmodSpec.parse("u+q")).isInstanceOf(SlipwayException.class);
    }

    @Test
    void symbolicModesFollowChmod1() {
        assertThat(ChmodSpec.parse("+x").apply(0644, false)).isEqualTo(0755);
        assertThat(ChmodSpec.parse("u=rwX,go=rX").apply(0600, false)).isEqualTo(0644);
        assertThat(ChmodSpec.parse("u=rwX,go=rX").apply(0700, false)).isEqualTo(0755);
        assertThat(ChmodSpec.parse("go=rX").apply(0700, true)).isEqualTo(0755);
        assertThat(ChmodSpec.parse("g=u").apply(0740, false)).isEqualTo(0770);
        assertThat(ChmodSpec.parse("o-rwx,u+s").apply(0755, false)).isEqualTo(04750);
        assertThat(ChmodSpec.parse("a-w").apply(0666, false)).isEqualTo(0444);
        assertThat(ChmodSpec.parse("0755").apply(0600, false)).isEqualTo(0755);
    }

    @Test
    void checksumCoversContentModeNamesAndLinksButNotTimes() throws IOException {
        Path a = write(ctx, "d/a.txt", "a");
        Files.createSymbolicLink(ctx.resolve("d/l"), Path.of("a.txt"));
        CopyRequest r = CopyRequest.copy(List.of("d"), "/d/", "/");
        String first = copier.checksum(r, context()).toString();
        Files.setLastModifiedTime(a, FileTime.from(Instant.parse("2001-01-01T00:00:00Z")));
        assertThat(copier.checksum(r, context()).toString()).isEqualTo(first);
        chmod(a, 0600);
        String moded = copier.checksum(r, context()).toString();
        assertThat(moded).isNotEqualTo(first);
        Files.writeString(a, "b");
        String changed = copier.checksum(r, context()).toString();
        assertThat(changed).isNotEqualTo(moded);
        Files.delete(ctx.resolve("d/l"));
        Files.createSymbolicLink(ctx.resolve("d/l"), Path.of("other"));
        assertThat(copier.checksum(r, context()).toString()).isNotEqualTo(changed);
        String beforeIgnored = copier.checksum(r, context()).toString();
        write(ctx, "d/skip.log", "noise");
        CopySource ignoring = new CopySource.Context(ctx, DockerIgnore.parse("**/*.log\n"));
        assertThat(copier.checksum(r, ignoring).toString()).isEqualTo(beforeIgnored);
        assertThat(copier.checksum(r, context()).toString()).isNotEqualTo(beforeIgnored);
        assertThatThrownBy(() -> copier.checksum(CopyRequest.copy(List.of("gone"), "/", "/"), context()))
                .hasMessage("\"/gone\": not found");
    }

    @Test
    void checksumOfHeredocsFollowsTheirBodies() {
        CopyRequest one = CopyRequest.copy(List.of(), "/x", "/").withContents(List.of(new SourceContent("EOF", "1", true)));
        CopyRequest two = CopyRequest.copy(List.of(), "/x", "/").withContents(List.of(new SourceContent("EOF", "2", true)));
        assertThat(copier.checksum(one, context())).isNotEqualTo(copier.checksum(two, context()));
        assertThat(copier.checksum(one, context())).isEqualTo(copier.checksum(one, context()));
    }

    @Test
    void writtenContentIsExactlyTheSources() throws IOException {
        byte[] data = new byte[300_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        Files.write(ctx.resolve("blob.bin"), data);
        copy(CopyRequest.copy(List.of("blob.bin"), "/b", "/"));
        assertThat(Files.readAllBytes(root.resolve("b"))).isEqualTo(data);
        assertThat(new String(Files.readAllBytes(root.resolve("etc/passwd")), StandardCharsets.UTF_8)).contains("u2");
    }
}
