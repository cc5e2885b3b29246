package dev.slipway.build;

import dev.slipway.SlipwayException;
import dev.slipway.build.exec.Executor;
import dev.slipway.build.snapshot.ScratchCleaner;
import dev.slipway.build.snapshot.Snapshotter;
import dev.slipway.dockerfile.Dockerfile;
import dev.slipway.dockerfile.DockerfileParser;
import dev.slipway.dockerfile.ShellLexer;
import dev.slipway.image.Descriptor;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.ImageJson;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Manifest;
import dev.slipway.image.MediaTypes;
import dev.slipway.image.Platform;
import dev.slipway.layer.Compression;
import dev.slipway.plan.BuildPlan;
import dev.slipway.plan.PlatformSpec;
import dev.slipway.store.DockerFormat;
import dev.slipway.store.Store;
import dev.slipway.store.StoreRoot;
import dev.slipway.store.WriteBehind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code slipway build}: Dockerfile → plan → solved stages → an image in the store under its tags.
 * Nothing is tagged unless every step succeeded.
 */
public final class ImageBuilder {
    private final Store store;
    private final Progress progress;
    private final Snapshotter snapshotter;
    private final Executor executor;
    private BaseImages.Puller puller;
    private boolean alwaysPull;
    private BuildCache.Remote remoteCache;

    /**
     * The image built: its ID (config digest), manifest digest and config; how many file-system
     * steps ran and how many came from the build cache; and the keys of the cache records the build
     * used or wrote, stage by stage in Dockerfile order (what {@code --cache-to} exports). {@code size}
     * is what {@code slipway images} shows: the layers' uncompressed sizes. {@code inputs}: what
     * else the build depended on, for the up-to-date check.
     */
    public record Result(Digest imageId, Digest manifestDigest, ImageConfig config, long size, int executed,
                         int cached, List<Digest> cacheKeys, BuildInputs inputs) {
        public Result {
            cacheKeys = List.copyOf(cacheKeys);
        }

        /** This result as a rebuild served wholly from the cache reports it: every step cached. */
        public Result asCached() {
            return new Result(imageId, manifestDigest, config, size, 0, executed + cached, cacheKeys, inputs);
        }

        /**
         * The one-line summary {@code slipway build} ends with:
         * {@code built sha256:0123456789ab (app:1.0) 5.2MB in 1.3s: 2 steps executed, 4 cached}.
         */
        public String summary(List<String> tags, Duration elapsed) {
            return summaryHead(tags) + " in " + seconds(elapsed.toMillis()) + ": " + summaryTail();
        }

        /**
         * {@code String.format(Locale.ROOT, "%.1fs", millis / 1000.0)} (rounding half up), by integer
         * arithmetic: the Formatter's first use loads the locale data, ~10 ms at the end of every build.
         */
        static String seconds(long millis) {
            long tenths = (millis + 50) / 100;
            return tenths / 10 + "." + tenths % 10 + "s";
        }

        /** The summary before its time: {@code built sha256:0123456789ab (app:1.0) 5.2MB}. */
        public String summaryHead(List<String> tags) {
            String names = tags.isEmpty() ? "" : " (" + String.join(", ", tags.stream()
                    .map(t -> ImageReference.parse(t).toString()).toList()) + ")";
            return "built " + imageId.algorithm() + ":" + imageId.shortHex() + names + " " + DockerFormat.humanSize(size);
        }

        /** The summary after its time: {@code 2 steps executed, 4 cached}. */
        public String summaryTail() {
            return executed + (executed == 1 ? " step" : " steps") + " executed, " + cached + " cached";
        }
    }

    public ImageBuilder(Store store, Progress progress, Snapshotter snapshotter, Executor executor) {
        this.store = store;
        this.progress = progress;
        this.snapshotter = snapshotter;
        this.executor = executor;
    }

    /** Pulls base images the store lacks (all of them when {@code always}) with {@code puller}. */
    public ImageBuilder withPuller(BaseImages.Puller newPuller, boolean always) {
        this.puller = newPuller;
        this.alwaysPull = always;
        return this;
    }

    /** Asks {@code remote} for the cache records the store lacks ({@code --cache-from}). */
    public ImageBuilder withRemoteCache(BuildCache.Remote remote) {
        this.remoteCache = remote;
        return this;
    }

    /** A store and the host's runtime for builds in it; see {@link #openHost}. */
    public record Host(Store store, Executor executor) {
    }

    /**
     * The store at {@code --root} (or its default) with the host's runtime (runc when available),
     * recovered as {@link Store#open(Path)} recovers it and of the runtime's leftovers in the same
     * check: one look at the mounts and scratch directories, not one per caller.
     */
    public static Host openHost(Path optionRoot) {
        StoreRoot root = StoreRoot.resolve(optionRoot);
        Executor executor = Executor.forHost(root.exec());
        return new Host(Store.open(root, executor.leftovers()), executor);
    }

