package dev.slipway.analyze;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * {@code analyze --format json} (schema version 1, documented in the README) and
 * {@code --format dive-json}, the shape of dive's {@code --json} export.
 */
public final class JsonReport {
    public static final int SCHEMA_VERSION = 1;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ObjectNode analysis(Analysis a) {
        ObjectNode root = F.objectNode();
        root.put("schemaVersion", SCHEMA_VERSION);
        ObjectNode image = root.putObject("image");
        image.put("name", a.name());
        image.put("repository", a.repository());
        image.put("tag", a.tag());
        image.put("id", a.id() == null ? null : a.id().toString());
        image.put("layerCount", a.layers().size());
        image.put("sizeBytes", a.sizeBytes());
        image.put("tarBytes", a.tarSize());
        image.put("compressedBytes", a.compressedSize());
        image.put("visibleBytes", a.visibleBytes());
        image.put("files", a.files());

        ArrayNode layers = root.putArray("layers");
        for (Analysis.LayerReport l : a.layers()) {
            ObjectNode n = layers.addObject();
            n.put("index", l.index());
            n.put("digest", l.digest() == null ? null : l.digest().toString());
            n.put("diffId", l.diffId() == null ? null : l.diffId().toString());
            n.put("mediaType", l.mediaType());
            n.put("compressedBytes", l.compressedSize());
            n.put("tarBytes", l.tarSize());
            n.put("sizeBytes", l.size());
            n.put("command", l.command());
            n.put("createdBy", l.createdBy());
            n.put("comment", l.comment());
            n.put("stage", l.stage());
            n.put("base", l.base());
            n.put("added", l.added());
            n.put("modified", l.modified());
            n.put("removed", l.removed());
            ArrayNode changes = n.putArray("changes");
            for (FileChange c : l.changes()) {
                ObjectNode cn = changes.addObject();
                cn.put("path", "/" + c.path());
                cn.put("change", c.change().name().toLowerCase(Locale.ROOT));
                cn.put("type", c.entry().type().name().toLowerCase(Locale.ROOT));
                cn.put("size", c.entry().size());
            }
        }

        Analysis.Dive d = a.dive();
        ObjectNode dive = root.putObject("dive");
        dive.put("sizeBytes", d.sizeBytes());
        dive.put("userSizeBytes", d.userSizeBytes());
        dive.put("efficiency", d.efficiency());
        dive.put("wastedBytes", d.wastedBytes());
        putRatio(dive, "userWastedPercent", d.userWastedPercent());
        ArrayNode ineff = dive.putArray("inefficientFiles");
        for (Analysis.InefficientPath p : d.inefficientFiles()) {
            ObjectNode n = ineff.addObject();
            n.put("path", p.path());
            n.put("count", p.count());
            n.put("cumulativeBytes", p.cumulativeBytes());
            n.put("minBytes", p.minBytes());
        }

        Analysis.Corrected c = a.corrected();
        ObjectNode corr = root.putObject("corrected");
        corr.put("reclaimableBytes", c.reclaimableBytes());
        ObjectNode reasons = corr.putObject("reclaimable");
        for (HiddenFile.Reason r : HiddenFile.Reason.values()) {
            ObjectNode n = reasons.putObject(reasonKey(r));
            n.put("bytes", c.reclaimableByReason().get(r));
            n.put("files", c.filesByReason().get(r));
        }
        corr.put("efficiency", c.efficiency());
        corr.put("diveWastedBytesExcludingKept", c.diveWastedBytesExcludingKept());
        corr.put("userSizeBytes", c.userSizeBytes());
        corr.put("userReclaimableBytes", c.userReclaimableBytes());
        putRatio(corr, "userWastedPercent", c.userWastedPercent() == null ? Double.NaN : c.userWastedPercent());
        corr.put("duplicateBytes", c.duplicateBytes());
        ArrayNode dups = corr.putArray("duplicates");
        for (Analysis.Duplicate dup : c.duplicates()) {
            ObjectNode n = dups.addObject();
            n.put("size", dup.size());
            n.put("wastedBytes", dup.wastedBytes());
            ArrayNode paths = n.putArray("paths");
            dup.paths().forEach(paths::add);
        }
        ArrayNode wasted = corr.putArray("largestWasted");
        for (HiddenFile h : c.largestWasted()) {
            ObjectNode n = wasted.addObject();
            n.put("path", "/" + h.path());
            n.put("size", h.size());
            n.put("layer", h.layer());
            n.put("hiddenBy", h.hiddenBy());
            n.put("reason", reasonKey(h.reason()));
        }

        ObjectNode base = root.putObject("base");
        base.put("layers", a.base().layers());
        base.put("method", a.base().method());
        base.put("name", a.base().name());

        sized(root.putArray("largestFiles"), a.largestFiles());
        sized(root.putArray("largestDirectories"), a.largestDirectories());
        ArrayNode stages = root.putArray("stages");
        for (Analysis.StageShare s : a.stages()) {
            ObjectNode n = stages.addObject();
            n.put("stage", s.stage());
            n.put("layers", s.layers());
            n.put("bytes", s.bytes());
            n.put("share", s.share());
        }
        return root;
    }

