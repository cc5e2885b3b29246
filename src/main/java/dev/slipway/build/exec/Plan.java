package dev.slipway.build.exec;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a runtime needs for one run, resolved: ids, env with defaults, mount targets with
 * symlinks resolved inside the rootfs, and the host files to bind.
 */
record Plan(String id, Path rootfs, List<String> args, List<String> env, String cwd, ResolvedUser user,
            String hostname, Network network, Path hosts, Path resolvConf, Path hostnameFile,
            List<MountPlan> mounts, long nofile) {

    /** An extra mount with its target resolved; {@code file} for a bind of a single file. */
    record MountPlan(String target, Kind kind, Path source, boolean readOnly, boolean file, long sizeBytes) {
        enum Kind { BIND, TMPFS }
    }
}
