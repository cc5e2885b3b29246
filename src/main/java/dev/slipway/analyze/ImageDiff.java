package dev.slipway.analyze;

import static dev.slipway.store.DockerFormat.humanSize;

import dev.slipway.store.DockerFormat;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code slipway diff A B}: the final file systems of two images compared path by path, as
 * container-diff's file differ does. A directory's size is everything under it.
 */
public final class ImageDiff {
    public record Entry(String path, long size) {
    }

    public record Changed(String path, long size1, long size2) {
    }

    public record Result(String image1, String image2, List<Entry> added, List<Entry> removed, List<Changed> changed) {
    }

    private ImageDiff() {
    }

    public static Filesystem finalFilesystem(Analysis a) {
        Filesystem fs = new Filesystem();
        for (Analysis.LayerReport l : a.layers()) {
            fs.apply(l.files());
        }
        return fs;
    }

    public static Result compute(Analysis a, Analysis b) {
        Filesystem fa = finalFilesystem(a);
        Filesystem fb = finalFilesystem(b);
        Map<String, Long> sa = sizes(fa);
        Map<String, Long> sb = sizes(fb);
        List<Entry> added = new ArrayList<>();
        List<Entry> removed = new ArrayList<>();
        List<Changed> changed = new ArrayList<>();
        for (var e : fb.entries().entrySet()) {
            Filesystem.Version old = fa.get(e.getKey());
            LayerFile now = e.getValue().entry();
            if (old == null) {
                added.add(new Entry("/" + e.getKey(), sb.get(e.getKey())));
            } else if (now.isDirectory() && old.entry().isDirectory()
                    ? !(now.mode() == old.entry().mode() && now.uid() == old.entry().uid() && now.gid() == old.entry().gid())
                    : !now.sameAs(old.entry())) {
                changed.add(new Changed("/" + e.getKey(), sa.get(e.getKey()), sb.get(e.getKey())));
            }
        }
        for (var e : fa.entries().entrySet()) {
            if (fb.get(e.getKey()) == null) {
                removed.add(new Entry("/" + e.getKey(), sa.get(e.getKey())));
            }
        }
        return new Result(a.name(), b.name(), added, removed, changed);
    }

    /** Each path's size: a file's own, a directory's total. */
    private static Map<String, Long> sizes(Filesystem fs) {
        Map<String, Long> sizes = new HashMap<>();
        for (var e : fs.entries().entrySet()) {
            long size = e.getValue().entry().size();
            sizes.merge(e.getKey(), size, Long::sum);
            String p = e.getKey();
            for (int slash = p.lastIndexOf('/'); slash > 0; slash = p.lastIndexOf('/', slash - 1)) {
                sizes.merge(p.substring(0, slash), size, Long::sum);
            }
        }
        return sizes;
    }

    public static String text(Result r) {
        StringBuilder out = new StringBuilder();
        out.append("-----File-----\n\n");
        section(out, "These entries have been added to " + r.image2() + ":", r.added());
        section(out, "These entries have been deleted from " + r.image1() + ":", r.removed());
        if (r.changed().isEmpty()) {
            out.append("These entries have been changed between ").append(r.image1()).append(" and ")
                    .append(r.image2()).append(": None\n");
        } else {
            out.append("These entries have been changed between ").append(r.image1()).append(" and ")
                    .append(r.image2()).append(":\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("FILE", "SIZE1", "SIZE2"));
            r.changed().forEach(c -> rows.add(List.of(c.path(), humanSize(c.size1()), humanSize(c.size2()))));
            out.append(DockerFormat.table(rows));
        }
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<Entry> entries) {
        if (entries.isEmpty()) {
            out.append(title).append(" None\n\n");
            return;
        }
        out.append(title).append('\n');
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("FILE", "SIZE"));
        entries.forEach(e -> rows.add(List.of(e.path(), humanSize(e.size()))));
        out.append(DockerFormat.table(rows)).append('\n');
    }
}
