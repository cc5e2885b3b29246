package dev.slipway.build.uptodate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.slipway.build.BuildRequest;
import dev.slipway.build.ImageBuilder;
import dev.slipway.build.Progress;
import dev.slipway.build.progress.ProgressMode;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import dev.slipway.store.BuildRecordFiles;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build record and the up-to-date check, in process: a build through {@link ImageBuilder} as
 * {@code BuildCommand} runs it, recorded by {@link BuildRecorder}, then {@link UpToDate#check} for
 * the same invocation, after each kind of change that must make it miss. COPY-only Dockerfiles, so
 * no container runtime is needed.
 */
class UpToDateTest {
    private static final String JAR = "0.1.0 /opt/slipway.jar 33188 100 1 2 3 4";

    @TempDir
    Path dir;
    private Path root;
    private Path ctx;
    private String cwd;
    private Store store;
    private final Map<String, String> env = new HashMap<>();

    /** One build as {@code slipway --root ROOT build ARGS... CONTEXT} would run it. */
    private final class Invocation {
        final List<String> tags = new ArrayList<>();
        final List<String> buildArgs = new ArrayList<>();
        final List<String> options = new ArrayList<>();
        String target;
        Path file;
        String jar = JAR;
        String unrecordable;
        ProgressMode mode = ProgressMode.PLAIN;
        String cwd = UpToDateTest.this.cwd;
        Path root = UpToDateTest.this.root;
        /** Runs right after the build's start time is taken, before it reads anything. */
        Runnable afterStart = () -> { };
        /** Runs as the build's first step starts, while the build reads its inputs. */
        Runnable duringBuild = () -> { };
        /** Runs after the build, before its record is written. */
        java.util.function.Consumer<ImageBuilder.Result> beforeFinish = r -> { };

        Invocation tag(String t) {
            tags.add(t);
            options.add("-t");
            options.add(t);
            return this;
        }

        Invocation buildArg(String a) {
            buildArgs.add(a);
            options.add("--build-arg");
            options.add(a);
            return this;
        }

        Invocation target(String t) {
            target = t;
            options.add("--target");
            options.add(t);
            return this;
        }

        List<String> argv() {
            List<String> argv = new ArrayList<>(List.of("--root", root.toString(), "build"));
            argv.addAll(options);
            argv.add(ctx.toString());
            return argv;
        }

        /** Builds (the normal path) and returns why no record was written, null when one was. */
        String build() {
            Store s = root.equals(UpToDateTest.this.root) ? store : Store.open(root);
            long started = BuildRecorder.now();
            afterStart.run();
            StringWriter log = new StringWriter();
            Path dockerfile = file != null ? file : ctx.resolve("Dockerfile");
            Progress view = new Hooked(Progress.plain(new PrintWriter(log, true)), duringBuild);
            BuildRecorder recorder = BuildRecorder.start(s, argv(), cwd, jar, env, started, unrecordable, mode, false,
                    ctx, dockerfile, buildArgs, view);
            Map<String, String> args = new LinkedHashMap<>();
            for (String a : buildArgs) {
                int eq = a.indexOf('=');
                if (eq >= 0) {
                    args.put(a.substring(0, eq), a.substring(eq + 1));
                } else if (env.get(a) != null) {
                    args.put(a, env.get(a));
                }
            }
            BuildRequest request = BuildRequest.of(ctx).withDockerfile(file).withTags(tags).withTarget(target)
                    .withBuildArgs(args).withEpoch(env.containsKey("SOURCE_DATE_EPOCH")
                            ? Long.valueOf(env.get("SOURCE_DATE_EPOCH")) : null);
            Progress progress = recorder != null ? recorder.progress() : view;
            ImageBuilder.Result result = ImageBuilder.forHost(s, progress).build(request);
            lastId = result.imageId();
            beforeFinish.accept(result);
            return recorder == null ? "not recorded" : recorder.finish(result, tags, "");
        }

        UpToDate.Verdict check() throws Exception {
            return UpToDate.check(argv().toArray(String[]::new), cwd, env, jar, false);
        }
    }

    private Digest lastId;

    /** A view that runs a hook when the first step starts. */
    private static final class Hooked implements Progress {
        private final Progress view;
        private Runnable hook;

        Hooked(Progress view, Runnable hook) {
            this.view = view;
            this.hook = hook;
        }

        @Override
        public synchronized int start(String label) {
            if (hook != null) {
                hook.run();
                hook = null;
            }
            return view.start(label);
        }

        @Override
        public void output(int step, String line) {
            view.output(step, line);
        }

        @Override
        public void done(int step) {
            view.done(step);
        }

        @Override
        public void cached(int step) {
            view.cached(step);
        }

        @Override
        public void error(int step, String message) {
            view.error(step, message);
        }

        @Override
        public void note(String message) {
            view.note(message);
        }
    }

    private Invocation app() {
        return new Invocation().tag("app:1");
    }

    @BeforeEach
    void setUp() throws Exception {
        root = dir.resolve("root");
        cwd = dir.toString();
        store = Store.open(root);
        Path base = dir.resolve("base");
        write(base.resolve("base.txt"), "base\n");
        write(base.resolve("Dockerfile"), "FROM scratch\nCOPY base.txt /base.txt\n");
        ctx = dir.resolve("ctx");
        write(ctx.resolve("Dockerfile"), "FROM base:1\nARG NAME=none\nCOPY src /src\n"
                + "COPY --from=base:1 /base.txt /copied.txt\n");
        write(ctx.resolve("src/a.txt"), "aaaa\n");
        write(ctx.resolve("src/sub/b.txt"), "bbbb\n");
        write(ctx.resolve("ignored/x.log"), "ignored\n");
        ImageBuilder.forHost(store, Progress.QUIET).build(BuildRequest.of(base).withTags(List.of("base:1")));
        age();
    }

    private static void write(Path file, String text) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }

    /** Waits until what the test wrote is older than the racy margin, as files written before a build are. */
    private static void age() throws InterruptedException {
        Thread.sleep(BuildRecorder.RACY_NANOS / 1_000_000 + 20);
    }

    /** Builds {@code inv}, checks that a record was written and that the check trusts it. */
    private void builtAndUpToDate(Invocation inv) throws Exception {
        assertThat(inv.build()).as("why no record was written").isNull();
        UpToDate.Verdict v = inv.check();
        assertThat(v.miss).as("the check right after the build").isNull();
        assertThat(v.record.imageId).isEqualTo(lastId.toString());
    }

    private void misses(Invocation inv, String why) throws Exception {
        UpToDate.Verdict v = inv.check();
        assertThat(v.record).as("the check trusted the record").isNull();
        assertThat(v.miss).contains(why);
    }

    @Test
    void aRebuildWithNothingChangedIsUpToDateAndReplaysTheCachedBuild() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        UpToDate.Verdict v = inv.check();
        assertThat(v.record.refNames).contains("docker.io/library/app:1", "docker.io/library/base:1");
        // The cold build executed both COPY steps; the replay shows them as a cached rebuild does.
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < v.record.eventTypes.length; i++) {
            labels.add(v.record.eventTypes[i] + " " + v.record.eventTexts[i]);
        }
        assertThat(labels).containsExactly(
                "1 [1/4] FROM docker.io/library/base:1", "3 ",
                "1 [3/4] COPY src /src", "2 ",
                "1 [4/4] COPY --from=base:1 /base.txt /copied.txt", "2 ");
        assertThat(v.record.summaryAfter).isEqualTo("0 steps executed, 2 cached");

        // The same build again the normal way: still the same image, and the record it writes holds too.
        assertThat(inv.build()).isNull();
        assertThat(lastId.toString()).isEqualTo(v.record.imageId);
        assertThat(inv.check().miss).isNull();
    }

    @Test
    void aFileRewrittenWithTheSameSizeAndMtimeIsSeen() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        Path a = ctx.resolve("src/a.txt");
        FileTime mtime = Files.getLastModifiedTime(a);
        Files.writeString(a, "AAAA\n");
        Files.setLastModifiedTime(a, mtime);
        misses(inv, "src/a.txt changed");
    }

    @Test
    void aLargeContextIsCheckedFromDirectoryListingsAsByStats() throws Exception {
        for (int i = 0; i < UpToDate.PARALLEL_ENTRIES + 100; i++) {
            write(ctx.resolve(String.format("src/many/d%02d/f%04d.txt", i % 12, i)), "file " + i + "\n");
        }
        age();
        Invocation inv = app();
        builtAndUpToDate(inv);
        BuildRecord r = record(inv);
        assertThat(UpToDate.listsNatively(r)).as("a context this large is listed natively").isTrue();
        assertThat(UpToDate.checkTree(r, false)).isNull();

        Path early = ctx.resolve("src/many/d01/f0013.txt");
        Path late = ctx.resolve("src/many/d09/f0009.txt");
        for (Path f : List.of(late, early)) {
            FileTime mtime = Files.getLastModifiedTime(f);
            Files.writeString(f, Files.readString(f).toUpperCase());
            Files.setLastModifiedTime(f, mtime);
        }
        // The first changed entry in the tree's order, whichever way its stats are read.
        assertThat(UpToDate.checkTree(r, true)).isEqualTo(early + " changed");
        assertThat(UpToDate.checkTree(r, false)).isEqualTo(early + " changed");
        misses(inv, early + " changed");

        age();
        builtAndUpToDate(inv);
        r = record(inv);
        Files.delete(late);
        assertThat(UpToDate.checkTree(r, true)).isEqualTo(late.getParent() + " changed");
        assertThat(UpToDate.checkTree(r, false)).isEqualTo(late.getParent() + " changed");
    }

    private BuildRecord record(Invocation inv) throws Exception {
        StoreRoot storeRoot = StoreRoot.resolve(inv.root);
        String name = BuildRecord.fileName(inv.argv(), inv.cwd, storeRoot.dir().toString());
        BuildRecord r = BuildRecord.decode(Files.readAllBytes(BuildRecordFiles.path(storeRoot, name)));
        assertThat(r).isNotNull();
        return r;
    }

    private Runnable rewrite(String file, String text) {
        return () -> {
            try {
                Files.writeString(ctx.resolve(file), text);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
    }

    @Test
    void aFileChangedAfterTheBuildStartedLeavesNoRecord() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        // Racy: whether the build read the file before or after this change, its stat cannot tell.
        inv.afterStart = rewrite("src/a.txt", "again\n");
        assertThat(inv.build()).contains("src/a.txt changed since the build started");
        misses(inv, "no record");
    }

    @Test
    void aFileChangedWhileTheBuildRunsIsNeverTrusted() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        // The context's stats are taken beside the build: before this change (a stale stat, so the
        // check misses) or after it (racy, so no record). Either way the next build runs.
        inv.duringBuild = rewrite("src/a.txt", "during\n");
        inv.build();
        UpToDate.Verdict v = inv.check();
        assertThat(v.record).isNull();
        assertThat(v.miss).containsAnyOf("no record", "src/a.txt changed");
    }

    @Test
    void addedAndDeletedFilesAreSeen() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        write(ctx.resolve("src/sub/new.txt"), "new\n");
        misses(inv, "src/sub changed");
        age();
        builtAndUpToDate(inv);
        Files.delete(ctx.resolve("src/a.txt"));
        misses(inv, "src changed");
    }

    @Test
    void ignoreFilesAreInputsPresentOrNot() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        write(ctx.resolve(".dockerignore"), "ignored\n");
        misses(inv, ".dockerignore changed");
        age();
        builtAndUpToDate(inv);
        // What the ignore file leaves out is not an input: changes there keep the build up to date.
        write(ctx.resolve("ignored/x.log"), "other\n");
        write(ctx.resolve("ignored/y.log"), "new\n");
        assertThat(inv.check().miss).isNull();
        write(ctx.resolve(".dockerignore"), "ignored\nsrc/sub\n");
        misses(inv, ".dockerignore changed");
        age();
        builtAndUpToDate(inv);
        write(ctx.resolve("Dockerfile.dockerignore"), "src\n");
        misses(inv, "Dockerfile.dockerignore changed");
    }

    @Test
    void anExcludedDirectoryAnExceptionReachesIsWatched() throws Exception {
        write(ctx.resolve(".dockerignore"), "ignored\n!ignored/*.txt\n");
        age();
        Invocation inv = app();
        builtAndUpToDate(inv);
        write(ctx.resolve("ignored/now-included.txt"), "in\n");
        misses(inv, "ignored changed");
    }

    @Test
    void theDockerfileAndTheLintConfigAreInputs() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        Files.writeString(ctx.resolve("Dockerfile"), Files.readString(ctx.resolve("Dockerfile")) + "LABEL a=b\n");
        misses(inv, "Dockerfile changed");
        age();
        builtAndUpToDate(inv);
        write(dir.resolve(".slipway.yaml"), "ignore: [RootUser]\n");
        misses(inv, ".slipway.yaml changed");
    }

    @Test
    void otherArgumentsAreAnotherInvocation() throws Exception {
        builtAndUpToDate(app());
        misses(new Invocation().tag("app:2"), "no record");
        misses(app().target("0"), "no record");
        misses(app().buildArg("NAME=x"), "no record");
    }

    @Test
    void theEnvironmentABuildReadIsAnInput() throws Exception {
        env.put("NAME", "first");
        Invocation inv = app().buildArg("NAME");
        builtAndUpToDate(inv);
        env.put("NAME", "second");
        misses(inv, "$NAME changed");
        env.remove("NAME");
        misses(inv, "$NAME changed");
        env.put("NAME", "first");
        assertThat(inv.check().miss).isNull();

        env.put("SOURCE_DATE_EPOCH", "1700000000");
        misses(inv, "$SOURCE_DATE_EPOCH changed");
        builtAndUpToDate(inv);
        env.put("SOURCE_DATE_EPOCH", "1700000001");
        misses(inv, "$SOURCE_DATE_EPOCH changed");
    }

    @Test
    void aMovedBaseTagARemovedImageAndAPrunedCacheAreSeen() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        // base:1 now names another image (the app itself will do).
        store.references().set(ImageReference.parse("base:1"),
                store.references().get(ImageReference.parse("app:1")).orElseThrow().target());
        misses(inv, "docker.io/library/base:1 was retagged");

        ImageBuilder.forHost(store, Progress.QUIET).build(BuildRequest.of(dir.resolve("base"))
                .withTags(List.of("base:1")));
        age();
        builtAndUpToDate(inv);
        store.references().remove(ImageReference.parse("app:1"));
        store.prune();
        misses(inv, "docker.io/library/app:1 was retagged or removed");

        builtAndUpToDate(inv);
        store.pruneWithCache();
        misses(inv, "no record");
    }

    @Test
    void aPrunedCacheRecordIsSeenEvenWithTheBuildRecordKept() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        UpToDate.Verdict v = inv.check();
        Files.delete(root.resolve("cache").resolve(v.record.cacheKeys[0] + ".json"));
        misses(inv, "cache record " + v.record.cacheKeys[0]);
    }

    /** Renames another build's record over one that {@code result} used, naming another layer. */
    private String rewriteARecordOf(ImageBuilder.Result result) {
        Digest key = result.inputs().layerRecords().keySet().iterator().next();
        Path file = root.resolve("cache").resolve(key.hex() + ".json");
        try {
            String other = Files.readString(file).replace(result.inputs().layerRecords().get(key).hex(),
                    "0".repeat(64));
            Path tmp = root.resolve("tmp").resolve("other-writer");
            Files.writeString(tmp, other);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return key.toString();
    }

    @Test
    void aCacheRecordTheBuildWroteRewrittenBeforeItsRecordLeavesNoRecord() throws Exception {
        buildWithARecordRewrittenBeforeItsRecordLeavesNoRecord();
    }

    @Test
    void aCacheRecordTheBuildReadRewrittenBeforeItsRecordLeavesNoRecord() throws Exception {
        builtAndUpToDate(app());
        // Another process: the records are read by the cached build, not remembered from writing them.
        store = Store.open(root);
        buildWithARecordRewrittenBeforeItsRecordLeavesNoRecord();
    }

    /** A build during which another writer replaces one of its cache records: no up-to-date record. */
    private void buildWithARecordRewrittenBeforeItsRecordLeavesNoRecord() throws Exception {
        Invocation inv = app();
        List<String> rewritten = new ArrayList<>();
        inv.beforeFinish = result -> rewritten.add(rewriteARecordOf(result));
        String why = inv.build();
        assertThat(rewritten).hasSize(1);
        assertThat(why).isEqualTo("cache record " + rewritten.get(0) + " changed during the build");
        misses(inv, "no record");
    }

    @Test
    void onlyTheJarAndTheInvocationThatWroteARecordTrustIt() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        Invocation otherJar = app();
        otherJar.jar = JAR.replace(" 100 ", " 101 ");
        misses(otherJar, "another Slipway jar");
        Invocation noJar = app();
        noJar.jar = null;
        misses(noJar, "not run from a jar");
        Invocation elsewhere = app();
        elsewhere.cwd = ctx.toString();
        misses(elsewhere, "no record");
        Invocation otherRoot = app();
        otherRoot.root = dir.resolve("other-root");
        misses(otherRoot, "no record");
    }

    @Test
    void aGarbledRecordIsNoRecord() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        Path record = BuildRecordFiles.path(store.root(), BuildRecord.fileName(inv.argv(), cwd, root.toString()));
        byte[] bytes = Files.readAllBytes(record);
        bytes[bytes.length / 2] ^= 1;
        Files.write(record, bytes);
        misses(inv, "unreadable");
        Files.write(record, new byte[] {1, 2, 3});
        misses(inv, "unreadable");
    }

    @Test
    void buildsTheCheckCannotVouchForLeaveNoRecord() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        Invocation noCache = app();
        noCache.unrecordable = "--no-cache";
        assertThat(noCache.build()).isEqualTo("not recorded");
        misses(inv, "no record");

        Invocation tty = app();
        tty.mode = ProgressMode.TTY;
        assertThat(tty.build()).isEqualTo("not recorded");

        // No step makes a layer: the image gets the build's time, so each build is another image.
        write(ctx.resolve("Dockerfile"), "FROM scratch\nENV A=b\n");
        age();
        assertThat(app().build()).contains("stamped with the time");
        misses(app(), "no record");
    }

    @Test
    void anImageTaggedAsItsOwnBaseLeavesNoRecord() throws Exception {
        // The next build of FROM base:1 ... -t base:1 starts from this one: it is never up to date.
        Invocation inv = new Invocation().tag("base:1");
        assertThat(inv.build()).contains("both a base of the build and its result");
        misses(inv, "no record");
    }

    @Test
    void optionsOutsideTheArgvAreRefused() {
        assertThat(BuildRecorder.unrecordable(List.of("--tag", "--quiet", "--root", "--build-arg"))).isNull();
        assertThat(BuildRecorder.unrecordable(List.of("--tag", "--no-cache"))).isEqualTo("--no-cache");
        for (String o : List.of("--pull", "--push", "--cache-to", "--cache-from", "--secret", "--ssh", "--iidfile",
                "--debug", "--check")) {
            assertThat(BuildRecorder.unrecordable(List.of(o))).isEqualTo(o);
        }
    }

    @Test
    void autoProgressIsTrustedOnlyWhileStderrIsNoTerminal() throws Exception {
        Invocation inv = app();
        inv.mode = ProgressMode.AUTO;
        builtAndUpToDate(inv);
        assertThat(UpToDate.check(inv.argv().toArray(String[]::new), cwd, env, JAR, true).miss)
                .contains("terminal");
    }

    @Test
    void theReplayPrintsWhatACachedBuildPrints() throws Exception {
        Invocation inv = app();
        builtAndUpToDate(inv);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        UpToDate.print(inv.check().record, new java.io.PrintStream(out, true), new java.io.PrintStream(err, true),
                System.nanoTime());
        assertThat(out.toString()).isEqualTo(lastId + "\n");
        assertThat(err.toString()).containsPattern("^#1 \\[1/4\\] FROM docker.io/library/base:1\n#1 DONE \\d+\\.\\ds\n\n"
                + "#2 \\[3/4\\] COPY src /src\n#2 CACHED\n\n")
                .containsPattern("built sha256:[0-9a-f]{12} \\(docker.io/library/app:1\\) \\S+ in \\d+\\.\\ds: "
                        + "0 steps executed, 2 cached\n$");
    }

    @Test
    void tenthsRoundAsFormatDoes() {
        for (long ms : new long[] {0, 49, 50, 149, 150, 999, 1000, 1049, 1050, 12345}) {
            assertThat(UpToDate.tenths(ms * 1_000_000L)).isEqualTo(String.format(java.util.Locale.ROOT, "%.1f",
                    ms / 1000.0));
        }
    }
}
