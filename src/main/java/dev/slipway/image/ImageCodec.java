package dev.slipway.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image documents to and from JSON trees by hand, for {@link ImageJson}: Jackson's data binding
 * introspects each record type (annotations, constructors, generic signatures) the first time a
 * process uses it, which was a fifth of the CPU of a short command such as a fully cached build.
 *
 * <p>Data binding stays the reference: {@link #toTree} gives the tree it would give, and
 * {@link #fromTree} reads only documents whose every field has the plain JSON type it is declared
 * as (a string as a string, a number as an integer that fits, no null inside a list or map); anything else, and any
 * value a record refuses, returns null so that the caller binds it with Jackson, whose coercions,
 * defaults and error messages are then exactly what they were.
 */
final class ImageCodec {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    /** Thrown inside {@link #fromTree} when the fast path does not apply. */
    private static final class Unusual extends RuntimeException {
        Unusual() {
            super(null, null, false, false);
        }
    }

    private static final Unusual UNUSUAL = new Unusual();

    private ImageCodec() {
    }

    /** The tree of an image document record, as Jackson's {@code valueToTree} makes it; null for any other value. */
    static JsonNode toTree(Object value) {
        if (value instanceof ImageConfig c) {
            return config(c);
        }
        if (value instanceof Manifest m) {
            return manifest(m);
        }
        if (value instanceof ImageIndex i) {
            return index(i);
        }
        if (value instanceof Descriptor d) {
            return descriptor(d);
        }
        if (value instanceof Platform p) {
            return platform(p);
        }
        if (value instanceof ImageConfig.ContainerConfig c) {
            return containerConfig(c);
        }
        if (value instanceof Map<?, ?> map) {
            return stringMap(map);
        }
        return null;
    }

    /**
     * A map whose keys are strings and whose values are strings or such maps (a docker-archive's
     * {@code repositories}, an {@code oci-layout}); null for any other map.
     */
    private static ObjectNode stringMap(Map<?, ?> map) {
        ObjectNode n = NODES.objectNode();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                return null;
            }
            ObjectNode inner = e.getValue() instanceof Map<?, ?> m ? stringMap(m) : null;
            if (e.getValue() instanceof String text) {
                n.put(key, text);
            } else if (inner != null) {
                n.set(key, inner);
            } else {
                return null;
            }
        }
        return n;
    }

    /** {@code tree} as a {@code type} when it is an image document in plain form; null when Jackson must bind it. */
    static <T> T fromTree(JsonNode tree, Class<T> type) {
        if (!tree.isObject()) {
            return null;
        }
        try {
            Object value;
            if (type == ImageConfig.class) {
                value = readConfig(object(tree));
            } else if (type == Manifest.class) {
                value = readManifest(object(tree));
            } else if (type == ImageIndex.class) {
                value = readIndex(object(tree));
            } else {
                return null;
            }
            return type.cast(value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    // ---- writing ----

    private static ObjectNode config(ImageConfig c) {
        ObjectNode n = NODES.objectNode();
        text(n, "created", c.created());
        text(n, "author", c.author());
        text(n, "architecture", c.architecture());
        text(n, "os", c.os());
        text(n, "os.version", c.osVersion());
        strings(n, "os.features", c.osFeatures());
        text(n, "variant", c.variant());
        if (c.config() != null) {
            n.set("config", containerConfig(c.config()));
        }
        if (c.rootfs() != null) {
            ObjectNode r = n.putObject("rootfs");
            text(r, "type", c.rootfs().type());
            List<Digest> diffIds = c.rootfs().diffIds();
            if (diffIds != null) {
                ArrayNode a = r.putArray("diff_ids");
                for (Digest d : diffIds) {
                    a.add(d == null ? NODES.nullNode() : NODES.textNode(d.toString()));
                }
            }
            extra(r, c.rootfs().extra());
        }
        if (c.history() != null) {
            ArrayNode a = n.putArray("history");
            for (ImageConfig.History h : c.history()) {
                a.add(h == null ? NODES.nullNode() : history(h));
            }
        }
        extra(n, c.extra());
        return n;
    }

    private static ObjectNode history(ImageConfig.History h) {
        ObjectNode e = NODES.objectNode();
        text(e, "created", h.created());
        text(e, "created_by", h.createdBy());
        text(e, "author", h.author());
        text(e, "comment", h.comment());
        if (h.emptyLayer() != null) {
            e.put("empty_layer", h.emptyLayer());
        }
        extra(e, h.extra());
        return e;
    }

    private static ObjectNode containerConfig(ImageConfig.ContainerConfig c) {
        ObjectNode n = NODES.objectNode();
        text(n, "User", c.user());
        nodes(n, "ExposedPorts", c.exposedPorts());
        strings(n, "Env", c.env());
        strings(n, "Entrypoint", c.entrypoint());
        strings(n, "Cmd", c.cmd());
        nodes(n, "Volumes", c.volumes());
        text(n, "WorkingDir", c.workingDir());
        texts(n, "Labels", c.labels());
        text(n, "StopSignal", c.stopSignal());
        ImageConfig.Healthcheck h = c.healthcheck();
        if (h != null) {
            ObjectNode e = n.putObject("Healthcheck");
            strings(e, "Test", h.test());
            number(e, "Interval", h.interval());
            number(e, "Timeout", h.timeout());
            number(e, "StartPeriod", h.startPeriod());
            number(e, "StartInterval", h.startInterval());
            if (h.retries() != null) {
                e.put("Retries", h.retries());
            }
            extra(e, h.extra());
        }
        strings(n, "Shell", c.shell());
        strings(n, "OnBuild", c.onBuild());
        if (c.argsEscaped() != null) {
            n.put("ArgsEscaped", c.argsEscaped());
        }
        extra(n, c.extra());
        return n;
    }

    private static ObjectNode manifest(Manifest m) {
        ObjectNode n = NODES.objectNode();
        n.put("schemaVersion", m.schemaVersion());
        text(n, "mediaType", m.mediaType());
        text(n, "artifactType", m.artifactType());
        if (m.config() != null) {
            n.set("config", descriptor(m.config()));
        }
        descriptors(n, "layers", m.layers());
        if (m.subject() != null) {
            n.set("subject", descriptor(m.subject()));
        }
        texts(n, "annotations", m.annotations());
        extra(n, m.extra());
        return n;
    }

    private static ObjectNode index(ImageIndex i) {
        ObjectNode n = NODES.objectNode();
        n.put("schemaVersion", i.schemaVersion());
        text(n, "mediaType", i.mediaType());
        text(n, "artifactType", i.artifactType());
        descriptors(n, "manifests", i.manifests());
        if (i.subject() != null) {
            n.set("subject", descriptor(i.subject()));
        }
        texts(n, "annotations", i.annotations());
        extra(n, i.extra());
        return n;
    }

    private static ObjectNode descriptor(Descriptor d) {
        ObjectNode n = NODES.objectNode();
        text(n, "mediaType", d.mediaType());
        if (d.digest() != null) {
            n.put("digest", d.digest().toString());
        }
        n.put("size", d.size());
        strings(n, "urls", d.urls());
        texts(n, "annotations", d.annotations());
        if (d.platform() != null) {
            n.set("platform", platform(d.platform()));
        }
        text(n, "artifactType", d.artifactType());
        extra(n, d.extra());
        return n;
    }

    private static ObjectNode platform(Platform p) {
        ObjectNode n = NODES.objectNode();
        text(n, "architecture", p.architecture());
        text(n, "os", p.os());
        text(n, "os.version", p.osVersion());
        strings(n, "os.features", p.osFeatures());
        text(n, "variant", p.variant());
        extra(n, p.extra());
        return n;
    }

    private static void text(ObjectNode n, String name, String value) {
        if (value != null) {
            n.put(name, value);
        }
    }

    private static void number(ObjectNode n, String name, Long value) {
        if (value != null) {
            n.put(name, value);
        }
    }

    // Lists and maps are written with loops, not lambdas: linking each lambda the first time costs a
    // short command more than the writing. Null elements are written as nulls, as Jackson writes them.

    private static void strings(ObjectNode n, String name, List<String> values) {
        if (values != null) {
            ArrayNode a = n.putArray(name);
            for (String v : values) {
                a.add(v == null ? NODES.nullNode() : NODES.textNode(v));
            }
        }
    }

    private static void descriptors(ObjectNode n, String name, List<Descriptor> values) {
        if (values != null) {
            ArrayNode a = n.putArray(name);
            for (Descriptor v : values) {
                a.add(v == null ? NODES.nullNode() : descriptor(v));
            }
        }
    }

    private static void texts(ObjectNode n, String name, Map<String, String> values) {
        if (values != null) {
            ObjectNode o = n.putObject(name);
            for (Map.Entry<String, String> e : values.entrySet()) {
                o.set(e.getKey(), e.getValue() == null ? NODES.nullNode() : NODES.textNode(e.getValue()));
            }
        }
    }

    private static void nodes(ObjectNode n, String name, Map<String, JsonNode> values) {
        if (values != null) {
            ObjectNode o = n.putObject(name);
            for (Map.Entry<String, JsonNode> e : values.entrySet()) {
                o.set(e.getKey(), e.getValue() == null ? NODES.nullNode() : e.getValue().deepCopy());
            }
        }
    }

    private static void extra(ObjectNode n, Map<String, JsonNode> extra) {
        for (Map.Entry<String, JsonNode> e : extra.entrySet()) {
            n.set(e.getKey(), e.getValue() == null ? NODES.nullNode() : e.getValue().deepCopy());
        }
    }

    // ---- reading ----

    private static ImageConfig readConfig(ObjectNode n) {
        String created = null;
        String author = null;
        String architecture = null;
        String os = null;
        String osVersion = null;
        List<String> osFeatures = null;
        String variant = null;
        ImageConfig.ContainerConfig config = null;
        ImageConfig.RootFs rootfs = null;
        List<ImageConfig.History> history = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "created" -> created = text(v);
                case "author" -> author = text(v);
                case "architecture" -> architecture = text(v);
                case "os" -> os = text(v);
                case "os.version" -> osVersion = text(v);
                case "os.features" -> osFeatures = strings(v);
                case "variant" -> variant = text(v);
                case "config" -> config = v.isNull() ? null : readContainerConfig(object(v));
                case "rootfs" -> rootfs = v.isNull() ? null : readRootFs(object(v));
                case "history" -> history = histories(v);
                default -> extra.put(f.getKey(), unknown(f.getKey(), v));
            }
        }
        return new ImageConfig(created, author, architecture, os, osVersion, osFeatures, variant, config, rootfs,
                history, extra);
    }

    private static ImageConfig.RootFs readRootFs(ObjectNode n) {
        String type = null;
        List<Digest> diffIds = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            switch (f.getKey()) {
                case "type" -> type = text(f.getValue());
                case "diff_ids" -> diffIds = digests(f.getValue());
                default -> extra.put(f.getKey(), unknown(f.getKey(), f.getValue()));
            }
        }
        return new ImageConfig.RootFs(type, diffIds, extra);
    }

    private static ImageConfig.History readHistory(ObjectNode n) {
        String created = null;
        String createdBy = null;
        String author = null;
        String comment = null;
        Boolean emptyLayer = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "created" -> created = text(v);
                case "created_by" -> createdBy = text(v);
                case "author" -> author = text(v);
                case "comment" -> comment = text(v);
                case "empty_layer" -> emptyLayer = bool(v);
                default -> extra.put(f.getKey(), unknown(f.getKey(), v));
            }
        }
        return new ImageConfig.History(created, createdBy, author, comment, emptyLayer, extra);
    }

    private static ImageConfig.ContainerConfig readContainerConfig(ObjectNode n) {
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        String user = null;
        Map<String, JsonNode> exposedPorts = null;
        List<String> env = null;
        List<String> entrypoint = null;
        List<String> cmd = null;
        Map<String, JsonNode> volumes = null;
        String workingDir = null;
        Map<String, String> labels = null;
        String stopSignal = null;
        ImageConfig.Healthcheck healthcheck = null;
        List<String> shell = null;
        List<String> onBuild = null;
        Boolean argsEscaped = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "User" -> user = text(v);
                case "ExposedPorts" -> exposedPorts = nodes(v);
                case "Env" -> env = strings(v);
                case "Entrypoint" -> entrypoint = strings(v);
                case "Cmd" -> cmd = strings(v);
                case "Volumes" -> volumes = nodes(v);
                case "WorkingDir" -> workingDir = text(v);
                case "Labels" -> labels = texts(v);
                case "StopSignal" -> stopSignal = text(v);
                case "Healthcheck" -> healthcheck = v.isNull() ? null : readHealthcheck(object(v));
                case "Shell" -> shell = strings(v);
                case "OnBuild" -> onBuild = strings(v);
                case "ArgsEscaped" -> argsEscaped = bool(v);
                default -> extra.put(f.getKey(), unknown(f.getKey(), v));
            }
        }
        return new ImageConfig.ContainerConfig(user, exposedPorts, env, entrypoint, cmd, volumes, workingDir, labels,
                stopSignal, healthcheck, shell, onBuild, argsEscaped, extra);
    }

    private static ImageConfig.Healthcheck readHealthcheck(ObjectNode n) {
        List<String> test = null;
        Long interval = null;
        Long timeout = null;
        Long startPeriod = null;
        Long startInterval = null;
        Integer retries = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "Test" -> test = strings(v);
                case "Interval" -> interval = longValue(v);
                case "Timeout" -> timeout = longValue(v);
                case "StartPeriod" -> startPeriod = longValue(v);
                case "StartInterval" -> startInterval = longValue(v);
                case "Retries" -> retries = intValue(v);
                default -> extra.put(f.getKey(), unknown(f.getKey(), v));
            }
        }
        return new ImageConfig.Healthcheck(test, interval, timeout, startPeriod, startInterval, retries, extra);
    }

    private static Manifest readManifest(ObjectNode n) {
        Integer schemaVersion = null;
        String mediaType = null;
        String artifactType = null;
        Descriptor config = null;
        List<Descriptor> layers = null;
        Descriptor subject = null;
        Map<String, String> annotations = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "schemaVersion" -> schemaVersion = intValue(v);
                case "mediaType" -> mediaType = text(v);
                case "artifactType" -> artifactType = text(v);
                case "config" -> config = v.isNull() ? null : readDescriptor(object(v));
                case "layers" -> layers = readDescriptors(v);
                case "subject" -> subject = v.isNull() ? null : readDescriptor(object(v));
                case "annotations" -> annotations = texts(v);
                default -> extra.put(f.getKey(), unknown(f.getKey(), v));
            }
        }
        if (schemaVersion == null) {
            throw UNUSUAL;
        }
        return new Manifest(schemaVersion, mediaType, artifactType, config, layers, subject, annotations, extra);
    }

    private static ImageIndex readIndex(ObjectNode n) {
        Integer schemaVersion = null;
        String mediaType = null;
        String artifactType = null;
        List<Descriptor> manifests = null;
        Descriptor subject = null;
        Map<String, String> annotations = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "schemaVersion" -> schemaVersion = intValue(v);
                case "mediaType" -> mediaType = text(v);
                case "artifactType" -> artifactType = text(v);
                case "manifests" -> manifests = readDescriptors(v);
                case "subject" -> subject = v.isNull() ? null : readDescriptor(object(v));
                case "annotations" -> annotations = texts(v);
                default -> extra.put(f.getKey(), unknown(f.getKey(), v));
            }
        }
        if (schemaVersion == null) {
            throw UNUSUAL;
        }
        return new ImageIndex(schemaVersion, mediaType, artifactType, manifests, subject, annotations, extra);
    }

    private static Descriptor readDescriptor(ObjectNode n) {
        String mediaType = null;
        Digest digest = null;
        Long size = null;
        List<String> urls = null;
        Map<String, String> annotations = null;
        Platform platform = null;
        String artifactType = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "mediaType" -> mediaType = text(v);
                case "digest" -> digest = v.isNull() ? null : Digest.parse(text(v));
                case "size" -> size = longValue(v);
                case "urls" -> urls = strings(v);
                case "annotations" -> annotations = texts(v);
                case "platform" -> platform = v.isNull() ? null : readPlatform(object(v));
                case "artifactType" -> artifactType = text(v);
                default -> extra.put(f.getKey(), unknown(f.getKey(), v));
            }
        }
        if (size == null) {
            throw UNUSUAL;
        }
        return new Descriptor(mediaType, digest, size, urls, annotations, platform, artifactType, extra);
    }

    private static Platform readPlatform(ObjectNode n) {
        String architecture = null;
        String os = null;
        String osVersion = null;
        List<String> osFeatures = null;
        String variant = null;
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            switch (f.getKey()) {
                case "architecture" -> architecture = text(v);
                case "os" -> os = text(v);
                case "os.version" -> osVersion = text(v);
                case "os.features" -> osFeatures = strings(v);
                case "variant" -> variant = text(v);
                default -> extra.put(f.getKey(), unknown(f.getKey(), v));
            }
        }
        return new Platform(architecture, os, osVersion, osFeatures, variant, extra);
    }

    private static ObjectNode object(JsonNode v) {
        if (!v.isObject()) {
            throw UNUSUAL;
        }
        return (ObjectNode) v;
    }

    // A null where a field's value goes binds to null, as Jackson binds it; a null inside a list or
    // map is left to Jackson. Lists are read with loops, not lambdas (see the writing side).

    private static String text(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw UNUSUAL;
        }
        return v.textValue();
    }

    private static String element(JsonNode v) {
        if (!v.isTextual()) {
            throw UNUSUAL;
        }
        return v.textValue();
    }

    private static Boolean bool(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw UNUSUAL;
        }
        return v.booleanValue();
    }

    private static Long longValue(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw UNUSUAL;
        }
        return v.longValue();
    }

    private static Integer intValue(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw UNUSUAL;
        }
        return v.intValue();
    }

    /** The elements of an array, or null for a null; anything else is unusual. */
    private static JsonNode array(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (!v.isArray()) {
            throw UNUSUAL;
        }
        return v;
    }

    private static List<String> strings(JsonNode v) {
        JsonNode a = array(v);
        if (a == null) {
            return null;
        }
        List<String> list = new ArrayList<>(a.size());
        for (JsonNode e : a) {
            list.add(element(e));
        }
        return list;
    }

    private static List<Digest> digests(JsonNode v) {
        JsonNode a = array(v);
        if (a == null) {
            return null;
        }
        List<Digest> list = new ArrayList<>(a.size());
        for (JsonNode e : a) {
            list.add(Digest.parse(element(e)));
        }
        return list;
    }

    private static List<Descriptor> readDescriptors(JsonNode v) {
        JsonNode a = array(v);
        if (a == null) {
            return null;
        }
        List<Descriptor> list = new ArrayList<>(a.size());
        for (JsonNode e : a) {
            list.add(readDescriptor(object(e)));
        }
        return list;
    }

    private static List<ImageConfig.History> histories(JsonNode v) {
        JsonNode a = array(v);
        if (a == null) {
            return null;
        }
        List<ImageConfig.History> list = new ArrayList<>(a.size());
        for (JsonNode e : a) {
            list.add(readHistory(object(e)));
        }
        return list;
    }

    private static Map<String, String> texts(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(v).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            map.put(f.getKey(), element(f.getValue()));
        }
        return map;
    }

    private static Map<String, JsonNode> nodes(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        Map<String, JsonNode> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object(v).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            map.put(f.getKey(), value(f.getValue()));
        }
        return map;
    }

    /** A value kept as it was read; a null is left to Jackson, which has its own rule for it. */
    private static JsonNode value(JsonNode v) {
        if (v.isNull()) {
            throw UNUSUAL;
        }
        return v;
    }

    /**
     * A field the record does not model, for its {@code extra} map. One named "extra" is left to
     * Jackson, which takes it for the map itself.
     */
    private static JsonNode unknown(String name, JsonNode v) {
        if (name.equals("extra")) {
            throw UNUSUAL;
        }
        return value(v);
    }
}
