package dev.slipway.analyze;

import static dev.slipway.store.DockerFormat.humanSize;

import dev.slipway.store.DockerFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human-readable reports: {@code analyze}'s and dive's CI report. */
public final class TextReport {
    private TextReport() {
    }

    public static String analysis(Analysis a) {
        StringBuilder out = new StringBuilder();
        out.append("Image: ").append(a.name());
        if (a.id() != null) {
            out.append("  (ID ").append(a.id().shortHex()).append(')');
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, "Size:  %s in %d layers (%s compressed), %d files in the final image%n",
                humanSize(a.tarSize()), a.layers().size(), humanSize(a.compressedSize()), a.files()));
        out.append('\n');

        List<List<String>> layers = new ArrayList<>();
        layers.add(List.of("LAYER", "SIZE", "ADDED", "MODIFIED", "REMOVED", "STAGE", "COMMAND"));
        for (Analysis.LayerReport l : a.layers()) {
            String stage = l.base() ? "(base)" : l.stage() == null ? "" : l.stage();
            layers.add(List.of(Integer.toString(l.index()), humanSize(l.size()), Integer.toString(l.added()),
                    Integer.toString(l.modified()), Integer.toString(l.removed()), stage,
                    DockerFormat.ellipsis(l.command().replace('\n', ' ').replace('\t', ' '), 60)));
        }
        out.append(DockerFormat.table(layers)).append('\n');

