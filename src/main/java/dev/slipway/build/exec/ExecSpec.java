package dev.slipway.build.exec;

import dev.slipway.build.snapshot.Snapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * One process to run in a snapshot. {@code args} is the final argument list (for a shell-form
 * RUN, the SHELL followed by the command); {@code env} holds {@code KEY=value} entries;
 * {@code user} is USER's value as written ({@code ""} means root). With
 * {@code keepDirectoryStubs}, directories created only as mount points stay in the snapshot
 * (empty files made as mount points are still removed), as the BuildKit in Docker 20.10 leaves them.
 */
public record ExecSpec(Snapshot snapshot, List<String> args, List<String> env, String cwd, String user,
                       Network network, String hostname, List<ExecMount> mounts, int tailLines,
                       boolean keepDirectoryStubs) {
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    public static final String DEFAULT_HOSTNAME = "buildkitsandbox";

    public ExecSpec {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no command to run");
        }
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("working directory must be absolute: " + cwd);
        }
        for (ExecMount m : mounts) {
            if (!m.target().startsWith("/") || m.target().equals("/")) {
                throw new IllegalArgumentException("invalid mount target \"" + m.target() + "\"");
            }
        }
        args = List.copyOf(args);
        env = List.copyOf(env);
        mounts = List.copyOf(mounts);
    }

    public static Builder builder(Snapshot snapshot, List<String> args) {
        return new Builder(snapshot, args);
    }

    /** Defaults: no env, cwd /, root, host network, BuildKit's hostname, 20 tail lines. */
    public static final class Builder {
        private final Snapshot snapshot;
        private final List<String> args;
        private List<String> env = List.of();
        private String cwd = "/";
        private String user = "";
        private Network network = Network.HOST;
        private String hostname = DEFAULT_HOSTNAME;
        private final List<ExecMount> mounts = new ArrayList<>();
        private int tailLines = 20;
        private boolean keepDirectoryStubs;

        private Builder(Snapshot snapshot, List<String> args) {
            this.snapshot = snapshot;
            this.args = args;
        }

        public Builder env(List<String> env) {
            this.env = env;
            return this;
        }

        public Builder cwd(String cwd) {
            this.cwd = cwd;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder network(Network network) {
            this.network = network;
            return this;
        }

        public Builder hostname(String hostname) {
            this.hostname = hostname;
            return this;
        }

        public Builder mount(ExecMount mount) {
            mounts.add(mount);
            return this;
        }

        public Builder tailLines(int tailLines) {
            this.tailLines = tailLines;
            return this;
        }

        public Builder keepDirectoryStubs(boolean keep) {
            this.keepDirectoryStubs = keep;
            return this;
        }

        public ExecSpec build() {
            return new ExecSpec(snapshot, args, env, cwd, user, network, hostname, mounts, tailLines,
                    keepDirectoryStubs);
        }
    }
}
