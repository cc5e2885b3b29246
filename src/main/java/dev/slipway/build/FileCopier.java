package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.exec.RootPath;
import dev.slipway.build.exec.UserResolver;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.dockerfile.GoGlob;
import dev.slipway.dockerfile.Instruction.SourceContent;
import dev.slipway.image.Digest;
import dev.slipway.layer.NativeFiles;
import dev.slipway.layer.Syscalls;
import dev.slipway.store.StatMemo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * COPY and ADD without a container: reads sources from the build context or another stage's
 * root and writes them into a destination root (a step's overlay view, or an empty directory
 * for {@code --link}), with BuildKit's rules (see {@code buildkit-semantics.md} 1.6, 1.7, 1.10):
 * wildcards that may match nothing, directory sources copying their contents, a trailing slash
 * meaning "into", missing parents made 0755 and owned by the --chown user, owners 0:0 for context
 * files and kept for other stages, modes and mtimes kept unless --chmod, symlinks inside copied
 * trees copied as symlinks while a named source is followed (inside its root only).
 *
 * <p>ADD also unpacks local tar archives (plain, gzip, bzip2, xz, zstd; told by content) and
 * downloads {@code http(s)} URLs. Git sources are refused.
 */
public final class FileCopier {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final Pattern URL = Pattern.compile("(?i)^https?://.*");
    private static final Pattern GIT = Pattern.compile("(?i)^(git@[^:]+:.*|ssh://.*|git://.*|https?://[^?#]*\\.git([?#].*)?)$");
    private static final int S_IFMT = 0170000;
    private static final long RACY_NANOS = 2_000_000_000L;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFBLK = 0060000;
    /** Fewer files than this are written on the calling thread alone. */
    private static final int PARALLEL_FILES = 64;
    /** What {@link Run#applyMeta} compares before changing anything. */
    private static final String META = "unix:mode,uid,gid,lastModifiedTime,lastAccessTime";
    private static final String SECURITY_CAPABILITY = "security.capability";
    /** Files up to this size are hashed from one native read. */
    private static final int SMALL_FILE = 1 << 20;

    /** Numeric owner of what a copy writes. */
    public record Owner(int uid, int gid) {
        public static final Owner ROOT = new Owner(0, 0);
    }

    // Made on the first ADD of a URL: a client starts a selector thread and sets up TLS, which was
    // a third of the CPU of a fully cached build that only hashes its COPY sources.
    private final Supplier<HttpClient> newHttp;
    private HttpClient http;
    /** Wall-clock nanoseconds since the epoch; decides which files are old enough to memoize. */
    private final LongSupplier clock;
    private final Parallel parallel;
    /** Whether files are listed, read and copied through {@link NativeFiles} (else java.nio). */
    private final boolean nativeFiles;

    public FileCopier() {
        this(() -> HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build(), FileCopier::wallClock, Parallel.forCores(),
                NativeFiles.available());
    }

    public FileCopier(HttpClient http) {
        this(() -> http, FileCopier::wallClock, Parallel.forCores(), NativeFiles.available());
    }

    /** For tests: a copier that sees the time as {@code clock} says. */
    FileCopier(LongSupplier clock) {
        this(() -> HttpClient.newHttpClient(), clock, Parallel.forCores(), NativeFiles.available());
    }

    /** For tests: a copier that writes files on {@code threads} threads. */
    FileCopier(int threads) {
        this(threads, NativeFiles.available());
    }

    /** For tests: as {@link #FileCopier(int)}, through java.nio alone unless {@code nativeFiles}. */
    FileCopier(int threads, boolean nativeFiles) {
        this(() -> HttpClient.newHttpClient(), FileCopier::wallClock, new Parallel(threads), nativeFiles);
    }