    /** A builder with the host's snapshotter and runtime (overlay + runc when available). */
    public static ImageBuilder forHost(Store store, Progress progress) {
        Executor executor = Executor.forHost(store.root().exec());
        store.recover(executor.leftovers());
        return new ImageBuilder(store, progress, Snapshotter.forHost(), executor);
    }

    /** {@link #forHost(Store, Progress)} in what {@link #openHost} opened (and recovered). */
    public static ImageBuilder forHost(Host host, Progress progress) {
        return new ImageBuilder(host.store(), progress, Snapshotter.forHost(), host.executor());
    }

    public Result build(BuildRequest request) {
        Path context = request.context();
        if (!Files.isDirectory(context)) {
            throw new SlipwayException("unable to prepare context: path \"" + context + "\" not found");
        }
        Path file = request.dockerfile() != null ? request.dockerfile() : context.resolve("Dockerfile");
        if (!Files.isRegularFile(file)) {
            throw new SlipwayException("failed to read dockerfile: open " + file + ": no such file or directory");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new SlipwayException("failed to read dockerfile " + file + ": " + e.getMessage(), e);
        }
        String fileName = file.getFileName().toString();
        Dockerfile dockerfile = DockerfileParser.parse(text, fileName);
        Map<String, String> args = new LinkedHashMap<>(request.buildArgs());
        Long epoch = request.epoch();
        if (epoch == null && args.containsKey("SOURCE_DATE_EPOCH")) {
            epoch = parseEpoch(args.get("SOURCE_DATE_EPOCH"));
        }
        PlatformSpec host = PlatformSpec.host();
        PlatformSpec targetPlatform = request.platform() == null ? host : PlatformSpec.parse(request.platform());
        BuildPlan plan = BuildPlan.create(dockerfile, new BuildPlan.PlanOptions(args, request.target(), host,
                targetPlatform));
        for (String unused : plan.unusedBuildArgs()) {
            progress.note("WARNING: build argument " + unused + " is not consumed by any stage");
        }
        Platform platform = request.platform() == null ? Platform.host()
                : new Platform(targetPlatform.os(), targetPlatform.architecture(),
                        targetPlatform.variant().isEmpty() ? null : targetPlatform.variant());
        String created = epoch == null ? null : DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(epoch));
        StepContext ctx = new StepContext(new ShellLexer(dockerfile.escapeToken()), created, epoch);

