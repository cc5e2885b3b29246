package dev.slipway.analyze;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The image's file system as OCI layers stack (image-spec {@code layer.md}): in each layer,
 * opaque markers hide the lower contents of their directory and whiteouts delete a lower path
 * with everything under it, both before the layer's own entries are added; an entry replaces
 * the lower one at its path, and a non-directory replacing a directory drops what was under it.
 * Parent directories a layer does not list are implied, as runtimes create them.
 */
public final class Filesystem {
    /** A path's current entry and the layer it came from. */
    public record Version(LayerFile entry, int layer) {
    }

    /** What applying one layer did. */
    public record Delta(List<FileChange> changes, List<HiddenFile> hidden) {
    }

    private final TreeMap<String, Version> entries = new TreeMap<>();
    private int layers;

    public Delta apply(List<LayerFile> files) {
        int layer = layers++;
        Map<String, LayerFile> adds = new TreeMap<>();
        List<LayerFile> opaque = new ArrayList<>();
        List<LayerFile> whiteouts = new ArrayList<>();
        for (LayerFile f : files) {
            if (f.isOpaque()) {
                opaque.add(f);
            } else if (f.isWhiteout()) {
                whiteouts.add(f);
            } else if (!f.isMeta()) {
                adds.put(f.path(), f);
            }
        }
        Map<String, Removal> removed = new LinkedHashMap<>();
        for (LayerFile o : opaque) {
            for (String p : new ArrayList<>(under(o.parent()).keySet())) {
                removed.put(p, new Removal(entries.remove(p), HiddenFile.Reason.OPAQUE_DIRECTORY));
            }
        }
        for (LayerFile w : whiteouts) {
            String target = w.target();
            Version v = entries.remove(target);
            if (v != null) {
                removed.put(target, new Removal(v, HiddenFile.Reason.DELETED));
            }
            for (String p : new ArrayList<>(under(target).keySet())) {
                removed.put(p, new Removal(entries.remove(p), HiddenFile.Reason.DELETED_WITH_DIRECTORY));
            }
        }
        List<FileChange> changes = new ArrayList<>();
        List<HiddenFile> hidden = new ArrayList<>();
        for (LayerFile f : adds.values()) {
            implyParents(f.path(), layer, changes);
            Version lower = entries.get(f.path());
            Removal gone = removed.remove(f.path());
            if (lower == null && gone != null) {
                lower = gone.version;
            }
            if (lower != null && lower.entry().isDirectory() && !f.isDirectory()) {
                for (String p : new ArrayList<>(under(f.path()).keySet())) {
                    Version v = entries.remove(p);
                    changes.add(new FileChange(p, Change.REMOVED, v.entry()));
                    hide(hidden, p, v, layer, HiddenFile.Reason.OVERWRITTEN);
                }
            }
            if (lower == null) {
                changes.add(new FileChange(f.path(), Change.ADDED, f));
            } else {
                changes.add(new FileChange(f.path(), f.sameAs(lower.entry()) ? Change.UNMODIFIED : Change.MODIFIED, f));
                hide(hidden, f.path(), lower, layer, HiddenFile.Reason.OVERWRITTEN);
            }
            entries.put(f.path(), new Version(f, layer));
        }
        for (Map.Entry<String, Removal> r : removed.entrySet()) {
            changes.add(new FileChange(r.getKey(), Change.REMOVED, r.getValue().version.entry()));
            hide(hidden, r.getKey(), r.getValue().version, layer, r.getValue().reason);
        }
        changes.sort(java.util.Comparator.comparing(FileChange::path));
        return new Delta(List.copyOf(changes), List.copyOf(hidden));
    }

    private record Removal(Version version, HiddenFile.Reason reason) {
    }

    private static void hide(List<HiddenFile> hidden, String path, Version v, int layer, HiddenFile.Reason reason) {
        if (v.entry().type() == dev.slipway.layer.EntryType.FILE) {
            hidden.add(new HiddenFile(path, v.entry().size(), v.layer(), layer, reason));
        }
    }

    private void implyParents(String path, int layer, List<FileChange> changes) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) {
            return;
        }
        String parent = path.substring(0, slash);
        if (entries.containsKey(parent)) {
            return;
        }
        implyParents(parent, layer, changes);
        LayerFile dir = new LayerFile(parent, dev.slipway.layer.EntryType.DIRECTORY, 0, 0755, 0, 0, null, 0, 0);
        entries.put(parent, new Version(dir, layer));
        changes.add(new FileChange(parent, Change.ADDED, dir));
    }

    /** Entries strictly below {@code dir} ("" is the root). */
    public NavigableMap<String, Version> under(String dir) {
        if (dir.isEmpty()) {
            return entries;
        }
        return entries.subMap(dir + "/", true, dir + "0", false);
    }

    public Version get(String path) {
        return entries.get(path);
    }

    public Collection<Version> all() {
        return Collections.unmodifiableCollection(entries.values());
    }

    public NavigableMap<String, Version> entries() {
        return Collections.unmodifiableNavigableMap(entries);
    }
}
