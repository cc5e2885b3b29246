package dev.slipway.build;

import dev.slipway.RandomIds;
import dev.slipway.SlipwayException;
import dev.slipway.build.exec.ExecResult;
import dev.slipway.build.exec.ExecSpec;
import dev.slipway.build.exec.Executor;
import dev.slipway.build.exec.Network;
import dev.slipway.build.exec.OutputSink;
import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.build.snapshot.Snapshot;
import dev.slipway.build.snapshot.Snapshotter;
import dev.slipway.image.ImageConfig;
import dev.slipway.image.Platform;
import dev.slipway.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code slipway run}: an image's command in a container over a throw-away snapshot of its layers.
 * The container's writes are discarded when it exits.
 */
public final class ContainerRunner {
    private final Store store;
    private final Snapshotter snapshotter;
    private final Executor executor;

    /**
     * What to run.
     *
     * @param image      the image reference
     * @param command    replaces the image's CMD when not empty
     * @param entrypoint replaces the image's ENTRYPOINT when non-null ({@code ""} clears it)
     * @param env        {@code K=V} entries added to (and overriding) the image's env
     * @param user       replaces USER when non-null
     * @param workdir    replaces WORKDIR when non-null
     */
    public record Options(String image, List<String> command, String entrypoint, List<String> env, String user,
                          String workdir, Network network) {
        public Options {
            command = List.copyOf(command);
            env = List.copyOf(env);
        }
    }

    public ContainerRunner(Store store, Snapshotter snapshotter, Executor executor) {
        this.store = store;
        this.snapshotter = snapshotter;
        this.executor = executor;
    }

    public static ContainerRunner forHost(Store store) {
        Executor executor = Executor.forHost(store.root().exec());
        store.recover(executor.leftovers());
        return new ContainerRunner(store, Snapshotter.forHost(), executor);
    }

    /** The process's argv: ENTRYPOINT + CMD with the overrides applied, as {@code docker run} builds it. */
    static List<String> argv(ImageConfig.ContainerConfig config, Options o) {
        List<String> entrypoint = o.entrypoint() != null
                ? (o.entrypoint().isEmpty() ? List.of() : List.of(o.entrypoint()))
                : config.entrypoint() == null ? List.of() : config.entrypoint();
        List<String> cmd;
        if (!o.command().isEmpty()) {
            cmd = o.command();
        } else if (o.entrypoint() != null) {
            cmd = List.of();
        } else {
            cmd = config.cmd() == null ? List.of() : config.cmd();
        }
        List<String> argv = new ArrayList<>(entrypoint);
        argv.addAll(cmd);
        if (argv.isEmpty()) {
            throw new SlipwayException("no command specified");
        }
        return argv;
    }

    static List<String> environment(ImageConfig.ContainerConfig config, List<String> extra) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : config.env() == null ? List.<String>of() : config.env()) {
            int eq = e.indexOf('=');
            env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
        }
        for (String e : extra) {
            int eq = e.indexOf('=');
            if (eq < 0) {
                String v = System.getenv(e);
                if (v != null) {
                    env.put(e, v);
                }
            } else {
                env.put(e.substring(0, eq), e.substring(eq + 1));
            }
        }
        List<String> out = new ArrayList<>();
        env.forEach((k, v) -> out.add(k + "=" + v));
        return out;
    }

    /** Runs the container; returns its exit code. */
    public int run(Options o, OutputSink sink) {
        BaseImages.Resolved image = new BaseImages(store, Platform.host()).resolve(o.image());
        ImageConfig.ContainerConfig config = image.config().configOrEmpty();
        List<String> argv = argv(config, o);
        List<Path> lowers = new ArrayList<>();
        for (int i = image.layers().size() - 1; i >= 0; i--) {
            lowers.add(image.layers().get(i).dir());
        }
        String workdir = o.workdir() != null ? o.workdir()
                : config.workingDir() == null || config.workingDir().isEmpty() ? "/" : config.workingDir();
        String user = o.user() != null ? o.user() : config.user() == null ? "" : config.user();
        Path area = store.root().tmp().resolve("run-" + RandomIds.uuid());
        try (Store.Session session = store.session();
                Snapshot snapshot = snapshotter.prepare(lowers, area.resolve("rootfs"))) {
            ExecSpec spec = ExecSpec.builder(snapshot, argv).env(environment(config, o.env())).cwd(workdir).user(user)
                    .network(o.network()).hostname(RandomIds.uuid().toString().substring(0, 12)).build();
            ExecResult result = executor.run(spec, sink);
            return result.exitCode();
        } finally {
            try {
                executor.releaseIdle();
            } finally {
                HostCommand.deleteTree(area);
            }
        }
    }
}
