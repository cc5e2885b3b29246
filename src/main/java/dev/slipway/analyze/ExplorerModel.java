package dev.slipway.analyze;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What the terminal view shows, without the terminal: the selected layer, the file tree of the
 * image as of that layer with the layer's changes marked (removed paths kept so they can be
 * seen), collapsed directories and a filter. A directory is marked modified when anything under
 * it changed, unless the directory itself was added or removed.
 */
public final class ExplorerModel {
    /** One visible line of the tree. */
    public record Row(String path, String name, int depth, boolean directory, boolean collapsed, long size,
            Change change) {
    }

    private static final class Node {
        final String path;
        final String name;
        final TreeMap<String, Node> children = new TreeMap<>();
        boolean directory;
        long ownSize;
        Change change = Change.UNMODIFIED;
        long size;

        Node(String path, String name) {
            this.path = path;
            this.name = name;
        }
    }

    private final Analysis analysis;
    private int layer;
    private Node root;
    private final Set<String> collapsed = new HashSet<>();
    private String filter = "";
    private Pattern filterPattern;
    private List<Row> rows = List.of();

    public ExplorerModel(Analysis analysis) {
        this.analysis = analysis;
        selectLayer(0);
    }

    public Analysis analysis() {
        return analysis;
    }

    public int layer() {
        return layer;
    }

    public void selectLayer(int index) {
        if (analysis.layers().isEmpty()) {
            root = new Node("", "/");
            rows = List.of();
            return;
        }
        layer = Math.max(0, Math.min(index, analysis.layers().size() - 1));
        Filesystem fs = new Filesystem();
        Filesystem.Delta delta = null;
        for (int i = 0; i <= layer; i++) {
            delta = fs.apply(analysis.layers().get(i).files());
        }
        root = new Node("", "/");
        root.directory = true;
        for (Filesystem.Version v : fs.all()) {
            add(v.entry().path(), v.entry());
        }
        for (FileChange c : delta.changes()) {
            Node n = add(c.path(), c.entry());
            n.change = c.change();
        }
        total(root);
        refresh();
    }

    private Node add(String path, LayerFile entry) {
        Node n = root;
        StringBuilder p = new StringBuilder();
        for (String part : path.split("/")) {
            p.append(p.isEmpty() ? "" : "/").append(part);
            Node parent = n;
            String childPath = p.toString();
            n = parent.children.computeIfAbsent(part, k -> new Node(childPath, k));
            if (n != parent && !childPath.equals(path)) {
                n.directory = true;
            }
        }
        n.directory = entry.isDirectory();
        n.ownSize = entry.size();
        return n;
    }

    private static void total(Node n) {
        long size = n.ownSize;
        boolean changed = false;
        for (Node c : n.children.values()) {
            total(c);
            if (c.change != Change.REMOVED || n.change == Change.REMOVED) {
                size += c.size;
            }
            changed |= c.change != Change.UNMODIFIED;
        }
        n.size = size;
        if (changed && n.change == Change.UNMODIFIED) {
            n.change = Change.MODIFIED;
        }
    }

    public void toggle(String path) {
        if (!collapsed.remove(path)) {
            collapsed.add(path);
        }
        refresh();
    }

    /** A regular expression over the full path, as dive's filter; empty shows everything. */
    public void filter(String text) {
        filter = text;
        try {
            filterPattern = text.isEmpty() ? null : Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            filterPattern = Pattern.compile(Pattern.quote(text));
        }
        refresh();
    }

    public String filterText() {
        return filter;
    }

    public List<Row> rows() {
        return rows;
    }

    private void refresh() {
        List<Row> out = new ArrayList<>();
        for (Node c : root.children.values()) {
            visit(c, 0, out);
        }
        rows = List.copyOf(out);
    }

    private boolean matches(Node n) {
        if (filterPattern == null || filterPattern.matcher("/" + n.path).find()) {
            return true;
        }
        for (Node c : n.children.values()) {
            if (matches(c)) {
                return true;
            }
        }
        return false;
    }

    private void visit(Node n, int depth, List<Row> out) {
        if (!matches(n)) {
            return;
        }
        boolean isCollapsed = collapsed.contains(n.path);
        out.add(new Row(n.path, n.name, depth, n.directory, isCollapsed, n.size, n.change));
        if (!isCollapsed) {
            for (Node c : n.children.values()) {
                visit(c, depth + 1, out);
            }
        }
    }

    /** Counts of the selected layer's changes by kind, for the status line. */
    public Map<Change, Integer> changeCounts() {
        Map<Change, Integer> counts = new TreeMap<>();
        Analysis.LayerReport l = analysis.layers().get(layer);
        counts.put(Change.ADDED, l.added());
        counts.put(Change.MODIFIED, l.modified());
        counts.put(Change.REMOVED, l.removed());
        return counts;
    }
}
