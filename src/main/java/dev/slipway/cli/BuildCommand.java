package dev.slipway.cli;

import dev.slipway.SlipwayException;
import dev.slipway.build.BuildCache;
import dev.slipway.build.BuildRequest;
import dev.slipway.build.ImageBuilder;
import dev.slipway.build.Progress;
import dev.slipway.build.exec.Network;
import dev.slipway.build.progress.ProgressMode;
import dev.slipway.build.uptodate.BuildRecorder;
import dev.slipway.build.uptodate.UpToDate;
import dev.slipway.image.Digest;
import dev.slipway.image.ImageReference;
import dev.slipway.image.Platform;
import dev.slipway.lint.Formats;
import dev.slipway.lint.LintConfig;
import dev.slipway.lint.LintResult;
import dev.slipway.lint.Linter;
import dev.slipway.registry.CacheSpec;
import dev.slipway.registry.RegistryCache;
import dev.slipway.registry.RegistryClient;
import dev.slipway.registry.RegistryConfig;
import dev.slipway.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "build", mixinStandardHelpOptions = true, description = "Build an image from a Dockerfile.")
public final class BuildCommand implements Callable<Integer> {
    @CommandLine.ParentCommand
    SlipwayCommand parent;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    RegistryOptions registry;

    @Option(names = "--pull", description = "Pull every base image, even those in the store.")
    boolean pull;

