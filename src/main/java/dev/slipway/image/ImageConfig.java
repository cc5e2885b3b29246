package dev.slipway.image;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import dev.slipway.SlipwayException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image configuration ({@link MediaTypes#OCI_CONFIG}, identical in shape to Docker's
 * {@link MediaTypes#DOCKER_CONFIG}). Its digest is the image ID. Times are kept as the RFC 3339
 * strings they were written as, so that reading and writing never changes them.
 */
public record ImageConfig(
        @JsonProperty("created") String created,
        @JsonProperty("author") String author,
        @JsonProperty("architecture") String architecture,
        @JsonProperty("os") String os,
        @JsonProperty("os.version") String osVersion,
        @JsonProperty("os.features") List<String> osFeatures,
        @JsonProperty("variant") String variant,
        @JsonProperty("config") ContainerConfig config,
        @JsonProperty("rootfs") RootFs rootfs,
        @JsonProperty("history") List<History> history,
        @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) implements ImageDocument {

    public ImageConfig {
        osFeatures = Copies.list(osFeatures);
        history = Copies.list(history);
        extra = Copies.extra(extra);
    }

    /** The config of an image with no layers yet ({@code FROM scratch}) for a platform. */
    public static ImageConfig empty(Platform platform) {
        return new ImageConfig(null, null, platform.architecture(), platform.os(), null, null, platform.variant(),
                ContainerConfig.EMPTY, new RootFs("layers", List.of(), Map.of()), List.of(), Map.of());
    }

    public Platform platform() {
        return new Platform(architecture, os, osVersion, osFeatures, variant, Map.of());
    }

    /** The layers' uncompressed digests, base first; empty when the config has no rootfs. */
    public List<Digest> diffIds() {
        return rootfs == null || rootfs.diffIds() == null ? List.of() : rootfs.diffIds();
    }

    public List<History> historyOrEmpty() {
        return history == null ? List.of() : history;
    }

    public ContainerConfig configOrEmpty() {
        return config == null ? ContainerConfig.EMPTY : config;
    }

    /** This config with one more layer on top, and the history entry that made it. */
    public ImageConfig withLayer(Digest diffId, History entry) {
        if (entry.isEmptyLayer()) {
            throw new IllegalArgumentException("a layer's history entry cannot be an empty_layer one");
        }
        List<Digest> ids = new ArrayList<>(diffIds());
        ids.add(diffId);
        RootFs newRootfs = new RootFs(rootfs == null || rootfs.type() == null ? "layers" : rootfs.type(), ids,
                rootfs == null ? Map.of() : rootfs.extra());
        return new ImageConfig(entry.created() != null ? entry.created() : created, author, architecture, os,
                osVersion, osFeatures, variant, config, newRootfs, appended(entry), extra);
    }

    /** This config with its layers' diffIDs replaced, as many as it had. */
    public ImageConfig withDiffIds(List<Digest> diffIds) {
        if (diffIds.size() != diffIds().size()) {
            throw new IllegalArgumentException("the config has " + diffIds().size() + " layers, not " + diffIds.size());
        }
        RootFs newRootfs = new RootFs(rootfs == null || rootfs.type() == null ? "layers" : rootfs.type(), diffIds,
                rootfs == null ? Map.of() : rootfs.extra());
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config, newRootfs,
                history, extra);
    }

    /** This config with a history entry that adds no layer (ENV, CMD, ...); it is marked {@code empty_layer}. */
    public ImageConfig withEmptyLayerHistory(History entry) {
        History marked = new History(entry.created(), entry.createdBy(), entry.author(), entry.comment(), true,
                entry.extra());
        return new ImageConfig(entry.created() != null ? entry.created() : created, author, architecture, os,
                osVersion, osFeatures, variant, config, rootfs, appended(marked), extra);
    }

    public ImageConfig withConfig(ContainerConfig newConfig) {
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, newConfig, rootfs,
                history, extra);
    }

    public ImageConfig withCreated(String newCreated) {
        return new ImageConfig(newCreated, author, architecture, os, osVersion, osFeatures, variant, config, rootfs,
                history, extra);
    }

    public ImageConfig withHistory(List<History> newHistory) {
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config, rootfs,
                newHistory, extra);
    }

    public ImageConfig withAuthor(String newAuthor) {
        return new ImageConfig(created, newAuthor, architecture, os, osVersion, osFeatures, variant, config, rootfs,
                history, extra);
    }

    /**
     * Checks that the non-empty history entries and the layers agree in number, which
     * {@code docker history} and every layer-walking tool assume; a config without history passes.
     */
    public void checkHistoryMatchesLayers() {
        if (history == null || history.isEmpty()) {
            return;
        }
        long layered = history.stream().filter(h -> !h.isEmptyLayer()).count();
        if (layered != diffIds().size()) {
            throw new SlipwayException("image config has " + diffIds().size() + " layers but " + layered
                    + " non-empty history entries");
        }
    }

    private List<History> appended(History entry) {
        List<History> list = new ArrayList<>(historyOrEmpty());
        list.add(entry);
        return list;
    }

    /** {@code rootfs}: the layer diffIDs, base first. */
    public record RootFs(
            @JsonProperty("type") String type,
            @JsonProperty("diff_ids") List<Digest> diffIds,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
        public RootFs {
            diffIds = Copies.list(diffIds);
            extra = Copies.extra(extra);
        }
    }

    /** One {@code history} entry: the step that made a layer, or an {@code empty_layer} one. */
    public record History(
            @JsonProperty("created") String created,
            @JsonProperty("created_by") String createdBy,
            @JsonProperty("author") String author,
            @JsonProperty("comment") String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
        public History {
            extra = Copies.extra(extra);
        }

        public History(String created, String createdBy, String comment) {
            this(created, createdBy, null, comment, null, Map.of());
        }

        public boolean isEmptyLayer() {
            return Boolean.TRUE.equals(emptyLayer);
        }

        public History withCreated(String newCreated) {
            return new History(newCreated, createdBy, author, comment, emptyLayer, extra);
        }
    }

    /**
     * {@code Healthcheck}; durations are in nanoseconds, as Docker stores them. A {@code test} of
     * {@code ["NONE"]} disables an inherited check.
     */
    public record Healthcheck(
            @JsonProperty("Test") List<String> test,
            @JsonProperty("Interval") Long interval,
            @JsonProperty("Timeout") Long timeout,
            @JsonProperty("StartPeriod") Long startPeriod,
            @JsonProperty("StartInterval") Long startInterval,
            @JsonProperty("Retries") Integer retries,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {
        public Healthcheck {
            test = Copies.list(test);
            extra = Copies.extra(extra);
        }
    }

    /**
     * The {@code config} object: how a container of the image runs. Exposed ports and volumes are
     * sets written as objects with empty values ({@code {"80/tcp":{}}}); the values are kept as read.
     */
    public record ContainerConfig(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, JsonNode> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, JsonNode> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("Healthcheck") Healthcheck healthcheck,
            @JsonProperty("Shell") List<String> shell,
            @JsonProperty("OnBuild") List<String> onBuild,
            @JsonProperty("ArgsEscaped") Boolean argsEscaped,
            @JsonAnySetter @JsonAnyGetter Map<String, JsonNode> extra) {

        public static final ContainerConfig EMPTY = new Builder().build();

        public ContainerConfig {
            exposedPorts = Copies.map(exposedPorts);
            env = Copies.list(env);
            entrypoint = Copies.list(entrypoint);
            cmd = Copies.list(cmd);
            volumes = Copies.map(volumes);
            labels = Copies.map(labels);
            shell = Copies.list(shell);
            onBuild = Copies.list(onBuild);
            extra = Copies.extra(extra);
        }

        public Builder toBuilder() {
            return new Builder(this);
        }

        /** The value of an environment variable, or null; later entries win, as in a container. */
        public String envValue(String name) {
            String value = null;
            for (String entry : env == null ? List.<String>of() : env) {
                int eq = entry.indexOf('=');
                String key = eq < 0 ? entry : entry.substring(0, eq);
                if (key.equals(name)) {
                    value = eq < 0 ? "" : entry.substring(eq + 1);
                }
            }
            return value;
        }

        /** Changes a config field by field, as Dockerfile instructions do; null clears a field. */
        public static final class Builder {
            private String user;
            private Map<String, JsonNode> exposedPorts;
            private List<String> env;
            private List<String> entrypoint;
            private List<String> cmd;
            private Map<String, JsonNode> volumes;
            private String workingDir;
            private Map<String, String> labels;
            private String stopSignal;
            private Healthcheck healthcheck;
            private List<String> shell;
            private List<String> onBuild;
            private Boolean argsEscaped;
            private Map<String, JsonNode> extra;

            public Builder() {
            }

            private Builder(ContainerConfig c) {
                user = c.user;
                exposedPorts = c.exposedPorts;
                env = c.env;
                entrypoint = c.entrypoint;
                cmd = c.cmd;
                volumes = c.volumes;
                workingDir = c.workingDir;
                labels = c.labels;
                stopSignal = c.stopSignal;
                healthcheck = c.healthcheck;
                shell = c.shell;
                onBuild = c.onBuild;
                argsEscaped = c.argsEscaped;
                extra = c.extra;
            }

            public Builder user(String v) {
                user = v;
                return this;
            }

            /** Sets {@code NAME=value}, replacing an earlier value of NAME in place, as ENV does. */
            public Builder env(String name, String value) {
                List<String> list = new ArrayList<>(env == null ? List.of() : env);
                String entry = name + "=" + value;
                boolean replaced = false;
                for (int i = 0; i < list.size(); i++) {
                    String e = list.get(i);
                    if (e.equals(name) || e.startsWith(name + "=")) {
                        list.set(i, entry);
                        replaced = true;
                    }
                }
                if (!replaced) {
                    list.add(entry);
                }
                env = list;
                return this;
            }

            public Builder env(List<String> v) {
                env = v;
                return this;
            }

            public Builder entrypoint(List<String> v) {
                entrypoint = v;
                return this;
            }

            public Builder cmd(List<String> v) {
                cmd = v;
                return this;
            }

            public Builder workingDir(String v) {
                workingDir = v;
                return this;
            }

            public Builder exposedPort(String portProto) {
                exposedPorts = withKey(exposedPorts, portProto);
                return this;
            }

            public Builder volume(String path) {
                volumes = withKey(volumes, path);
                return this;
            }

            public Builder label(String key, String value) {
                Map<String, String> m = new LinkedHashMap<>(labels == null ? Map.of() : labels);
                m.put(key, value);
                labels = m;
                return this;
            }

            public Builder stopSignal(String v) {
                stopSignal = v;
                return this;
            }

            public Builder healthcheck(Healthcheck v) {
                healthcheck = v;
                return this;
            }

            public Builder shell(List<String> v) {
                shell = v;
                return this;
            }

            public Builder onBuild(List<String> v) {
                onBuild = v;
                return this;
            }

            public Builder argsEscaped(Boolean v) {
                argsEscaped = v;
                return this;
            }

            public ContainerConfig build() {
                return new ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
                        stopSignal, healthcheck, shell, onBuild, argsEscaped, extra);
            }

            private static Map<String, JsonNode> withKey(Map<String, JsonNode> map, String key) {
                Map<String, JsonNode> m = new LinkedHashMap<>(map == null ? Map.of() : map);
                m.putIfAbsent(key, ImageJson.emptyObject());
                return m;
            }
        }
    }
}
