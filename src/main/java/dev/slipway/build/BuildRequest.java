package dev.slipway.build;

import dev.slipway.build.exec.Network;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What to build and how.
 *
 * @param context    the build context directory
 * @param dockerfile the Dockerfile (null: {@code Dockerfile} in the context)
 * @param tags       names to tag the result with (may be empty)
 * @param target     the stage to build, or null for the last one
 * @param buildArgs  {@code --build-arg} values
 * @param network    the default network of RUN steps
 * @param secrets    {@code --secret} sources by id
 * @param sshAgents  {@code --ssh} agent sockets by id
 * @param labels     {@code --label} values added to the final image
 * @param platform   {@code --platform} (os/arch[/variant]) or null for the host's
 * @param jobs       how many stages may run at once
 * @param epoch      SOURCE_DATE_EPOCH in seconds, or null
 * @param noCache    {@code --no-cache}: accepted; nothing is cached between builds yet
 */
public record BuildRequest(Path context, Path dockerfile, List<String> tags, String target,
                           Map<String, String> buildArgs, Network network, Map<String, Secret> secrets,
                           Map<String, Path> sshAgents, Map<String, String> labels, String platform, int jobs,
                           Long epoch, boolean noCache) {

    public BuildRequest {
        tags = List.copyOf(tags);
        buildArgs = Map.copyOf(buildArgs);
        secrets = Map.copyOf(secrets);
        sshAgents = Map.copyOf(sshAgents);
        labels = Map.copyOf(labels);
        if (jobs < 1) {
            throw new IllegalArgumentException("jobs must be at least 1");
        }
    }

    /** A build of {@code context}'s Dockerfile with defaults for everything else. */
    public static BuildRequest of(Path context) {
        return new BuildRequest(context, null, List.of(), null, Map.of(), Network.HOST, Map.of(), Map.of(), Map.of(),
                null, Runtime.getRuntime().availableProcessors(), null, false);
    }

    public BuildRequest withDockerfile(Path file) {
        return new BuildRequest(context, file, tags, target, buildArgs, network, secrets, sshAgents, labels, platform,
                jobs, epoch, noCache);
    }

    public BuildRequest withTags(List<String> newTags) {
        return new BuildRequest(context, dockerfile, newTags, target, buildArgs, network, secrets, sshAgents, labels,
                platform, jobs, epoch, noCache);
    }

    public BuildRequest withTarget(String newTarget) {
        return new BuildRequest(context, dockerfile, tags, newTarget, buildArgs, network, secrets, sshAgents, labels,
                platform, jobs, epoch, noCache);
    }

    public BuildRequest withBuildArgs(Map<String, String> args) {
        return new BuildRequest(context, dockerfile, tags, target, args, network, secrets, sshAgents, labels, platform,
                jobs, epoch, noCache);
    }

    public BuildRequest withNetwork(Network n) {
        return new BuildRequest(context, dockerfile, tags, target, buildArgs, n, secrets, sshAgents, labels, platform,
                jobs, epoch, noCache);
    }

    public BuildRequest withSecrets(Map<String, Secret> s) {
        return new BuildRequest(context, dockerfile, tags, target, buildArgs, network, s, sshAgents, labels, platform,
                jobs, epoch, noCache);
    }

    public BuildRequest withSshAgents(Map<String, Path> agents) {
        return new BuildRequest(context, dockerfile, tags, target, buildArgs, network, secrets, agents, labels,
                platform, jobs, epoch, noCache);
    }

    public BuildRequest withLabels(Map<String, String> l) {
        return new BuildRequest(context, dockerfile, tags, target, buildArgs, network, secrets, sshAgents, l, platform,
                jobs, epoch, noCache);
    }

    public BuildRequest withPlatform(String p) {
        return new BuildRequest(context, dockerfile, tags, target, buildArgs, network, secrets, sshAgents, labels, p,
                jobs, epoch, noCache);
    }

    public BuildRequest withJobs(int n) {
        return new BuildRequest(context, dockerfile, tags, target, buildArgs, network, secrets, sshAgents, labels,
                platform, n, epoch, noCache);
    }

    public BuildRequest withEpoch(Long e) {
        return new BuildRequest(context, dockerfile, tags, target, buildArgs, network, secrets, sshAgents, labels,
                platform, jobs, e, noCache);
    }

    public BuildRequest withNoCache(boolean n) {
        return new BuildRequest(context, dockerfile, tags, target, buildArgs, network, secrets, sshAgents, labels,
                platform, jobs, epoch, n);
    }

    /** A {@code --secret}: a file ({@code src=}) or an environment variable of this process ({@code env=}). */
    public record Secret(String id, Path file, String envVar) {
        /** Parses {@code id=ID,src=PATH} / {@code id=ID,env=VAR} (also {@code source=}, {@code type=file|env}). */
        public static Secret parse(String spec) {
            String id = null;
            Path file = null;
            String env = null;
            for (String field : spec.split(",")) {
                int eq = field.indexOf('=');
                if (eq < 0) {
                    throw new dev.slipway.SlipwayException("invalid secret " + spec + ": " + field + " is not key=value");
                }
                String k = field.substring(0, eq);
                String v = field.substring(eq + 1);
                switch (k) {
                    case "id" -> id = v;
                    case "src", "source" -> file = Path.of(v);
                    case "env" -> env = v;
                    case "type" -> {
                        if (!v.equals("file") && !v.equals("env")) {
                            throw new dev.slipway.SlipwayException("unsupported secret type " + v);
                        }
                    }
                    default -> throw new dev.slipway.SlipwayException("unexpected key " + k + " in secret " + spec);
                }
            }
            if (id == null) {
                id = file != null ? file.getFileName().toString() : env;
            }
            if (id == null || (file == null && env == null)) {
                throw new dev.slipway.SlipwayException("invalid secret " + spec + ": expected id=ID,src=PATH or id=ID,env=VAR");
            }
            if (file == null && env == null) {
                env = id;
            }
            return new Secret(id, file, env);
        }

        /** The secret's bytes, read when a step mounts it. */
        public byte[] read() {
            if (file != null) {
                try {
                    return java.nio.file.Files.readAllBytes(file);
                } catch (java.io.IOException e) {
                    throw new dev.slipway.SlipwayException("cannot read secret " + id + ": " + e.getMessage(), e);
                }
            }
            String v = System.getenv(envVar);
            if (v == null) {
                throw new dev.slipway.SlipwayException("secret " + id + ": environment variable " + envVar + " is not set");
            }
            return v.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