    @Option(names = {"-t", "--tag"}, paramLabel = "NAME[:TAG]", description = "Name and tag the image (repeatable).")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "The Dockerfile (default: CONTEXT/Dockerfile).")
    Path file;

    @Option(names = "--target", paramLabel = "STAGE", description = "Build this stage (default: the last).")
    String target;

    @Option(names = "--build-arg", paramLabel = "KEY[=VALUE]",
            description = "Set a build argument; KEY alone takes the value from the environment.")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--no-cache", description = "Do not use cached steps.")
    boolean noCache;

    @Option(names = "--network", paramLabel = "MODE", description = "RUN steps' network: host (default) or none.")
    String network = "host";

    @Option(names = "--secret", paramLabel = "id=ID,src=PATH|env=VAR",
            description = "A secret RUN --mount=type=secret can use (repeatable).")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--ssh", paramLabel = "ID[=SOCKET]",
            description = "An SSH agent socket for RUN --mount=type=ssh (default socket: $SSH_AUTH_SOCK).")
    List<String> ssh = new ArrayList<>();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Add a label to the image (repeatable).")
    List<String> labels = new ArrayList<>();

    @Option(names = "--iidfile", paramLabel = "FILE", description = "Write the image ID to FILE.")
    Path iidfile;

    @Option(names = {"-q", "--quiet"}, description = "Print only the image ID.")
    boolean quiet;

    @Option(names = "--progress", paramLabel = "TYPE", description = "auto (default: tty when stderr is a terminal, "
            + "else plain), tty (a live view), plain (BuildKit's log) or quiet; default from $BUILDKIT_PROGRESS.")
    String progress;

    @Option(names = "--platform", paramLabel = "OS/ARCH[/VARIANT]", description = "The platform of the image.")
    String platform;

    @Option(names = "--jobs", paramLabel = "N", description = "How many stages may run at once (default: CPU count).")
    Integer jobs;

    @Option(names = "--push", description = "Push the image to the registry of every -t name (gzip-compressed "
            + "layers, as docker buildx --push).")
    boolean push;

    @Option(names = "--cache-to", paramLabel = "type=registry,ref=REF[,mode=min|max]",
            description = "Export the build cache to a registry (repeatable); mode=max includes every stage's steps.")
    List<String> cacheTo = new ArrayList<>();

    @Option(names = "--cache-from", paramLabel = "type=registry,ref=REF",
            description = "Use a build cache from a registry for steps the local cache lacks (repeatable).")
    List<String> cacheFrom = new ArrayList<>();

    @Option(names = "--check", description = "Lint the Dockerfile (as slipway lint does) without building; "
            + "exit 1 when a finding meets the failure threshold.")
    boolean check;

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The build context directory.")
    Path context;

    /**
     * A registry cache as a source of step results, read when the build first asks. Importing is
     * best effort, as in BuildKit: a cache that cannot be read is a warning and its steps run.
     */
    private static BuildCache.Remote cacheSource(RegistryCache registryCache, CacheSpec from, Store store,
            BuildCache buildCache, Progress p) {
        RegistryCache.Imported[] opened = new RegistryCache.Imported[1];
        boolean[] failed = new boolean[1];
        return key -> {
            synchronized (opened) {
                if (failed[0]) {
                    return false;
                }
                try {
                    if (opened[0] == null) {
                        opened[0] = registryCache.open(from.reference());
                        p.note("importing cache manifest from " + from.reference() + ": "
                                + opened[0].keys().size() + " records");
                    }
                } catch (SlipwayException e) {
                    failed[0] = true;
                    p.note("WARNING: importing the build cache from " + from.reference() + " failed: " + e.getMessage());
                    return false;
                }
            }
            try {
                return opened[0].fetch(key, store, buildCache::importRecord).isPresent();
            } catch (SlipwayException e) {
                p.note("WARNING: build cache " + from.reference() + ": " + e.getMessage());
                return false;
            }
        };
    }

    /** BuildKit's {@code exporting cache to registry} step; a failure fails the build unless ignore-error=true. */
    private static void exportCache(RegistryCache registryCache, BuildCache buildCache, CacheSpec to, Store store,
            ImageBuilder.Result result, Progress p) {
        int n = p.start("exporting cache to registry " + to.reference());
        List<Digest> keys = to.max() ? result.cacheKeys() : buildCache.inImage(result.cacheKeys(), result.config());
        try {
            registryCache.export(store, () -> buildCache.forExport(keys), to, w -> p.note("WARNING: " + w))
                    .ifPresent(exported -> p.detail(n, "writing cache manifest " + to.reference() + "@"
                            + exported.digest() + " (" + exported.records() + " records) done"));
        } catch (SlipwayException e) {
            p.error(n, e.getMessage());
            throw e;
        }
        p.done(n);
    }

    @Override
    public Integer call() {
        long startedWall = BuildRecorder.now();
        Path dockerfile = file != null ? file : context.resolve("Dockerfile");
        if (check) {
            if (!Files.isRegularFile(dockerfile)) {
                throw new SlipwayException("cannot read Dockerfile " + dockerfile + ": no such file", null, 2);
            }
            LintConfig config = LintConfig.forDockerfile(dockerfile);
            LintResult lint = Linter.lint(dockerfile, context, config);
            spec.commandLine().getOut().print(Formats.text(List.of(lint), false));
            spec.commandLine().getOut().println("Check complete, " + (lint.findings().isEmpty() ? "no problems"
                    : lint.findings().size() + (lint.findings().size() == 1 ? " problem" : " problems")) + " found.");
            spec.commandLine().getOut().flush();
            return lint.fails(config.failureThreshold()) ? 1 : 0;
        }
        Map<String, String> args = new LinkedHashMap<>();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq >= 0) {
                args.put(a.substring(0, eq), a.substring(eq + 1));
            } else if (System.getenv(a) != null) {
                args.put(a, System.getenv(a));
            }
        }
        Map<String, BuildRequest.Secret> secretMap = new LinkedHashMap<>();
        for (String s : secrets) {
            BuildRequest.Secret secret = BuildRequest.Secret.parse(s);
            secretMap.put(secret.id(), secret);
        }
        Map<String, Path> agents = new LinkedHashMap<>();
        for (String s : ssh) {
            int eq = s.indexOf('=');
            String id = eq < 0 ? s : s.substring(0, eq);
            String socket = eq < 0 ? System.getenv("SSH_AUTH_SOCK") : s.substring(eq + 1);
            if (socket == null || socket.isEmpty()) {
                throw new SlipwayException("--ssh " + s + ": no socket given and SSH_AUTH_SOCK is not set");
            }
            agents.put(id, Path.of(socket));
        }
        Map<String, String> labelMap = new LinkedHashMap<>();
        for (String l : labels) {
            int eq = l.indexOf('=');
            labelMap.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        for (String t : tags) {
            ImageReference.parse(t);
        }
        if (push && tags.isEmpty()) {
            throw new SlipwayException("tag is needed when pushing to registry: add -t NAME[:TAG]");
        }
        List<CacheSpec> exports = cacheTo.stream().map(c -> CacheSpec.parse(c, true)).toList();
        List<CacheSpec> imports = cacheFrom.stream().map(c -> CacheSpec.parse(c, false)).toList();
        ProgressMode mode = quiet ? ProgressMode.QUIET : ProgressMode.choose(progress, System.getenv("BUILDKIT_PROGRESS"));
        Long epoch = null;
        String sde = System.getenv("SOURCE_DATE_EPOCH");
        if (sde != null && !sde.isEmpty() && !args.containsKey("SOURCE_DATE_EPOCH")) {
            try {
                epoch = Long.parseLong(sde.strip());
            } catch (NumberFormatException e) {
                throw new SlipwayException("invalid SOURCE_DATE_EPOCH: " + sde);
            }
        }
        BuildRequest request = BuildRequest.of(context).withDockerfile(file).withTags(tags).withTarget(target)
                .withBuildArgs(args).withNetwork(Network.parse(network)).withSecrets(secretMap)
                .withSshAgents(agents).withLabels(labelMap).withPlatform(platform).withNoCache(noCache)
                .withEpoch(epoch);
        if (jobs != null) {
            request = request.withJobs(jobs);
        }
        PrintWriter err = spec.commandLine().getErr();
        long started = System.nanoTime();
        ImageBuilder.Host host = ImageBuilder.openHost(parent.rootOption());
        Store store = host.store();
        Platform pullPlatform = platform == null ? Platform.host() : Platform.parse(platform);
        BuildCache buildCache = new BuildCache(store);
        boolean terminal = parent.isTerminal(2);
        Progress view = mode.open(err, terminal);
        List<String> options = new ArrayList<>();
        spec.commandLine().getParseResult().matchedOptions().forEach(o -> options.add(o.longestName()));
        parent.spec.commandLine().getParseResult().matchedOptions().forEach(o -> options.add(o.longestName()));
        BuildRecorder recorder = BuildRecorder.start(store, spec.commandLine().getParseResult().originalArgs(),
                System.getProperty("user.dir"), startedWall, BuildRecorder.unrecordable(options), mode, terminal,
                context, dockerfile, buildArgs, view);
        Progress p = recorder != null ? recorder.progress() : view;
        ImageBuilder.Result result;
        try (p) {
            // The configuration is read now, so that a bad registries.json fails every build as before;
            // the client is made when a pull, push or registry cache first needs it, which a build
            // whose base images are in the store never does.
            RegistryConfig registryConfig = registry.config(parent.rootOption());
            RegistryClient[] made = new RegistryClient[1];
            Supplier<RegistryClient> client = () -> {
                synchronized (made) {
                    if (made[0] == null) {
                        made[0] = registry.client(registryConfig, new TransferPrinter(p.transfers()));
                    }
                    return made[0];
                }
            };
            RegistryCache registryCache = imports.isEmpty() && exports.isEmpty() ? null
                    : new RegistryCache(client.get());
            List<BuildCache.Remote> sources = new ArrayList<>();
            for (CacheSpec from : imports) {
                sources.add(cacheSource(registryCache, from, store, buildCache, p));
            }
            result = ImageBuilder.forHost(host, p)
                    .withPuller(ref -> client.get().pull(ref, pullPlatform, store), pull)
                    .withRemoteCache(sources.isEmpty() ? null : key -> sources.stream().anyMatch(s -> s.fetch(key)))
                    .build(request);
            int step = p.start("exporting to image");
            p.detail(step, "writing image " + result.imageId() + " done");
            for (String t : tags) {
                p.detail(step, "naming to " + ImageReference.parse(t) + " done");
            }
            if (push) {
                for (String t : tags) {
                    ImageReference ref = ImageReference.parse(t);
                    RegistryClient.PushResult pushed = client.get().push(store, ref, ref);
                    p.detail(step, "pushing manifest for " + ref + "@" + pushed.digest() + " done");
                }
            }
            p.done(step);
            for (CacheSpec to : exports) {
                exportCache(registryCache, buildCache, to, store, result, p);
            }
        }
        // After close: the summary comes below a live view's final frame.
        view.note(result.summary(tags, Duration.ofNanos(System.nanoTime() - started)));
        if (iidfile != null) {
            try {
                Files.writeString(iidfile, result.imageId().toString());
            } catch (IOException e) {
                throw new SlipwayException("cannot write --iidfile " + iidfile + ": " + e.getMessage(), e);
            }
        }
        String lint = "";
        if (view != Progress.QUIET && Files.isRegularFile(dockerfile)) {
            lint = Linter.buildSummary(Linter.lint(dockerfile, context, LintConfig.forDockerfile(dockerfile)).findings());
            err.print(lint);
            err.flush();
        }
        spec.commandLine().getOut().println(result.imageId());
        spec.commandLine().getOut().flush();
        if (recorder != null) {
            String unrecorded = recorder.finish(result, tags, lint);
            String explain = System.getenv(UpToDate.EXPLAIN);
            if (unrecorded != null && explain != null && !explain.isEmpty()) {
                err.println("slipway: up-to-date check: no record of this build: " + unrecorded);
                err.flush();
            }
        }
        return 0;
    }
}
