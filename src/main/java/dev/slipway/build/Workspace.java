package dev.slipway.build;

import dev.slipway.RandomIds;
import dev.slipway.SlipwayException;
import dev.slipway.build.exec.Executor;
import dev.slipway.build.exec.RootPath;
import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.build.snapshot.ScratchCleaner;
import dev.slipway.build.snapshot.Snapshotter;
import dev.slipway.dockerfile.DockerIgnore;
import dev.slipway.store.Store;
import dev.slipway.store.WriteBehind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** What the steps of one build share: the request, the store, the runtime, scratch space. */
final class Workspace {
    /** Looks up what {@code from=} / {@code --from} names: a stage (by name or index) or an image. */
    interface StageLookup {
        StageState stateOf(String from, Step step);
    }

    private final BuildRequest request;
    private final String fileName;
    private final StepContext context;
    private final Store store;
    private final Snapshotter snapshotter;
    private final ScratchCleaner scratch;
    private final Executor executor;
    private final LayerCommitter committer;
    private final WriteBehind writes;
    private final Progress progress;
    private final CacheMounts cacheMounts;
    private final StageLookup stages;
    private final BuildCache cache;
    private final SourceChecksums checksums;
    private volatile DockerIgnore ignore;
    private final List<String> outside = new CopyOnWriteArrayList<>();

    Workspace(BuildRequest request, String fileName, StepContext context, Store store, Snapshotter snapshotter,
              ScratchCleaner scratch, Executor executor, Progress progress, StageLookup stages, BuildCache cache,
              WriteBehind writes) {
        this.request = request;
        this.fileName = fileName;
        this.context = context;
        this.store = store;
        this.snapshotter = snapshotter;
        this.scratch = scratch;
        this.executor = executor;
        this.committer = new LayerCommitter(writes, context.epoch());
        this.writes = writes;
        this.progress = progress;
        this.cacheMounts = new CacheMounts(store.root().cacheMounts());
        this.stages = stages;
        this.cache = cache;
        this.checksums = new SourceChecksums(this);
    }

    BuildRequest request() {
        return request;
    }

    String fileName() {
        return fileName;
    }

    StepContext context() {
        return context;
    }

    Store store() {
        return store;
    }

    Snapshotter snapshotter() {
        return snapshotter;
    }

    Executor executor() {
        return executor;
    }

    LayerCommitter committer() {
        return committer;
    }

    /** Where step results go: blobs and cache records synced behind the build, in order. */
    WriteBehind writes() {
        return writes;
    }

    Progress progress() {
        return progress;
    }

    CacheMounts cacheMounts() {
        return cacheMounts;
    }

    StageLookup stages() {
        return stages;
    }

    BuildCache cache() {
        return cache;
    }

    SourceChecksums checksums() {
        return checksums;
    }

    /**
     * Notes that a step read something that neither its cache key nor the build's recorded inputs
     * cover (a URL, a secret, an SSH agent): a rebuild may differ though nothing recorded changed.
     */
    void outsideInput(String why) {
        outside.add(why);
    }

    /** What {@link #outsideInput} noted, in order. */
    List<String> outsideInputs() {
        return List.copyOf(outside);
    }

    /** The context's ignore file, read once. */
    DockerIgnore ignore() {
        if (ignore == null) {
            ignore = DockerIgnore.load(request.context(), request.dockerfile());
        }
        return ignore;
    }

    /** A fresh scratch directory on the store's file system (so upperdirs can be renamed into layers/). */
    Path newArea(String what) {
        return store.newScratchDir("build-" + what);
    }

    /** Hands {@code area} to the background cleaner: nothing may use it afterwards. */
    void deleteArea(Path area) {
        scratch.remove(area);
    }

    /**
     * {@code path} inside {@code root}, symlinks followed as if {@code root} were {@code /}: nothing
     * a context or an image holds can point outside it.
     */
    Path inside(Path root, String path) {
        return RootPath.host(root, path);
    }

    /**
     * A private copy of the context's {@code source} (a file or a directory) as COPY sees it, with
     * what the ignore file excludes left out; an excluded or missing source is not found.
     */
    Path filteredContext(String source, Path area) {
        CopySource.Context ctx = new CopySource.Context(request.context(), ignore());
        String real = new SourceTree(ctx).resolve(source);
        if (real == null) {
            throw new SlipwayException("failed to compute cache key: \"/" + SourceTree.clean(source) + "\": not found");
        }
        Path copy = area.resolve("bind-" + RandomIds.uuid());
        try {
            Files.createDirectories(copy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        new FileCopier().copy(CopyRequest.copy(List.of(source), "/", "/"), ctx, copy);
        Path host = request.context().resolve(real);
        return real.isEmpty() || Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS) ? copy
                : copy.resolve(Path.of(real).getFileName().toString());
    }

    /** Copies a file or tree with its owners, modes and times (cp -a). */
    void copyTree(Path source, Path target) {
        HostCommand.Result r = HostCommand.run(List.of("cp", "-a", "--", source.toString(), target.toString()), null);
        if (!r.ok()) {
            throw new SlipwayException("cannot copy " + source + ": " + r.output());
        }
    }

    /**
     * Writes secret bytes to a file only root can read, on a tmpfs when the host has /dev/shm; the
     * file is removed when the step's cleanup runs.
     */
    Path privateFile(byte[] value, List<AutoCloseable> cleanup) {
        try {
            Path base = Files.isDirectory(Path.of("/dev/shm")) ? Path.of("/dev/shm") : store.root().tmp();
            Path dir = Files.createTempDirectory(base, "slipway-secret-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            cleanup.add(() -> HostCommand.deleteTree(dir));
            Path f = dir.resolve("secret");
            Files.write(f, value);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stage a secret: " + e.getMessage(), e);
        }
    }

    static boolean exists(Path p) {
        return Files.exists(p, LinkOption.NOFOLLOW_LINKS);
    }
}