        try (Store.Session session = store.session()) {
            BaseImages images = new BaseImages(store, platform, puller, alwaysPull);
            Solver solver = new Solver(plan, images, platform, progress, request.jobs());
            StageState last;
            CachingExecutor steps;
            Workspace ws;
            Image image;
            Result committed;
            // The scratch directories' removal goes on while the image is written and tagged.
            try (ScratchCleaner scratch = new ScratchCleaner()) {
                // Closed (so drained: every blob and record of a finished step durable) before the image
                // that names them is tagged, and on failure too, so the steps that did finish stay cached.
                try (WriteBehind writes = store.writeBehind()) {
                    ws = new Workspace(request.withEpoch(epoch).withDockerfile(file), fileName, ctx, store,
                            snapshotter.cleaningWith(scratch), scratch, executor, progress, solver,
                            new BuildCache(store, remoteCache), writes);
                    Set<Integer> imageStages = Solver.imageStages(plan);
                    steps = new CachingExecutor(new Steps(ws), ws.cache(), request.noCache(),
                            stage -> !imageStages.contains(stage));
                    try {
                        last = solver.solve(steps);
                    } catch (StepFailedException e) {
                        reportFailure(e, text, fileName);
                        throw e;
                    } finally {
                        executor.releaseIdle();
                    }
                    // Written with the steps' blobs: the close's one sync of the blobs directory covers them too.
                    image = encode(ws.cache().made(last, writes), request, platform);
                    for (ImageJson.Encoded<?> doc : List.of(image.config(), image.manifest())) {
                        if (!store.content().has(doc.digest())) {
                            writes.blob(out -> out.write(doc.bytes()));
                        }
                    }
                }
                committed = commit(image, request);
            }
            List<String> outside = new ArrayList<>(ws.outsideInputs());
            if (last.image().historyOrEmpty().stream().allMatch(h -> h.created() == null)) {
                outside.add("the image is stamped with the time it was built");
            }
            return new Result(committed.imageId(), committed.manifestDigest(), committed.config(), committed.size(),
                    steps.executed(),
                    steps.cached(), steps.keys(), new BuildInputs(images.usedTags(), images.usedBlobs(),
                            steps.layerRecords(), outside));
        }
    }

    private static Long parseEpoch(String value) {
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new SlipwayException("invalid SOURCE_DATE_EPOCH: " + value);
        }
    }

    /** BuildKit's failure summary: the step's output tail and the Dockerfile around the failing line. */
    private void reportFailure(StepFailedException e, String text, String fileName) {
        progress.note("------");
        progress.note(" > " + e.step() + ":");
        for (String l : e.lastLines()) {
            progress.note("   " + l);
        }
        progress.note("------");
        String[] lines = text.split("\n", -1);
        int line = e.line();
        if (line > 0 && line <= lines.length) {
            progress.note(fileName + ":" + line);
            progress.note("--------------------");
            for (int i = Math.max(1, line - 2); i <= Math.min(lines.length, line + 2); i++) {
                progress.note(String.format("%4d | %s%s", i, i == line ? ">>> " : "    ", lines[i - 1]));
            }
            progress.note("--------------------");
        }
    }

    /** The final stage as an image, encoded: its config and manifest (layers uncompressed). */
    private record Image(ImageConfig image, ImageJson.Encoded<ImageConfig> config, List<Descriptor> layers,
                         ImageJson.Encoded<Manifest> manifest) {
    }

    private static Image encode(StageState state, BuildRequest request, Platform platform) {
        ImageConfig image = withCreatedTimes(state.image());
        ImageConfig.ContainerConfig.Builder config = image.configOrEmpty().toBuilder();
        request.labels().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(l -> config.label(l.getKey(), l.getValue()));
        image = image.withConfig(config.build());
        if (request.platform() != null) {
            image = new ImageConfig(image.created(), image.author(), platform.architecture(), platform.os(),
                    image.osVersion(), image.osFeatures(), platform.variant(), image.config(), image.rootfs(),
                    image.history(), image.extra());
        }
        image.checkHistoryMatchesLayers();
        ImageJson.Encoded<ImageConfig> encodedConfig = ImageJson.encode(image);
        List<Descriptor> layers = new ArrayList<>();
        for (LayerDir layer : state.layers()) {
            layers.add(layer.blob());
        }
        Manifest manifest = Manifest.of(encodedConfig.descriptor(MediaTypes.OCI_CONFIG), layers, false);
        return new Image(image, encodedConfig, layers, ImageJson.encode(manifest));
    }

    /** Tags the image, whose config and manifest are durable in the store by now. */
    private Result commit(Image encoded, BuildRequest request) {
        ImageJson.Encoded<ImageConfig> encodedConfig = encoded.config();
        ImageJson.Encoded<Manifest> encodedManifest = encoded.manifest();
        ImageConfig image = encoded.image();
        List<Descriptor> layers = encoded.layers();
        for (String tag : request.tags()) {
            store.references().set(ImageReference.parse(tag), encodedManifest.digest());
        }
        long size = 0;
        for (Descriptor layer : layers) {
            size += uncompressedSize(layer);
        }
        return new Result(encodedConfig.digest(), encodedManifest.digest(), image, size, 0, 0, List.of(), null);
    }

    private long uncompressedSize(Descriptor layer) {
        Compression compression = Compression.ofMediaType(layer.mediaType());
        if (compression == Compression.NONE) {
            return layer.size();
        }
        try (InputStream in = compression.decompress(store.content().open(layer.digest(), false))) {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new SlipwayException("layer " + layer.digest() + " is corrupt: " + e.getMessage(), e);
        }
    }

    /**
     * Fills the {@code created} times left open (no SOURCE_DATE_EPOCH) as BuildKit's exporter
     * ({@code normalizeLayersAndHistory}, {@code patchImageConfig}) does: an entry without a time
     * takes that of the layer step before it, or before any, the first layer step's of this build;
     * the image's {@code created} is the last entry's. Layer steps carry the time they first ran
     * (kept in their cache record), so a rebuild served from the cache writes the same config and
     * gets the same image ID, where stamping the build's own start time would give a new one on
     * every build. With SOURCE_DATE_EPOCH every entry has that time already. A build that made no
     * entry with a time at all (scratch and config instructions only) is stamped now.
     */
    static ImageConfig withCreatedTimes(ImageConfig image) {
        List<ImageConfig.History> history = image.historyOrEmpty();
        String fill = null;
        boolean open = false;
        for (ImageConfig.History h : history) {
            if (h.created() == null) {
                open = true;
            } else {
                fill = h.created();
                if (open) {
                    break;
                }
            }
        }
        if (fill == null) {
            fill = DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
        List<ImageConfig.History> filled = new ArrayList<>();
        open = false;
        for (ImageConfig.History h : history) {
            if (h.created() == null) {
                open = true;
                filled.add(h.withCreated(fill));
            } else {
                if (open) {
                    fill = h.created();
                }
                filled.add(h);
            }
        }
        if (filled.isEmpty()) {
            return image.withCreated(fill);
        }
        return image.withHistory(filled).withCreated(filled.get(filled.size() - 1).created());
    }
}
