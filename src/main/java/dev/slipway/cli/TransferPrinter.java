package dev.slipway.cli;

import dev.slipway.image.Descriptor;
import dev.slipway.registry.TransferListener;
import java.io.PrintWriter;
import java.util.Locale;

/** One line per blob, as Docker prints them once a blob is done. */
final class TransferPrinter implements TransferListener {
    private final PrintWriter out;

    TransferPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void blobDone(Descriptor blob, Outcome outcome, String detail) {
        String what = switch (outcome) {
            case ALREADY_EXISTS -> "Already exists";
            case DOWNLOADED -> "Pull complete (" + humanSize(blob.size()) + ")";
            case PUSHED -> "Pushed (" + humanSize(blob.size()) + ")";
            case MOUNTED -> "Mounted from " + detail;
            case SKIPPED_FOREIGN -> "Skipped foreign layer";
        };
        synchronized (out) {
            out.println(blob.digest().shortHex() + ": " + what);
            out.flush();
        }
    }

    /** Docker's decimal units: 1.2MB, 532kB, 12B. */
    static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = 0;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return u == 0 ? bytes + "B" : String.format(Locale.ROOT, "%.3g%s", v, units[u]);
    }
}
