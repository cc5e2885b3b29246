package dev.slipway.build.uptodate;

import dev.slipway.build.progress.Terminal;
import dev.slipway.layer.NativeFiles;
import dev.slipway.store.BuildRecordFiles;
import dev.slipway.store.RefsScanner;
import dev.slipway.store.StoreRoot;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The build up-to-date check, as make, ninja and Gradle have one: before anything heavy loads,
 * {@code slipway build} looks for the {@link BuildRecord} its last identical invocation left, and
 * when every input that build read is as it was (same jar, environment, files by stat, store
 * entries), prints what a fully cached build prints and ends, without parsing the Dockerfile or
 * loading the command line library. Anything missing, changed, unreadable or unusual is a miss,
 * never an error: the build then runs the normal way (and writes a new record).
 *
 * <p>Kept to {@code java.nio}, plain arrays and (for a context of thousands of files) the native
 * directory listing, so that the whole check costs a few milliseconds beyond JVM start-up; see {@link BuildRecorder} for what a record holds and when one is written.
 */
public final class UpToDate {
    /** Set (non-empty) to skip the check: every build runs the normal way. */
    public static final String DISABLE = "SLIPWAY_NO_UPTODATE";
    /** Set (non-empty) to have the check say on stderr why it did or did not trust the record. */
    public static final String EXPLAIN = "SLIPWAY_UPTODATE_EXPLAIN";
    /** Contexts with more entries than this are checked by several threads. */
    static final int PARALLEL_ENTRIES = 1024;

    private UpToDate() {
    }

    /** The check's outcome: the trusted record, or why there is none. */
    static final class Verdict {
        final BuildRecord record;
        final String miss;

        private Verdict(BuildRecord record, String miss) {
            this.record = record;
            this.miss = miss;
        }

        static Verdict miss(String why) {
            return new Verdict(null, why);
        }
    }

    /**
     * {@code slipway ARGS}: when they are a build whose record still holds, prints its output to
     * {@code out} and {@code err} and returns true; otherwise prints nothing (unless asked to
     * explain) and returns false.
     */
    public static boolean replay(String[] args, PrintStream out, PrintStream err) {
        long started = System.nanoTime();
        if (!Arrays.asList(args).contains("build")) {
            return false;
        }
        Map<String, String> env = System.getenv();
        if (isSet(env.get(DISABLE))) {
            return false;
        }
        Verdict v;
        try {
            v = check(args, System.getProperty("user.dir"), env, BuildRecord.jarIdentity(), null);
        } catch (IOException | RuntimeException e) {
            v = Verdict.miss("cannot check: " + e);
        }
        if (isSet(env.get(EXPLAIN))) {
            err.println("slipway: up-to-date check: " + (v.record != null ? "up to date, nothing to build" : v.miss));
        }
        if (v.record == null) {
            return false;
        }
        print(v.record, out, err, started);
        return true;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }

    /**
     * Checks the record for {@code args} run in {@code cwd}: {@code jar} is this Slipway's
     * {@link BuildRecord#jarIdentity identity} (null: none, so nothing is trusted) and
     * {@code stderrTerminal} whether auto progress would be the terminal view (null: ask
     * {@link Terminal#isTerminal}, as the normal path does, and only when it matters).
     */
    static Verdict check(String[] args, String cwd, Map<String, String> env, String jar, Boolean stderrTerminal)
            throws IOException {
        if (jar == null) {
            return Verdict.miss("not run from a jar");
        }
        String rootOption = null;
        boolean build = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            if (a.equals("--root")) {
                if (i + 1 >= args.length) {
                    return Verdict.miss("--root without a value");
                }
                value = args[++i];
            } else if (a.startsWith("--root=")) {
                value = a.substring("--root=".length());
            } else if (a.equals("--")) {
                return Verdict.miss("-- in the arguments");
            } else if (!build) {
                if (!a.equals("build")) {
                    return Verdict.miss("not a build");
                }
                build = true;
            }
            if (value != null) {
                if (rootOption != null) {
                    return Verdict.miss("--root given twice");
                }
                rootOption = value;
            }
        }
        if (!build) {
            return Verdict.miss("not a build");
        }
        StoreRoot root = StoreRoot.resolve(rootOption == null ? null : Path.of(cwd).resolve(rootOption));
        String rootPath = root.dir().toString();
        String name = BuildRecord.fileName(Arrays.asList(args), cwd, rootPath);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(BuildRecordFiles.path(root, name));
        } catch (NoSuchFileException e) {
            return Verdict.miss("no record of this build");
        }
        BuildRecord r = BuildRecord.decode(bytes);
        if (r == null) {
            return Verdict.miss("the record is unreadable");
        }
        if (!Arrays.equals(r.argv, args) || !r.cwd.equals(cwd) || !r.root.equals(rootPath)) {
            return Verdict.miss("the record is another invocation's");
        }
        if (!r.jar.equals(jar)) {
            return Verdict.miss("another Slipway jar wrote the record");
        }
        for (int i = 0; i < r.envNames.length; i++) {
            String now = env.get(r.envNames[i]);
            if (now == null ? r.envValues[i] != null : !now.equals(r.envValues[i])) {
                return Verdict.miss("$" + r.envNames[i] + " changed");
            }
        }
        if (r.mode == BuildRecord.AUTO_PLAIN
                && (stderrTerminal != null ? stderrTerminal : Terminal.isTerminal(2))) {
            return Verdict.miss("stderr is a terminal now");
        }
        String miss = checkStore(r, root);
        if (miss == null) {
            miss = checkPaths(r);
        }
        if (miss == null) {
            miss = checkTree(r);
        }
        return miss == null ? new Verdict(r, null) : Verdict.miss(miss);
    }

    private static String checkStore(BuildRecord r, StoreRoot root) throws IOException {
        if (r.refNames.length > 0) {
            byte[] refs;
            try {
                refs = Files.readAllBytes(root.refsFile());
            } catch (NoSuchFileException e) {
                return "no tags in the store";
            }
            Map<String, String> targets = RefsScanner.targets(refs);
            if (targets == null) {
                return "the store's tags are unreadable";
            }
            for (int i = 0; i < r.refNames.length; i++) {
                if (!r.refTargets[i].equals(targets.get(r.refNames[i]))) {
                    return r.refNames[i] + " was retagged or removed";
                }
            }
        }
        long[] stat = new long[FileStat.FIELDS];
        Path blobs = root.blobs();
        for (int i = 0; i < r.blobs.length; i++) {
            FileStat.read(blobs.resolve(r.blobs[i]), false, stat, 0);
            if (stat[FileStat.MODE] == FileStat.ABSENT || stat[1] != r.blobSizes[i]) {
                return "blob sha256:" + r.blobs[i] + " is gone";
            }
        }
        Path cache = root.cache();
        for (int i = 0; i < r.cacheKeys.length; i++) {
            FileStat.read(cache.resolve(r.cacheKeys[i] + ".json"), false, stat, 0);
            if (!FileStat.same(stat, 0, r.cacheStats, i * FileStat.FIELDS)) {
                return "cache record " + r.cacheKeys[i] + " changed or is gone";
            }
        }
        return null;
    }

    private static String checkPaths(BuildRecord r) throws IOException {
        long[] stat = new long[FileStat.FIELDS];
        for (int i = 0; i < r.paths.length; i++) {
            FileStat.read(Path.of(r.paths[i]), r.follow[i], stat, 0);
            if (!FileStat.same(stat, 0, r.pathStats, i * FileStat.FIELDS)) {
                return r.paths[i] + " changed";
            }
        }
        return null;
    }

    /**
     * Stats the context's tree: directories first resolved one by one (their paths name their
     * entries'), then every entry: a large tree through one native listing a directory (with the
     * native library; the first changed entry in order ends it) or by several threads.
     */
    private static String checkTree(BuildRecord r) throws IOException {
        return checkTree(r, listsNatively(r));
    }

    /** Whether the check of {@code r}'s tree lists directories natively rather than stat each entry. */
    static boolean listsNatively(BuildRecord r) {
        // The native library costs a small context more to load than its stats cost.
        return r.names.length > PARALLEL_ENTRIES && NativeFiles.available();
    }

    static String checkTree(BuildRecord r, boolean listed) throws IOException {
        int n = r.names.length;
        Path[] dirs = new Path[n];
        for (int i = 0; i < n; i++) {
            if (r.directories[i] != 0) {
                dirs[i] = i == 0 ? Path.of(r.context) : dirs[r.parents[i]].resolve(r.names[i]);
            }
        }
        if (listed) {
            return checkListed(r, dirs);
        }
        if (n <= PARALLEL_ENTRIES) {
            return new TreeRange(r, dirs, 0, n).check();
        }
        int threads = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));
        TreeRange[] ranges = new TreeRange[threads];
        Thread[] started = new Thread[threads - 1];
        for (int t = 0; t < threads; t++) {
            ranges[t] = new TreeRange(r, dirs, (int) ((long) n * t / threads), (int) ((long) n * (t + 1) / threads));
            if (t > 0) {
                started[t - 1] = new Thread(ranges[t], "slipway-uptodate");
                started[t - 1].setDaemon(true);
                started[t - 1].start();
            }
        }
        ranges[0].run();
        for (Thread t : started) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
        for (TreeRange range : ranges) {
            if (range.miss != null) {
                return range.miss;
            }
        }
        return null;
    }

    /**
     * The tree checked entry by entry in order, each entry's stat taken from one native listing of
     * its directory (the same lstat {@link BuildRecorder} records from), so 3,000 files cost a few
     * dozen calls instead of 3,000 java.nio stats. A name the listing lacks is absent, as a stat
     * would find it; a directory whose names the listing cannot decode has each entry stat'ed.
     */
    private static String checkListed(BuildRecord r, Path[] dirs) throws IOException {
        int n = r.names.length;
        long[] stat = new long[FileStat.FIELDS];
        // Per directory: null until listed, then empty when it had a name java.nio keeps as bytes.
        List<Optional<Map<String, NativeFiles.Stat>>> listings = new ArrayList<>(Collections.nCopies(n, null));
        for (int i = 0; i < n; i++) {
            Path p = dirs[i] != null ? dirs[i] : dirs[r.parents[i]].resolve(r.names[i]);
            Map<String, NativeFiles.Stat> listing = i == 0 ? null : listing(listings, r.parents[i], dirs);
            if (listing == null) {
                // The context itself is found as the build finds it, through symlinks; inside it nothing is followed.
                FileStat.read(p, i == 0, stat, 0);
            } else {
                NativeFiles.Stat s = listing.get(r.names[i]);
                if (s == null) {
                    FileStat.absent(stat, 0);
                } else {
                    FileStat.of(s, stat, 0);
                }
            }
            if (FileStat.hash(stat, 0) != r.treeHashes[i]) {
                return p + " changed";
            }
        }
        return null;
    }

    /** The listing of directory {@code d}, made on first use; null when only per-entry stats will do. */
    private static Map<String, NativeFiles.Stat> listing(List<Optional<Map<String, NativeFiles.Stat>>> listings,
            int d, Path[] dirs) throws IOException {
        Optional<Map<String, NativeFiles.Stat>> listing = listings.get(d);
        if (listing == null) {
            List<NativeFiles.Entry> entries = NativeFiles.list(dirs[d], false);
            if (entries == null) {
                listing = Optional.empty();
            } else {
                Map<String, NativeFiles.Stat> stats = new HashMap<>(entries.size() * 2);
                for (NativeFiles.Entry e : entries) {
                    stats.put(e.name(), e.stat());
                }
                listing = Optional.of(stats);
            }
            listings.set(d, listing);
        }
        return listing.orElse(null);
    }

    /** Entries {@code [from, to)} of the tree, compared with their recorded stats. */
    private static final class TreeRange implements Runnable {
        private final BuildRecord r;
        private final Path[] dirs;
        private final int from;
        private final int to;
        private volatile String miss;

        TreeRange(BuildRecord r, Path[] dirs, int from, int to) {
            this.r = r;
            this.dirs = dirs;
            this.from = from;
            this.to = to;
        }

        @Override
        public void run() {
            try {
                miss = check();
            } catch (IOException | RuntimeException e) {
                miss = "cannot check the context: " + e;
            }
        }

        String check() throws IOException {
            long[] stat = new long[FileStat.FIELDS];
            for (int i = from; i < to; i++) {
                Path p = dirs[i] != null ? dirs[i] : dirs[r.parents[i]].resolve(r.names[i]);
                // The context itself is found as the build finds it, through symlinks; inside it nothing is followed.
                FileStat.read(p, i == 0, stat, 0);
                if (FileStat.hash(stat, 0) != r.treeHashes[i]) {
                    return p + " changed";
                }
            }
            return null;
        }
    }

    /** What a fully cached build prints, with this run's times. */
    static void print(BuildRecord r, PrintStream out, PrintStream err, long started) {
        if (r.mode != BuildRecord.QUIET) {
            StringBuilder s = new StringBuilder(256 + r.eventTypes.length * 64);
            long[] stepStarted = new long[r.eventTypes.length + 2];
            for (int i = 0; i < r.eventTypes.length; i++) {
                int step = r.eventSteps[i];
                switch (r.eventTypes[i]) {
                    case BuildRecord.START -> {
                        if (step >= 0 && step < stepStarted.length) {
                            stepStarted[step] = System.nanoTime();
                        }
                        s.append('#').append(step).append(' ').append(r.eventTexts[i]).append('\n');
                    }
                    case BuildRecord.CACHED -> s.append('#').append(step).append(" CACHED\n\n");
                    case BuildRecord.DONE -> {
                        long since = step >= 0 && step < stepStarted.length && stepStarted[step] != 0
                                ? System.nanoTime() - stepStarted[step] : 0;
                        s.append('#').append(step).append(" DONE ").append(tenths(since)).append("s\n\n");
                    }
                    case BuildRecord.DETAIL -> s.append('#').append(step).append(' ').append(r.eventTexts[i]).append('\n');
                    default -> s.append(r.eventTexts[i]).append('\n');
                }
            }
            s.append(r.summaryBefore).append(" in ").append(tenths(System.nanoTime() - started)).append("s: ")
                    .append(r.summaryAfter).append('\n').append(r.lint);
            err.print(s);
            err.flush();
        }
        out.println(r.imageId);
        out.flush();
    }

    /** Seconds with one decimal, rounded half up, as {@code %.1f} prints them. */
    static String tenths(long nanos) {
        long t = (Math.max(0, nanos) + 50_000_000L) / 100_000_000L;
        return (t / 10) + "." + (t % 10);
    }
}
