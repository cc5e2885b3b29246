package dev.slipway.build.uptodate;

import dev.slipway.build.ImageBuilder;
import dev.slipway.build.Progress;
import dev.slipway.build.progress.ProgressMode;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.layer.NativeFiles;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import dev.slipway.lint.LintConfig;
import dev.slipway.store.BuildRecordFiles;
import dev.slipway.store.CacheRecords;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import dev.slipway.store.TagRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Writes the {@link BuildRecord} of a build that {@link UpToDate} may later trust, or removes the
 * old one when this build cannot have one. Started before the build reads anything (the time it
 * notes is what the racy-timestamp rule measures against) and finished after it succeeded.
 *
 * <p>A record is written only when every input is one the check can see again:
 * <ul>
 *   <li>only options whose whole effect is in the argv ({@link #ALLOWED_OPTIONS}), never
 *       {@code --no-cache}, {@code --pull}, {@code --push}, registry caches, secrets, SSH,
 *       {@code --iidfile}, {@code --debug};</li>
 *   <li>progress quiet or plain (auto only while stderr is no terminal);</li>
 *   <li>nothing read from outside ({@link dev.slipway.build.BuildInputs#outside}: ADD of a URL,
 *       secret and SSH mounts, a step the cache cannot key, an image stamped with its build time);</li>
 *   <li>no input file (Dockerfile, ignore files, lint config, anything in the context) changed
 *       within {@link #RACY_NANOS} of the build's start or after it, as git's racy-index rule: kernel
 *       timestamps are coarse, so a file changed in the same tick as the build read it could change
 *       again with the same stat; such a build simply leaves no record.</li>
 * </ul>
 */
public final class BuildRecorder {
    /**
     * How much older than the build's start a file's ctime must be to be trusted: well above the
     * kernel's timestamp granularity (a jiffy, 1-10 ms). File systems that keep whole seconds
     * (a ctime with no nanoseconds) need {@link #COARSE_RACY_NANOS}.
     */
    static final long RACY_NANOS = 30_000_000L;
    static final long COARSE_RACY_NANOS = 2_000_000_000L;
    /** Beyond this many context entries a record would cost more to check than it saves. */
    static final int MAX_ENTRIES = 1_000_000;
    /** The environment variables a build reads, besides {@code --build-arg NAME}'s. */
    static final List<String> ENVIRONMENT = List.of("SOURCE_DATE_EPOCH", "BUILDKIT_PROGRESS", "SLIPWAY_RUNTIME",
            "SLIPWAY_SNAPSHOTTER");
    /** The options (by their longest name) whose whole effect on a build is in the argv. */
    static final Set<String> ALLOWED_OPTIONS = Set.of("--tag", "--file", "--target", "--build-arg", "--quiet",
            "--progress", "--jobs", "--platform", "--root", "--label", "--network");

    private final Store store;
    private final List<String> argv;
    private final String cwd;
    private final String name;
    private final String jar;
    private final long started;
    private final byte mode;
    private final Path context;
    private final Path dockerfile;
    private final Map<String, String> environment;
    private final Transcript transcript;
    private final CompletableFuture<Tree> tree;

    private BuildRecorder(Store store, List<String> argv, String cwd, String jar, long started, byte mode,
                          Path context, Path dockerfile, Map<String, String> environment, Progress view) {
        this.store = store;
        this.argv = List.copyOf(argv);
        this.cwd = cwd;
        this.name = fileName(store, argv, cwd);
        this.jar = jar;
        this.started = started;
        this.mode = mode;
        this.context = context;
        this.dockerfile = dockerfile;
        this.environment = environment;
        this.transcript = new Transcript(view);
        // Stat'ed beside the build: any time after its start will do, as the racy rule covers what changed since.
        this.tree = CompletableFuture.supplyAsync(() -> Tree.walk(context, dockerfile));
    }

    /** The wall-clock time in nanoseconds, as file times count: what {@link #start} wants as the build's start. */
    public static long now() {
        Instant t = Instant.now();
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    /** The first option (longest name) whose effect is not wholly in the argv, or null when there is none. */
    public static String unrecordable(Collection<String> options) {
        for (String o : options) {
            if (!ALLOWED_OPTIONS.contains(o)) {
                return o;
            }
        }
        return null;
    }

    /**
     * Starts recording the build that {@code argv} (all of it: global options, {@code build} and
     * its own) runs in {@code cwd} against {@code store}, begun at {@code started} ({@link #now}).
     * Returns null, removing any record of this invocation, when it cannot have one: not run from
     * a jar, an option outside {@link #ALLOWED_OPTIONS} ({@code unrecordable}, from
     * {@link #unrecordable}), or a live terminal view.
     *
     * @param context    the context directory as given
     * @param dockerfile the Dockerfile as the build reads it (the context's when not given)
     * @param buildArgs  the {@code --build-arg} values as given: a bare NAME reads the environment
     * @param view       where progress goes; the build reports to {@link #progress()}, which passes it on
     */
    public static BuildRecorder start(Store store, List<String> argv, String cwd, long started, String unrecordable,
                                      ProgressMode mode, boolean terminal, Path context, Path dockerfile,
                                      List<String> buildArgs, Progress view) {
        return start(store, argv, cwd, BuildRecord.jarIdentity(), System.getenv(), started, unrecordable, mode,
                terminal, context, dockerfile, buildArgs, view);
    }

    static BuildRecorder start(Store store, List<String> argv, String cwd, String jar, Map<String, String> env,
                               long started, String unrecordable, ProgressMode mode, boolean terminal, Path context,
                               Path dockerfile, List<String> buildArgs, Progress view) {
        byte recorded = switch (mode) {
            case QUIET -> BuildRecord.QUIET;
            case PLAIN -> BuildRecord.PLAIN;
            case AUTO -> terminal ? -1 : BuildRecord.AUTO_PLAIN;
            case TTY -> -1;
        };
        // The check missed (or was skipped) to get here: the old record goes whatever this build does.
        forget(store, argv, cwd);
        if (jar == null || unrecordable != null || recorded < 0) {
            return null;
        }
        Map<String, String> environment = new LinkedHashMap<>();
        for (String n : ENVIRONMENT) {
            environment.put(n, env.get(n));
        }
        for (String a : buildArgs) {
            if (a.indexOf('=') < 0) {
                environment.put(a, env.get(a));
            }
        }
        Path dir = Path.of(cwd);
        return new BuildRecorder(store, argv, cwd, jar, started, recorded, dir.resolve(context).toAbsolutePath(),
                dir.resolve(dockerfile).toAbsolutePath(), environment, view);
    }

    /** Removes the record of this invocation, if any. */
    public static void forget(Store store, List<String> argv, String cwd) {
        try {
            BuildRecordFiles.delete(store.root(), fileName(store, argv, cwd));
        } catch (UncheckedIOException e) {
            // A record that cannot be removed cannot be trusted either: the check compares every input.
        }
    }

    private static String fileName(Store store, List<String> argv, String cwd) {
        return BuildRecord.fileName(argv, cwd, store.root().dir().toString());
    }

    /** The progress view the build reports to: the caller's, with what a replay needs kept aside. */
    public Progress progress() {
        return transcript;
    }

    /**
     * After the build succeeded: writes the record, or removes the old one when this build cannot
     * have one. Never throws: the build has succeeded whatever happens here. Returns why no record
     * was written, or null when one was.
     *
     * @param tags the {@code -t} names as given
     * @param lint the lint summary printed after the build's summary (empty when none)
     */
    public String finish(ImageBuilder.Result result, List<String> tags, String lint) {
        String why;
        try {
            why = write(result, tags, lint);
        } catch (RuntimeException | IOException e) {
            why = "cannot write the record: " + e;
        }
        if (why != null) {
            forget(store, argv, cwd);
        }
        return why;
    }

    private String write(ImageBuilder.Result result, List<String> tags, String lint) throws IOException {
        if (transcript.failed()) {
            return "a step failed";
        }
        if (!result.inputs().outside().isEmpty()) {
            return result.inputs().outside().get(0);
        }
        Tree t;
        try {
            t = tree.get();
        } catch (ExecutionException e) {
            return "cannot read the context: " + e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
        if (t.names.size() > MAX_ENTRIES) {
            return "the context has more than " + MAX_ENTRIES + " entries";
        }
        BuildRecord r = new BuildRecord();
        r.argv = argv.toArray(String[]::new);
        r.cwd = cwd;
        r.root = store.root().dir().toString();
        r.jar = jar;
        r.mode = mode;
        r.envNames = environment.keySet().toArray(String[]::new);
        r.envValues = environment.values().toArray(String[]::new);

        Map<String, Boolean> paths = new LinkedHashMap<>();
        paths.put(dockerfile.toString(), true);
        // Both ignore files the build and the linter look for, present or not: a new one changes the context.
        paths.put(dockerfile.resolveSibling(dockerfile.getFileName() + ".dockerignore").toString(), true);
        paths.put(context.resolve(".dockerignore").toString(), true);
        for (Path candidate : lintConfigCandidates(dockerfile)) {
            paths.put(candidate.toString(), true);
        }
        r.paths = paths.keySet().toArray(String[]::new);
        r.follow = new boolean[r.paths.length];
        r.pathStats = new long[r.paths.length * FileStat.FIELDS];
        for (int i = 0; i < r.paths.length; i++) {
            r.follow[i] = paths.get(r.paths[i]);
            FileStat.read(Path.of(r.paths[i]), r.follow[i], r.pathStats, i * FileStat.FIELDS);
            if (racy(r.pathStats, i)) {
                return r.paths[i] + " changed since the build started";
            }
        }
        r.context = context.toString();
        r.parents = t.parents.stream().mapToInt(Integer::intValue).toArray();
        r.names = t.names.toArray(String[]::new);
        long[] stats = t.stats();
        r.directories = new byte[r.names.length];
        r.treeHashes = new long[r.names.length];
        for (int i = 0; i < r.names.length; i++) {
            if (stats[i * FileStat.FIELDS] == FileStat.ABSENT) {
                return "the context changed during the build";
            }
            if (racy(stats, i)) {
                return context.resolve(t.path(i)) + " changed since the build started";
            }
            r.directories[i] = (byte) (FileStat.isDirectory(stats, i * FileStat.FIELDS) ? 1 : 0);
            r.treeHashes[i] = FileStat.hash(stats, i * FileStat.FIELDS);
        }

        String why = store(r, result, tags);
        if (why != null) {
            return why;
        }

        List<Transcript.Event> events = transcript.events();
        r.eventTypes = new byte[events.size()];
        r.eventSteps = new int[events.size()];
        r.eventTexts = new String[events.size()];
        for (int i = 0; i < events.size(); i++) {
            r.eventTypes[i] = events.get(i).type();
            r.eventSteps[i] = events.get(i).step();
            r.eventTexts[i] = events.get(i).text();
        }
        ImageBuilder.Result asCached = result.asCached();
        r.summaryBefore = asCached.summaryHead(tags);
        r.summaryAfter = asCached.summaryTail();
        r.lint = lint;
        r.imageId = result.imageId().toString();
        BuildRecordFiles.write(store.root(), name, r.encode());
        return null;
    }

    /** The store entries the result depends on, checked to still be what the build saw; null when they are. */
    private String store(BuildRecord r, ImageBuilder.Result result, List<String> tags) throws IOException {
        Map<String, Digest> refs = new TreeMap<>();
        for (TagRecord tag : store.references().list().values()) {
            refs.put(tag.reference().toString(), tag.target());
        }
        Map<String, Digest> wanted = new TreeMap<>(result.inputs().tags());
        for (String tag : tags) {
            Digest before = wanted.put(ImageReference.parse(tag).toString(), result.manifestDigest());
            // FROM app:1 ... -t app:1: the next build starts from this image, so it is another build.
            if (before != null && !before.equals(result.manifestDigest())) {
                return tag + " is both a base of the build and its result";
            }
        }
        for (Map.Entry<String, Digest> w : wanted.entrySet()) {
            if (!w.getValue().equals(refs.get(w.getKey()))) {
                return w.getKey() + " was retagged during the build";
            }
        }
        r.refNames = wanted.keySet().toArray(String[]::new);
        r.refTargets = wanted.values().stream().map(Digest::toString).toArray(String[]::new);

        // The image's own manifest and config; its layers stay as long as the tags checked above reach them.
        Set<Digest> blobs = new LinkedHashSet<>();
        blobs.add(result.manifestDigest());
        blobs.add(result.imageId());
        blobs.addAll(result.inputs().blobs());
        StoreRoot root = store.root();
        r.blobs = new String[blobs.size()];
        r.blobSizes = new long[blobs.size()];
        long[] stat = new long[FileStat.FIELDS];
        int i = 0;
        for (Digest d : blobs) {
            FileStat.read(root.blobs().resolve(d.hex()), false, stat, 0);
            if (stat[FileStat.MODE] == FileStat.ABSENT) {
                return "blob " + d + " is gone";
            }
            r.blobs[i] = d.hex();
            r.blobSizes[i++] = stat[1];
        }

        Map<Digest, Digest> records = new TreeMap<>(result.inputs().layerRecords());
        r.cacheKeys = new String[records.size()];
        r.cacheStats = new long[records.size() * FileStat.FIELDS];
        long[] after = new long[FileStat.FIELDS];
        i = 0;
        for (Map.Entry<Digest, Digest> e : records.entrySet()) {
            Path file = root.cache().resolve(e.getKey().hex() + ".json");
            int at = i * FileStat.FIELDS;
            FileStat.read(file, false, r.cacheStats, at);
            CacheRecords.Version seen = store.cache().seen(e.getKey());
            if (seen != null) {
                // The version the build read or wrote, so its content is the one the build used: not read again.
                if (r.cacheStats[at] == FileStat.ABSENT || r.cacheStats[at + FileStat.INODE] != seen.inode()
                        || r.cacheStats[at + FileStat.CTIME] != seen.ctimeNanos()) {
                    return "cache record " + e.getKey() + " changed during the build";
                }
                r.cacheKeys[i++] = e.getKey().hex();
                continue;
            }
            byte[] bytes = Files.readAllBytes(file);
            FileStat.read(file, false, after, 0);
            // Rewritten by another build since this one read it (--no-cache elsewhere): its layer may be another.
            if (!FileStat.same(after, 0, r.cacheStats, i * FileStat.FIELDS)
                    || !new String(bytes, StandardCharsets.UTF_8).contains(e.getValue().toString())) {
                return "cache record " + e.getKey() + " changed during the build";
            }
            r.cacheKeys[i++] = e.getKey().hex();
        }
        return null;
    }

    /** Where the linter looks for its config, as {@link LintConfig#find} does: up to the first that exists. */
    static List<Path> lintConfigCandidates(Path dockerfile) {
        List<Path> out = new ArrayList<>();
        Path dir = dockerfile.toAbsolutePath().getParent();
        for (Path d = dir == null ? null : dir.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
            for (String n : LintConfig.FILE_NAMES) {
                Path candidate = d.resolve(n);
                out.add(candidate);
                if (Files.isRegularFile(candidate)) {
                    return out;
                }
            }
        }
        return out;
    }

    private boolean racy(long[] stats, int i) {
        int at = i * FileStat.FIELDS;
        if (stats[at] == FileStat.ABSENT) {
            return false;
        }
        long ctime = stats[at + FileStat.CTIME];
        long margin = ctime % 1_000_000_000L == 0 ? COARSE_RACY_NANOS : RACY_NANOS;
        return ctime >= started - margin;
    }

    /**
     * The context as the build sees it: every entry the ignore file leaves in, and every excluded
     * directory an exception may reach into (its mtime shows a file appearing there), depth first,
     * entry 0 the context itself. Nothing else is read by COPY, ADD or a bind mount of the context.
     */
    static final class Tree {
        final List<Integer> parents = new ArrayList<>();
        final List<String> names = new ArrayList<>();
        private final List<long[]> stats = new ArrayList<>();
        private final List<String> paths = new ArrayList<>();

        static Tree walk(Path context, Path dockerfile) {
            DockerIgnore ignore = DockerIgnore.load(context, dockerfile);
            Tree t = new Tree();
            try {
                t.add(-1, "", "", context, true);
                if (FileStat.isDirectory(t.stats.get(0), 0)) {
                    t.walk(ignore, 0, "", context);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return t;
        }

        private int add(int parent, String name, String rel, Path path, boolean follow) throws IOException {
            long[] s = new long[FileStat.FIELDS];
            FileStat.read(path, follow, s, 0);
            return add(parent, name, rel, s);
        }

        private int add(int parent, String name, String rel, long[] stat) {
            parents.add(parent);
            names.add(name);
            stats.add(stat);
            paths.add(rel);
            return names.size() - 1;
        }

        private void walk(DockerIgnore ignore, int index, String rel, Path dir) throws IOException {
            List<NativeFiles.Entry> listed = NativeFiles.available() ? NativeFiles.list(dir, false) : null;
            if (listed != null) {
                // One native call for the directory and the stat of each entry: the context may hold thousands.
                List<NativeFiles.Entry> sorted = new ArrayList<>(listed);
                sorted.sort((a, b) -> a.name().compareTo(b.name()));
                for (NativeFiles.Entry e : sorted) {
                    long[] stat = new long[FileStat.FIELDS];
                    FileStat.of(e.stat(), stat, 0);
                    visit(ignore, index, rel, dir, e.name(), stat);
                }
                return;
            }
            List<String> children = new ArrayList<>();
            try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
                for (Path p : s) {
                    children.add(p.getFileName().toString());
                }
            }
            children.sort(null);
            for (String child : children) {
                long[] stat = new long[FileStat.FIELDS];
                FileStat.read(dir.resolve(child), false, stat, 0);
                visit(ignore, index, rel, dir, child, stat);
            }
        }

        private void visit(DockerIgnore ignore, int index, String rel, Path dir, String child, long[] stat) throws IOException {
            String childRel = rel.isEmpty() ? child : rel + "/" + child;
            boolean directory = FileStat.isDirectory(stat, 0);
            // An excluded directory stays when an exception may reach into it: a file appearing there counts.
            if (ignore.excludes(childRel) && !(directory && ignore.mayIncludeUnder(childRel))) {
                return;
            }
            int at = add(index, child, childRel, stat);
            if (directory) {
                walk(ignore, at, childRel, dir.resolve(child));
            }
        }

        String path(int i) {
            return paths.get(i);
        }

        long[] stats() {
            long[] all = new long[stats.size() * FileStat.FIELDS];
            for (int i = 0; i < stats.size(); i++) {
                System.arraycopy(stats.get(i), 0, all, i * FileStat.FIELDS, FileStat.FIELDS);
            }
            return all;
        }
    }
}