        Analysis.Dive d = a.dive();
        out.append("dive's figures (what dive reports and gates on):\n");
        out.append(String.format(Locale.ROOT, "  efficiency:            %.2f %%%n", d.efficiency() * 100));
        out.append(String.format(Locale.ROOT, "  wasted bytes:          %d bytes (%s)%n", d.wastedBytes(),
                GoHumanize.bytes(d.wastedBytes())));
        out.append(String.format(Locale.ROOT, "  user wasted percent:   %s (base = layer 0 only)%n",
                percent(d.userWastedPercent())));
        if (!d.inefficientFiles().isEmpty()) {
            out.append("  inefficient files (every copy counted, the kept one too):\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("    COUNT", "TOTAL SPACE", "PATH"));
            d.inefficientFiles().stream().limit(Analyzer.TOP).forEach(p -> rows.add(List.of(
                    "    " + p.count(), humanSize(p.cumulativeBytes()), p.path())));
            out.append(DockerFormat.table(rows));
            if (d.inefficientFiles().size() > Analyzer.TOP) {
                out.append("    … and ").append(d.inefficientFiles().size() - Analyzer.TOP).append(" more\n");
            }
        }
        out.append('\n');

        Analysis.Corrected c = a.corrected();
        out.append("Corrected figures:\n");
        out.append(String.format(Locale.ROOT, "  reclaimable bytes:     %d bytes (%s) in file versions nobody sees%n",
                c.reclaimableBytes(), humanSize(c.reclaimableBytes())));
        for (HiddenFile.Reason r : HiddenFile.Reason.values()) {
            out.append(String.format(Locale.ROOT, "    %-30s %8s in %d files%n", r.label() + ":",
                    humanSize(c.reclaimableByReason().get(r)), c.filesByReason().get(r)));
        }
        out.append(String.format(Locale.ROOT, "  efficiency:            %.2f %% of the layers' bytes are visible%n",
                c.efficiency() * 100));
        Analysis.BaseImage b = a.base();
        out.append(String.format(Locale.ROOT, "  base image:            %d layer%s (%s%s)%n", b.layers(),
                b.layers() == 1 ? "" : "s", describe(b.method()), b.name() == null ? "" : ": " + b.name()));
        out.append(String.format(Locale.ROOT, "  user wasted percent:   %s (%s reclaimable of %s added above the base)%n",
                c.userWastedPercent() == null ? "n/a" : percent(c.userWastedPercent()),
                humanSize(c.userReclaimableBytes()), humanSize(c.userSizeBytes())));
        out.append(String.format(Locale.ROOT, "  duplicate content:     %s in %d groups of identical files%n",
                humanSize(c.duplicateBytes()), c.duplicates().size()));
        out.append('\n');

        if (!c.largestWasted().isEmpty()) {
            out.append("Largest wasted files:\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("  SIZE", "LAYER", "HIDDEN BY", "HOW", "PATH"));
            for (HiddenFile h : c.largestWasted()) {
                rows.add(List.of("  " + humanSize(h.size()), Integer.toString(h.layer()), Integer.toString(h.hiddenBy()),
                        h.reason().label(), "/" + h.path()));
            }
            out.append(DockerFormat.table(rows)).append('\n');
        }
        if (!c.duplicates().isEmpty()) {
            out.append("Duplicate content:\n");
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("  WASTED", "EACH", "PATHS"));
            c.duplicates().stream().limit(Analyzer.TOP).forEach(dup -> rows.add(List.of("  " + humanSize(dup.wastedBytes()),
                    humanSize(dup.size()), String.join(" ", dup.paths()))));
            out.append(DockerFormat.table(rows)).append('\n');
        }
        out.append("Largest directories:\n").append(sized(a.largestDirectories())).append('\n');
        out.append("Largest files:\n").append(sized(a.largestFiles())).append('\n');
        out.append("Share by stage:\n");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("  STAGE", "LAYERS", "SIZE", "SHARE"));
        for (Analysis.StageShare s : a.stages()) {
            rows.add(List.of("  " + s.stage(), Integer.toString(s.layers()), humanSize(s.bytes()),
                    String.format(Locale.ROOT, "%.1f %%", s.share() * 100)));
        }
        out.append(DockerFormat.table(rows));
        return out.toString();
    }

    private static String sized(List<Analysis.SizedPath> paths) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("  SIZE", "PATH"));
        paths.forEach(p -> rows.add(List.of("  " + humanSize(p.size()), p.path())));
        return DockerFormat.table(rows);
    }

    private static String describe(String method) {
        return switch (method) {
            case "slipway-history" -> "from Slipway's stage marks in the history";
            case "store" -> "an image in the store whose layers this image starts with";
            case "buildkit-history" -> "from BuildKit's marks in the history";
            default -> "unknown: layer 0 taken as the base, as dive does";
        };
    }

    static String percent(double ratio) {
        if (Double.isNaN(ratio)) {
            return "NaN";
        }
        if (Double.isInfinite(ratio)) {
            return "+Inf";
        }
        return String.format(Locale.ROOT, "%.2f %%", ratio * 100);
    }

    /** dive's CI report ({@code ci/evaluator.go} layout) followed by the verdict line. */
    public static String ci(Analysis a, CiRules.Evaluation e) {
        Analysis.Dive d = a.dive();
        StringBuilder out = new StringBuilder();
        out.append("Analysis:\n");
        out.append(String.format(Locale.ROOT, "  efficiency:        %.2f %%%n", d.efficiency() * 100));
        out.append(String.format(Locale.ROOT, "  wastedBytes:       %d bytes (%s)%n", d.wastedBytes(),
                GoHumanize.bytes(d.wastedBytes())));
        out.append(String.format(Locale.ROOT, "  userWastedPercent: %s%n", percent(d.userWastedPercent())));
        out.append("Inefficient Files:\n");
        out.append(String.format(Locale.ROOT, "  %-5s  %-12s  %s%n", "Count", "Wasted Space", "File Path"));
        for (Analysis.InefficientPath p : d.inefficientFiles()) {
            out.append(String.format(Locale.ROOT, "  %-5d  %-12s  %s%n", p.count(), GoHumanize.bytes(p.cumulativeBytes()),
                    p.path()));
        }
        out.append("Evaluation:\n");
        int pass = 0;
        int fail = 0;
        int skip = 0;
        for (CiRules.Result r : e.results()) {
            out.append(String.format(Locale.ROOT, "  %-4s  %s (%s)%n", r.status(), r.rule(), r.message()));
            switch (r.status()) {
                case PASS -> pass++;
                case FAIL -> fail++;
                case SKIP -> skip++;
            }
        }
        out.append('\n');
        StringBuilder counts = new StringBuilder();
        if (pass > 0) {
            counts.append("pass:").append(pass);
        }
        if (fail > 0) {
            counts.append(counts.isEmpty() ? "" : " ").append("fail:").append(fail);
        }
        if (skip > 0) {
            counts.append(counts.isEmpty() ? "" : " ").append("skip:").append(skip);
        }
        out.append(e.passed() ? "PASS" : "FAIL").append(" [").append(counts).append("]\n");
        return out.toString();
    }
}