    /** Adds {@code ci}: the rules' results and the verdict. */
    public static void addCi(ObjectNode root, CiRules.Evaluation e) {
        ObjectNode ci = root.putObject("ci");
        ci.put("passed", e.passed());
        ArrayNode rules = ci.putArray("rules");
        for (CiRules.Result r : e.results()) {
            ObjectNode n = rules.addObject();
            n.put("rule", r.rule());
            n.put("status", r.status().name());
            n.put("message", r.message());
        }
    }

    static String reasonKey(HiddenFile.Reason r) {
        return switch (r) {
            case OVERWRITTEN -> "overwritten";
            case DELETED -> "deleted";
            case DELETED_WITH_DIRECTORY -> "deletedWithDirectory";
            case OPAQUE_DIRECTORY -> "opaqueDirectory";
        };
    }

    /** NaN and infinities are not JSON: they become null. */
    private static void putRatio(ObjectNode n, String key, double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            n.putNull(key);
        } else {
            n.put(key, value);
        }
    }

    private static void sized(ArrayNode array, java.util.List<Analysis.SizedPath> paths) {
        for (Analysis.SizedPath p : paths) {
            ObjectNode n = array.addObject();
            n.put("path", p.path());
            n.put("size", p.size());
        }
    }

    /**
     * dive's {@code --json} export: {@code layer[]} with every entry of each layer, and
     * {@code image} with dive's size, inefficient bytes, efficiency and inefficient paths.
     * {@code id} is the layer's diffID hex (dive prints a name from the archive, which other
     * sources do not have).
     */
    public static ObjectNode dive(Analysis a) {
        ObjectNode root = F.objectNode();
        ArrayNode layers = root.putArray("layer");
        for (Analysis.LayerReport l : a.layers()) {
            ObjectNode n = layers.addObject();
            n.put("index", l.index());
            n.put("id", l.diffId() == null ? "" : l.diffId().hex());
            n.put("digestId", l.diffId() == null ? "" : l.diffId().toString());
            n.put("sizeBytes", l.size());
            n.put("command", l.command());
            ArrayNode files = n.putArray("fileList");
            l.files().stream().filter(f -> !f.isMeta())
                    .sorted(java.util.Comparator.comparing(LayerFile::path))
                    .forEach(f -> {
                        ObjectNode fn = files.addObject();
                        fn.put("path", f.path());
                        fn.put("typeFlag", f.type().typeflag());
                        fn.put("linkName", f.linkTarget() == null ? "" : f.linkTarget());
                        fn.put("size", f.size());
                        fn.put("fileMode", goFileMode(f));
                        fn.put("uid", f.uid());
                        fn.put("gid", f.gid());
                        fn.put("isDir", f.isDirectory());
                    });
        }
        ObjectNode image = root.putObject("image");
        image.put("sizeBytes", a.dive().sizeBytes());
        image.put("inefficientBytes", a.dive().wastedBytes());
        image.put("efficiencyScore", a.dive().efficiency());
        ArrayNode refs = image.putArray("fileReference");
        for (Analysis.InefficientPath p : a.dive().inefficientFiles()) {
            ObjectNode n = refs.addObject();
            n.put("count", p.count());
            n.put("sizeBytes", p.cumulativeBytes());
            n.put("file", p.path());
        }
        return root;
    }

    /** Go's {@code os.FileMode} bits as dive's export prints them. */
    private static long goFileMode(LayerFile f) {
        long mode = f.mode() & 0777;
        if ((f.mode() & 04000) != 0) {
            mode |= 1L << 23;
        }
        if ((f.mode() & 02000) != 0) {
            mode |= 1L << 22;
        }
        if ((f.mode() & 01000) != 0) {
            mode |= 1L << 20;
        }
        mode |= switch (f.type()) {
            case DIRECTORY -> 1L << 31;
            case SYMLINK -> 1L << 27;
            case FIFO -> 1L << 25;
            case CHAR_DEVICE -> (1L << 26) | (1L << 21);
            case BLOCK_DEVICE -> 1L << 26;
            default -> 0L;
        };
        return mode;
    }
}
