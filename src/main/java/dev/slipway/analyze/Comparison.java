package dev.slipway.analyze;

import static dev.slipway.store.DockerFormat.humanSize;

import dev.slipway.store.DockerFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code slipway compare}: one row per image with Docker's SIZE, layers, files, reclaimable
 * (wasted) bytes and the difference in size from the first image.
 */
public final class Comparison {
    public record Row(String repository, String tag, long size, int layers, int files, long wastedBytes,
            long diffBytes, Double diffPercent) {
    }

    private Comparison() {
    }

    public static List<Row> rows(List<Analysis> analyses) {
        List<Row> rows = new ArrayList<>();
        long first = analyses.isEmpty() ? 0 : analyses.get(0).tarSize();
        for (Analysis a : analyses) {
            long diff = a.tarSize() - first;
            rows.add(new Row(a.repository(), a.tag(), a.tarSize(), a.layers().size(), a.files(),
                    a.corrected().reclaimableBytes(), diff, first == 0 ? null : 100.0 * diff / first));
        }
        return rows;
    }

    public static String table(List<Row> rows) {
        List<List<String>> cells = new ArrayList<>();
        cells.add(List.of("REPOSITORY", "TAG", "SIZE", "LAYERS", "FILES", "WASTED", "DIFF", "DIFF %"));
        for (Row r : rows) {
            cells.add(List.of(r.repository(), r.tag(), humanSize(r.size()), Integer.toString(r.layers()),
                    Integer.toString(r.files()), humanSize(r.wastedBytes()), signedSize(r.diffBytes()),
                    r.diffPercent() == null ? "n/a" : String.format(Locale.ROOT, "%+.1f%%", r.diffPercent())));
        }
        return DockerFormat.table(cells);
    }

    static String signedSize(long bytes) {
        if (bytes == 0) {
            return "0B";
        }
        return (bytes < 0 ? "-" : "+") + humanSize(Math.abs(bytes));
    }
}
