package dev.slipway.build.exec;

import dev.slipway.build.snapshot.HostCommand;
import dev.slipway.store.RuntimeLeftovers;

import java.nio.file.Path;

/** Runs a step's process in its snapshot. Implementations are safe to call from several threads. */
public interface Executor {

    ExecResult run(ExecSpec spec, OutputSink sink);

    /**
     * Removes what the runtime keeps between runs (idle bundles); a later run starts afresh. Called
     * at the end of a build or container run, when none of its runs is in flight.
     */
    default void releaseIdle() {
    }

    /** What a process killed while this runtime ran a step leaves behind, for {@code Store.recover}. */
    RuntimeLeftovers leftovers();

    /**
     * runc when it is on the PATH, else (or with {@code SLIPWAY_RUNTIME=chroot}) the
     * unshare + chroot fallback. {@code stateDir} holds bundles and runc's state.
     */
    static Executor forHost(Path stateDir) {
        String forced = System.getenv().getOrDefault("SLIPWAY_RUNTIME", "");
        if (forced.equals("chroot") || (!forced.equals("runc") && !HostCommand.onPath("runc"))) {
            return new ChrootExecutor(stateDir);
        }
        return new RuncExecutor(stateDir);
    }
}