    private FileCopier(Supplier<HttpClient> newHttp, LongSupplier clock, Parallel parallel, boolean nativeFiles) {
        if (nativeFiles && !NativeFiles.available()) {
            throw new IllegalArgumentException("the native file calls are not available");
        }
        this.newHttp = newHttp;
        this.clock = clock;
        this.parallel = parallel;
        this.nativeFiles = nativeFiles;
    }

    private static long wallClock() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = newHttp.get();
        }
        return http;
    }

    /** Copies into {@code destRoot}, resolving --chown names with the passwd and group files there. */
    public void copy(CopyRequest request, CopySource source, Path destRoot) {
        copy(request, source, destRoot, destRoot);
    }

    /**
     * Copies into {@code destRoot}; --chown names are looked up in {@code usersRoot} (the stage's
     * root: with --link the destination is an empty directory, but names still mean the stage's users).
     */
    public void copy(CopyRequest request, CopySource source, Path destRoot, Path usersRoot) {
        validate(request);
        Run run = new Run(request, new SourceTree(source, nativeFiles));
        run.owner = request.chown() == null ? null : resolveOwner(request.chown(), usersRoot);
        run.dest = new DestTree(destRoot, run.owner == null ? Owner.ROOT : run.owner);
        try {
            run.copyAll();
        } catch (IOException e) {
            throw new SlipwayException((request.add() ? "ADD" : "COPY") + " failed: " + e, e);
        }
    }

    /**
     * A digest of what the request would copy: names, types, modes, owners (not for context
     * files, whose owners do not count), sizes, link targets and contents of every selected
     * entry, plus heredoc bodies and URLs; never timestamps. Same selection as {@link #copy}, so
     * a missing source fails here too.
     */
    public Digest checksum(CopyRequest request, CopySource source) {
        return checksum(request, source, null);
    }

    /**
     * As {@link #checksum(CopyRequest, CopySource)}, taking a context file's content digest from
     * {@code memo} while its stat is unchanged and teaching the memo what it had to read; the
     * result is the same with or without a memo.
     */
    public Digest checksum(CopyRequest request, CopySource source, StatMemo memo) {
        validate(request);
        Run run = new Run(request, new SourceTree(source, nativeFiles));
        run.memo = memo;
        try {
            return run.checksum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * BuildKit's --chown: a numeric user is its own gid unless a group is given; a named user
     * takes uid and gid from passwd; a named group from group. Like BuildKit, a name with no entry
     * (or no passwd/group file) leaves the id at 0.
     */
    static Owner resolveOwner(String chown, Path usersRoot) {
        int colon = chown.indexOf(':');
        String user = colon < 0 ? chown : chown.substring(0, colon);
        String group = colon < 0 ? null : chown.substring(colon + 1);
        int uid = 0;
        int gid = 0;
        Integer numericUser = numeric(user);
        if (numericUser != null) {
            uid = numericUser;
            gid = numericUser;
        } else if (!user.isEmpty()) {
            for (String[] f : entries(usersRoot, "/etc/passwd")) {
                if (f.length > 3 && f[0].equals(user) && numeric(f[2]) != null && numeric(f[3]) != null) {
                    uid = numeric(f[2]);
                    gid = numeric(f[3]);
                    break;
                }
            }
        }
        if (group != null && !group.isEmpty()) {
            Integer numericGroup = numeric(group);
            if (numericGroup != null) {
                gid = numericGroup;
            } else {
                for (String[] f : entries(usersRoot, "/etc/group")) {
                    if (f.length > 2 && f[0].equals(group) && numeric(f[2]) != null) {
                        gid = numeric(f[2]);
                        break;
                    }
                }
            }
        }
        return new Owner(uid, gid);
    }

    private static Integer numeric(String s) {
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        long v = Long.parseLong(s);
        if (v > 0xffffffffL) {
            throw new SlipwayException("invalid --chown id: " + s);
        }
        return (int) v;
    }

    private static List<String[]> entries(Path root, String file) {
        List<String[]> out = new ArrayList<>();
        SourceTree tree = new SourceTree(new CopySource.Rootfs(root));
        String real = tree.resolve(file);
        if (real == null || !Files.isRegularFile(tree.host(real), NOFOLLOW)) {
            return out;
        }
        try (InputStream in = Files.newInputStream(tree.host(real))) {
            byte[] b = in.readNBytes(10 << 20);
            for (String line : new String(b, StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    out.add(line.strip().split(":", -1));
                }
            }
        } catch (IOException e) {
            throw new SlipwayException("cannot read " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static void validate(CopyRequest r) {
        String what = r.add() ? "ADD" : "COPY";
        for (String s : r.sources()) {
            if (GIT.matcher(s).matches()) {
                throw new SlipwayException(r.add()
                        ? "ADD of git sources is not supported yet: " + s
                        : "source can't be a git ref for COPY");
            }
            if (URL.matcher(s).matches() && !r.add()) {
                throw new SlipwayException("source can't be a URL for COPY");
            }
        }
        if (r.checksum() != null) {
            if (!r.add()) {
                throw new SlipwayException("--checksum is only valid for ADD");
            }
            if (r.sources().size() + r.contents().size() != 1) {
                throw new SlipwayException("checksum can't be specified for multiple sources");
            }
            if (r.sources().isEmpty() || !URL.matcher(r.sources().get(0)).matches()) {
                throw new SlipwayException("checksum requires HTTP(S) or Git sources");
            }
            Digest.parse(r.checksum());
        }
        if (r.sources().isEmpty() && r.contents().isEmpty()) {
            throw new SlipwayException(what + " has no source");
        }
    }

    static void setOwner(Path p, Owner o) throws IOException {
        Files.setAttribute(p, "unix:uid", o.uid(), NOFOLLOW);
        Files.setAttribute(p, "unix:gid", o.gid(), NOFOLLOW);
    }

    /** One entry to write: its source, where it goes and the source's attributes. */
    private record Entry(Path src, Path target, SourceStat attrs) {
    }

    /** One source path selected for copying. */
    private record Item(String name, String real, String frame, boolean wholeEntry) {
    }

    /** The state of one copy or checksum. */
    private final class Run {
        private final CopyRequest req;
        private final SourceTree tree;
        private final ChmodSpec chmod;
        private final DockerIgnore exclude;
        private final String destAbs;
        private final boolean intoDir;
        private Owner owner;
        private DestTree dest;
        private StatMemo memo;
        /** Files, links and special files of the item being copied, written by {@link #finishItem}. */
        private final List<Entry> leaves = new ArrayList<>();
        /** Directories of the item being copied, deepest first, whose metadata waits for their contents. */
        private final List<Entry> directories = new ArrayList<>();

        Run(CopyRequest req, SourceTree tree) {
            this.req = req;
            this.tree = tree;
            this.chmod = ChmodSpec.parse(req.chmod());
            this.exclude = compileExcludes(req.excludes());
            String d = req.dest();
            this.intoDir = d.isEmpty() || d.equals(".") || d.endsWith("/");
            this.destAbs = SourceTree.clean(d.startsWith("/") ? d : req.workdir() + "/" + d);
        }

        void copyAll() throws IOException {
            for (String src : req.sources()) {
                if (URL.matcher(src).matches()) {
                    download(src);
                    continue;
                }
                for (Item item : select(src)) {
                    copyItem(item);
                }
            }
            for (SourceContent c : req.contents()) {
                byte[] data = c.data().getBytes(StandardCharsets.UTF_8);
                Path target = fileTarget(c.path());
                Path tmp = Files.createTempFile(target.getParent(), ".slipway-heredoc", null);
                Files.write(tmp, data);
                place(tmp, target);
                setOwner(target, ownerOr(Owner.ROOT));
                Files.setAttribute(target, "unix:mode", chmod == null ? 0644 : chmod.apply(0644, false), NOFOLLOW);
            }
        }

        private Owner ownerOr(Owner source) {
            return owner != null ? owner : source;
        }

        private Path fileTarget(String name) throws IOException {
            return intoDir ? dest.dir(destAbs).resolve(name) : dest.fileTarget(destAbs, name);
        }

        /** The entries one source names: itself, its wildcard matches, or its --parents matches. */
        private List<Item> select(String src) {
            List<Item> items = new ArrayList<>();
            if (req.parents()) {
                int pivot = src.indexOf("/./");
                String base = pivot >= 0 ? SourceTree.clean(src.substring(0, pivot)) : "";
                String pattern = SourceTree.clean(pivot >= 0 ? src.substring(pivot + 3) : src);
                if (tree.resolve(base) == null) {
                    throw notFound(base);
                }
                String full = SourceTree.join(base, pattern);
                List<String> matches;
                if (GoGlob.containsWildcards(pattern)) {
                    checkPattern(full);
                    matches = tree.glob(full, true);
                } else {
                    if (tree.resolve(full) == null) {
                        throw notFound(full);
                    }
                    matches = List.of(full);
                }
                List<String> taken = new ArrayList<>();
                for (String m : matches) {
                    String rel = base.isEmpty() ? m : m.substring(base.length() + 1);
                    boolean covered = taken.stream().anyMatch(t -> t.isEmpty() || rel.startsWith(t + "/"));
                    if (!covered && !(exclude != null && !rel.isEmpty() && exclude.excludes(rel))) {
                        taken.add(rel);
                        items.add(new Item(base, tree.resolve(m), rel, true));
                    }
                }
                return items;
            }
            String path = SourceTree.clean(src);
            if (GoGlob.containsWildcards(path)) {
                checkPattern(path);
                for (String m : tree.glob(path, false)) {
                    String name = m.substring(m.lastIndexOf('/') + 1);
                    if (exclude == null || !exclude.excludes(name)) {
                        items.add(new Item(name, tree.resolve(m), "", false));
                    }
                }
                return items;
            }
            String real = tree.resolve(path);
            if (real == null) {
                throw notFound(path);
            }
            items.add(new Item(path.substring(path.lastIndexOf('/') + 1), real, "", false));
            return items;
        }

        private void checkPattern(String pattern) {
            for (String c : SourceTree.split(pattern)) {
                if (!(req.parents() && c.equals("**"))) {
                    GoGlob.validate(c);
                }
            }
        }

        private void copyItem(Item item) throws IOException {
            Path src = tree.host(item.real());
            SourceStat a = stat(src);
            int type = a.type();
            if (req.parents()) {
                copyWithParents(item, type);
            } else if (req.add() && !Boolean.FALSE.equals(req.unpack()) && type == S_IFREG
                    && ArchiveUnpacker.isArchive(src)) {
                ArchiveUnpacker.unpack(src, dest.dir(destAbs));
                return;
            } else if (type == S_IFDIR) {
                copyChildren(item.real(), "", dest.dir(destAbs));
            } else {
                copyEntry(src, item.real(), "", fileTarget(item.name()), a);
            }
            finishItem();
        }

        /** --parents: the path below the pivot is recreated under dest, its directories mirroring the source's. */
        private void copyWithParents(Item item, int type) throws IOException {
            Path target = dest.dir(destAbs);
            List<String> comps = SourceTree.split(item.frame());
            String logical = item.name();
            for (int i = 0; i < comps.size() - 1; i++) {
                logical = SourceTree.join(logical, comps.get(i));
                target = target.resolve(comps.get(i));
                String real = tree.resolve(logical);
                ensureDirectory(target);
                applyMeta(target, stat(tree.host(real)), false);
            }
            if (comps.isEmpty()) {
                if (type == S_IFDIR) {
                    copyChildren(item.real(), "", target);
                } else {
                    copyEntry(item.real(), "", target.resolve(item.real().substring(item.real().lastIndexOf('/') + 1)));
                }
                return;
            }
            copyEntry(item.real(), item.frame(), target.resolve(comps.get(comps.size() - 1)));
        }

        private void copyChildren(String real, String frame, Path targetDir) throws IOException {
            for (SourceTree.Child child : tree.list(real)) {
                String name = child.name();
                String childFrame = SourceTree.join(frame, name);
                String childReal = SourceTree.join(real, name);
                Path src = tree.host(childReal);
                SourceStat a = child.attrs() != null ? child.attrs() : stat(src);
                if (exclude != null && exclude.excludes(childFrame)
                        && (a.type() != S_IFDIR || !exclude.mayIncludeUnder(childFrame))) {
                    continue;
                }
                copyEntry(src, childReal, childFrame, targetDir.resolve(name), a);
            }
        }

        private void copyEntry(String real, String frame, Path target) throws IOException {
            Path src = tree.host(real);
            copyEntry(src, real, frame, target, stat(src));
        }

        /**
         * Copies one entry (a whole tree for a directory) to exactly {@code target}. Directories
         * are made at once; everything else is queued for {@link #finishItem}, and so is each
         * directory's metadata, which must come after its contents (they change its mtime).
         */
        private void copyEntry(Path src, String real, String frame, Path target, SourceStat a) throws IOException {
            int type = a.type();
            if (type == S_IFDIR) {
                ensureDirectory(target);
                copyChildren(real, frame, target);
                directories.add(new Entry(src, target, a));
            } else if (type == S_IFREG || type == S_IFLNK || type == S_IFIFO || type == S_IFCHR || type == S_IFBLK) {
                leaves.add(new Entry(src, target, a)); // sockets are not copied
            }
        }

        /**
         * Writes the queued files, links and special files, then gives the directories their
         * metadata, deepest first. Many files are written on several threads (each file is a
         * handful of system calls, most of the cost of a large COPY), one directory per thread at
         * a time and in name order within it: the order in which a directory's entries are created
         * is the order some file systems list them in, which RUN steps may see.
         */
        private void finishItem() throws IOException {
            try {
                if (leaves.size() < PARALLEL_FILES) {
                    for (Entry e : leaves) {
                        copyLeaf(e);
                    }
                } else {
                    Map<Path, List<Entry>> byDir = new LinkedHashMap<>();
                    for (Entry e : leaves) {
                        byDir.computeIfAbsent(e.target().getParent(), d -> new ArrayList<>()).add(e);
                    }
                    parallel.run(List.copyOf(byDir.values()), dir -> {
                        for (Entry e : dir) {
                            copyLeaf(e);
                        }
                    });
                }
                for (Entry d : directories) {
                    applyMeta(d.target(), d.attrs(), false);
                }
            } finally {
                leaves.clear();
                directories.clear();
            }
        }

        private void copyLeaf(Entry e) throws IOException {
            SourceStat a = e.attrs();
            int mode = a.mode();
            Path target = e.target();
            switch (mode & S_IFMT) {
                case S_IFREG -> copyFile(e.src(), target, a);
                case S_IFLNK -> {
                    removeNonDirectory(target);
                    Files.createSymbolicLink(target, Files.readSymbolicLink(e.src()));
                    applyMeta(target, a, true);
                }
                default -> {
                    removeNonDirectory(target);
                    mknod(target, mode, a.rdev());
                    applyMeta(target, a, false);
                }
            }
        }

        /**
         * A regular file is written straight to its target when nothing is there (the common case:
         * a COPY into a fresh snapshot), else next to it and renamed over it. The native copy gives
         * it the owner, mode and times the COPY asks for and the source's xattrs through its open
         * file; java.nio's copies the source's, and {@link #applyMeta} then changes what differs.
         */
        private void copyFile(Path src, Path target, SourceStat a) throws IOException {
            try {
                if (nativeFiles) {
                    Owner want = wantedOwner(a);
                    NativeFiles.copy(src, target, want.uid(), want.gid(), wantedPerm(a), a.atime(), a.mtime());
                } else {
                    Files.copy(src, target, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                    applyMeta(target, a, false);
                }
                return;
            } catch (FileAlreadyExistsException e) {
                if (Files.isDirectory(target, NOFOLLOW)) {
                    throw new SlipwayException("cannot replace directory " + display(target) + " with a file");
                }
            }
            Path tmp = stagingCopy(src, target);
            try {
                applyMeta(tmp, a, false);
                place(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /** A copy of {@code src} under a fresh hidden name beside {@code target}. */
        private Path stagingCopy(Path src, Path target) throws IOException {
            for (int attempt = 0; ; attempt++) {
                Path tmp = target.resolveSibling(".slipway-copy-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
                try {
                    Files.copy(src, tmp, StandardCopyOption.COPY_ATTRIBUTES, NOFOLLOW);
                    return tmp;
                } catch (FileAlreadyExistsException e) {
                    if (attempt == 100) {
                        throw e;
                    }
                }
            }
        }

        private void ensureDirectory(Path target) throws IOException {
            BasicFileAttributes existing = RootPath.lstat(target);
            if (existing == null) {
                Files.createDirectory(target);
            } else if (!existing.isDirectory()) {
                throw new SlipwayException("cannot copy to non-directory: " + display(target));
            }
        }

        private void removeNonDirectory(Path target) throws IOException {
            BasicFileAttributes existing = RootPath.lstat(target);
            if (existing != null) {
                if (existing.isDirectory()) {
                    throw new SlipwayException("cannot replace directory " + display(target));
                }
                Files.delete(target);
            }
        }

        private String display(Path target) {
            return target.getFileName() == null ? "/" : target.getFileName().toString();
        }

        /**
         * Gives {@code target} the owner, mode and times the COPY asks for, changing only what
         * differs (each change is a system call that dirties the inode). Owner first: chown clears
         * setuid and setgid, which the mode then restores.
         */
        private void applyMeta(Path target, SourceStat a, boolean symlink) throws IOException {
            Map<String, Object> now = Files.readAttributes(target, META, NOFOLLOW);
            Owner want = wantedOwner(a);
            boolean chown = (int) now.get("uid") != want.uid() || (int) now.get("gid") != want.gid();
            // chown clears a file capability; the native copy sets the xattrs after the owner and keeps it.
            byte[] capability = chown && (a.mode() & S_IFMT) == S_IFREG && Syscalls.available()
                    ? Syscalls.getXattr(target, SECURITY_CAPABILITY) : null;
            boolean chowned = false;
            if ((int) now.get("uid") != want.uid()) {
                Files.setAttribute(target, "unix:uid", want.uid(), NOFOLLOW);
                chowned = true;
            }
            if ((int) now.get("gid") != want.gid()) {
                Files.setAttribute(target, "unix:gid", want.gid(), NOFOLLOW);
                chowned = true;
            }
            if (capability != null) {
                Syscalls.setXattr(target, SECURITY_CAPABILITY, capability);
            }
            if (!symlink) {
                int perm = wantedPerm(a);
                if (perm != ((int) now.get("mode") & 07777) || (chowned && (perm & 06000) != 0)) {
                    Files.setAttribute(target, "unix:mode", perm, NOFOLLOW);
                }
            }
            FileTime mtime = a.mtime();
            FileTime atime = a.atime();
            if (!mtime.equals(now.get("lastModifiedTime")) || !atime.equals(now.get("lastAccessTime"))) {
                Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW).setTimes(mtime, atime, null);
            }
        }

        /** The owner the COPY gives what it writes from a source with attributes {@code a}. */
        private Owner wantedOwner(SourceStat a) {
            return ownerOr(tree.isContext() ? Owner.ROOT : new Owner(a.uid(), a.gid()));
        }

        /** The permission bits the COPY gives what it writes from a source with mode {@code a.mode()}. */
        private int wantedPerm(SourceStat a) {
            int mode = a.mode();
            return chmod == null ? mode & 07777 : chmod.apply(mode & 07777, (mode & S_IFMT) == S_IFDIR);
        }

        private void download(String url) throws IOException {
            URI uri = URI.create(url);
            String name = uri.getPath() == null ? "" : uri.getPath();
            name = name.substring(name.lastIndexOf('/') + 1);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                name = "__unnamed__";
            }
            Path tmp = Files.createTempFile("slipway-add", null);
            try {
                HttpResponse<Path> resp;
                try {
                    resp = http().send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30)).GET().build(),
                            HttpResponse.BodyHandlers.ofFile(tmp));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new SlipwayException("download of " + url + " interrupted", e);
                } catch (IOException e) {
                    throw new SlipwayException("failed to download " + url + ": " + e.getMessage(), e);
                }
                if (resp.statusCode() / 100 != 2) {
                    throw new SlipwayException("failed to download " + url + ": HTTP status " + resp.statusCode());
                }
                if (req.checksum() != null) {
                    Digest want = Digest.parse(req.checksum());
                    Digest got = sha256(tmp);
                    if (!want.equals(got)) {
                        throw new SlipwayException("checksum mismatch for " + url + ": expected " + want + ", got " + got);
                    }
                }
                if (Boolean.TRUE.equals(req.unpack()) && ArchiveUnpacker.isArchive(tmp)) {
                    ArchiveUnpacker.unpack(tmp, dest.dir(destAbs));
                    return;
                }
                Path target = fileTarget(name);
                Path staged = Files.createTempFile(target.getParent(), ".slipway-add", null);
                Files.copy(tmp, staged, StandardCopyOption.REPLACE_EXISTING);
                place(staged, target);
                setOwner(target, ownerOr(Owner.ROOT));
                Files.setAttribute(target, "unix:mode", chmod == null ? 0600 : chmod.apply(0600, false), NOFOLLOW);
                FileTime mtime = resp.headers().firstValue("Last-Modified").map(FileCopier::httpDate).orElse(null);
                if (mtime != null) {
                    Files.setLastModifiedTime(target, mtime);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }

        /** Moves a fully written temporary file into place, replacing a file or symlink there. */
        private void place(Path tmp, Path target) throws IOException {
            BasicFileAttributes existing = RootPath.lstat(target);
            if (existing != null && existing.isDirectory()) {
                Files.deleteIfExists(tmp);
                throw new SlipwayException("cannot replace directory " + display(target) + " with a file");
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }

        Digest checksum() throws IOException {
            MessageDigest md = Digest.newSha256();
            for (String src : req.sources()) {
                if (URL.matcher(src).matches()) {
                    md.update(("url\0" + src + "\n").getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                for (Item item : select(src)) {
                    md.update(("item\0" + item.name() + "\0" + item.frame() + "\n").getBytes(StandardCharsets.UTF_8));
                    hashEntry(md, item.real(), item.frame(), !item.wholeEntry(), stat(tree.host(item.real())));
                }
            }
            for (SourceContent c : req.contents()) {
                md.update(("heredoc\0" + c.path() + "\0").getBytes(StandardCharsets.UTF_8));
                md.update(Digest.sha256(c.data().getBytes(StandardCharsets.UTF_8)).toString().getBytes(StandardCharsets.UTF_8));
                md.update((byte) '\n');
            }
            return Digest.fromMessageDigest(md.digest());
        }

        private void hashEntry(MessageDigest md, String real, String frame, boolean root, SourceStat a) throws IOException {
            int mode = a.mode();
            int type = mode & S_IFMT;
            boolean owners = !tree.isContext();
            String link = type == S_IFLNK ? tree.readLink(real) : "";
            String content = type == S_IFREG ? content(tree.host(real), a).toString() : "";
            long size = type == S_IFREG ? a.size() : 0;
            String rec = frame + "\0" + Integer.toOctalString(type == S_IFLNK ? mode | 0777 : mode) + "\0"
                    + (owners ? a.uid() + "\0" + a.gid() : "0\0" + "0") + "\0" + size + "\0" + link
                    + "\0" + content + "\n";
            if (!(root && type == S_IFDIR)) {
                md.update(rec.getBytes(StandardCharsets.UTF_8));
            }
            if (type == S_IFDIR) {
                for (SourceTree.Child child : tree.list(real)) {
                    String childFrame = SourceTree.join(frame, child.name());
                    String childReal = SourceTree.join(real, child.name());
                    SourceStat ca = child.attrs() != null ? child.attrs() : stat(tree.host(childReal));
                    if (exclude != null && exclude.excludes(childFrame)
                            && (ca.type() != S_IFDIR || !exclude.mayIncludeUnder(childFrame))) {
                        continue;
                    }
                    hashEntry(md, childReal, childFrame, false, ca);
                }
            }
        }

        private Digest content(Path file, SourceStat a) throws IOException {
            if (memo == null || !tree.isContext()) {
                return sha256(file);
            }
            StatMemo.Stat stat = new StatMemo.Stat(a.size(), a.mtimeNanos(), a.ctimeNanos(), a.ino(), a.dev(), a.mode(),
                    a.uid(), a.gid());
            Optional<Digest> known = memo.get(file, stat);
            if (known.isPresent()) {
                return known.get();
            }
            Digest sum = sha256(file);
            // Racy git: on a file system with coarse timestamps, a rewrite within the same tick as
            // the stat we just took keeps size, mtime and ctime, so a fresh entry could vouch for
            // stale content. A file untouched for RACY_NANOS can no longer change unnoticed.
            long now = clock.getAsLong();
            if (now - Math.max(stat.mtimeNanos(), stat.ctimeNanos()) > RACY_NANOS) {
                memo.put(file, stat, sum);
            }
            return sum;
        }
    }

    private static DockerIgnore compileExcludes(List<String> patterns) {
        if (patterns.isEmpty()) {
            return null;
        }
        try {
            return DockerIgnore.parse(String.join("\n", patterns));
        } catch (SlipwayException e) {
            throw new SlipwayException("invalid --exclude pattern: " + e.getMessage());
        }
    }

    private static SlipwayException notFound(String path) {
        return new SlipwayException("\"/" + path + "\": not found");
    }

    private SourceStat stat(Path p) throws IOException {
        if (nativeFiles) {
            return SourceStat.of(NativeFiles.lstat(p));
        }
        return SourceStat.of(Files.readAttributes(p, "unix:mode,uid,gid,size,rdev,lastModifiedTime,lastAccessTime,ctime,ino,dev",
                NOFOLLOW));
    }

    private Digest sha256(Path p) throws IOException {
        MessageDigest md = Digest.newSha256();
        byte[] whole = nativeFiles ? NativeFiles.readSmall(p, SMALL_FILE) : null;
        if (whole != null) {
            md.update(whole);
        } else {
            try (InputStream in = new DigestInputStream(Files.newInputStream(p), md)) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
            }
        }
        return Digest.fromMessageDigest(md.digest());
    }

    private static FileTime httpDate(String value) {
        try {
            return FileTime.from(ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void mknod(Path target, int mode, long rdev) throws IOException {
        long major = ((rdev >> 8) & 0xfff) | ((rdev >> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >> 12) & ~0xffL);
        List<String> cmd = new ArrayList<>(List.of("mknod", "-m", Integer.toOctalString(mode & 07777), target.toString()));
        switch (mode & S_IFMT) {
            case S_IFIFO -> cmd.add("p");
            case S_IFCHR -> cmd.addAll(List.of("c", Long.toString(major), Long.toString(minor)));
            default -> cmd.addAll(List.of("b", Long.toString(major), Long.toString(minor)));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (p.waitFor() != 0) {
                throw new SlipwayException("cannot create special file " + target.getFileName() + ": " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlipwayException("interrupted creating " + target.getFileName(), e);
        }
    }
}
