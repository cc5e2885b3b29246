package dev.slipway.analyze;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * dive's efficiency score and inefficient paths, reproduced with its quirks so the numbers agree
 * with dive (wagoodman/dive {@code filetree/efficiency.go}, {@code image/analysis.go}).
 *
 * <p>Each layer's own tree holds its entries plus implicit parent directories with empty info.
 * Every leaf of it is one "sighting" of its path (a whiteout's path is the deleted path); its
 * size is the entry size, or for a whiteout the size of the deleted directory in the stack of
 * the layers below (0 for a file, and 0 when that node's info does not say directory). Opaque
 * markers and other {@code .wh..wh.} names are dropped, as dive drops them. A path sighted twice
 * or more is inefficient; dive's wasted bytes are the whole cumulative size of those paths.
 */
final class DiveEfficiency {
    /** One path's sightings. */
    record PathStat(String path, int count, long cumulative, long min) {
    }

    private static final class Node {
        final TreeMap<String, Node> children = new TreeMap<>();
        boolean isDir;
        long size;
        boolean whiteout;
        String path;
    }

    private final Map<String, long[]> stats = new HashMap<>();
    private final List<String> inefficient = new ArrayList<>();
    private Node stacked;
    private int layers;

    void addLayer(List<LayerFile> files) {
        Node own = ownTree(files);
        if (layers == 0) {
            stacked = ownTree(files);
        }
        visitChildFirst(own, node -> {
            if (!node.children.isEmpty()) {
                return;
            }
            String p = "/" + node.path;
            long size = node.whiteout ? removedSize(p) : node.size;
            long[] s = stats.computeIfAbsent(p, k -> new long[] {0, 0, -1});
            s[0]++;
            s[1] += size;
            s[2] = s[2] < 0 ? size : Math.min(s[2], size);
            if (s[0] == 2) {
                inefficient.add(p);
            }
        });
        visitChildFirst(own, node -> {
            if (node.whiteout) {
                remove(node.path);
            } else {
                add(node.path, node.isDir, node.size);
            }
        });
        layers++;
    }

    /** Σ min / Σ cumulative over every sighted path; 1 when nothing was sighted or all sizes are 0. */
    double efficiency() {
        long sumMin = 0;
        long sumCum = 0;
        for (long[] s : stats.values()) {
            sumMin += s[2];
            sumCum += s[1];
        }
        return sumCum == 0 ? 1.0 : (double) sumMin / (double) sumCum;
    }

    /** dive's "wasted bytes": Σ cumulative size of the inefficient paths, the kept copy included. */
    long wastedBytes() {
        return inefficient.stream().mapToLong(p -> stats.get(p)[1]).sum();
    }

    /** What dive's wasted bytes would be without the kept copy (the dive#684 fix): Σ (cumulative − min). */
    long wastedBytesExcludingMin() {
        return inefficient.stream().mapToLong(p -> stats.get(p)[1] - stats.get(p)[2]).sum();
    }

    /** Inefficient paths, largest cumulative size first, then by path. */
    List<PathStat> inefficientPaths() {
        return inefficient.stream()
                .map(p -> new PathStat(p, (int) stats.get(p)[0], stats.get(p)[1], stats.get(p)[2]))
                .sorted(Comparator.comparingLong(PathStat::cumulative).reversed().thenComparing(PathStat::path))
                .toList();
    }

    private static Node ownTree(List<LayerFile> files) {
        Node root = new Node();
        root.path = "";
        for (LayerFile f : files) {
            if (f.isMeta()) {
                continue;
            }
            Node n = walk(root, f.path());
            n.isDir = f.isDirectory();
            n.size = f.size();
            n.whiteout = f.isWhiteout();
            if (n.whiteout) {
                n.path = f.target();
            }
        }
        return root;
    }

    /** dive's AddPath walk: missing nodes on the way are created with empty info. */
    private static Node walk(Node root, String path) {
        Node n = root;
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            Node parent = n;
            n = parent.children.get(path.substring(start, end));
            if (n == null) {
                n = new Node();
                n.path = path.substring(0, end);
                parent.children.put(path.substring(start, end), n);
            }
            start = end + 1;
        }
        return n;
    }

    private long removedSize(String slashPath) {
        Node n = find(slashPath.substring(1));
        if (n == null || !n.isDir) {
            return 0;
        }
        return subtreeSize(n);
    }

    private static long subtreeSize(Node n) {
        long total = n.size;
        for (Node c : n.children.values()) {
            total += subtreeSize(c);
        }
        return total;
    }

    private Node find(String path) {
        Node n = stacked;
        int start = 0;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            n = n.children.get(path.substring(start, end));
            if (n == null) {
                return null;
            }
            start = end + 1;
        }
        return n;
    }

    private void add(String path, boolean isDir, long size) {
        Node n = walk(stacked, path);
        n.isDir = isDir;
        n.size = size;
        n.whiteout = false;
    }

    private void remove(String path) {
        int slash = path.lastIndexOf('/');
        Node parent = slash < 0 ? stacked : find(path.substring(0, slash));
        if (parent != null) {
            parent.children.remove(slash < 0 ? path : path.substring(slash + 1));
        }
    }

    /** Visits {@code node}'s tree, children first; the visitor must not change that tree. */
    private static void visitChildFirst(Node node, java.util.function.Consumer<Node> visitor) {
        for (Node c : node.children.values()) {
            visitChildFirst(c, visitor);
        }
        if (!node.path.isEmpty() || node.whiteout) {
            visitor.accept(node);
        }
    }
}
