package dev.slipway.cli;

import dev.slipway.image.Descriptor;
import dev.slipway.registry.TransferListener;
import dev.slipway.store.DockerFormat;
import java.io.PrintWriter;

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
            case DOWNLOADED -> "Pull complete (" + DockerFormat.humanSize(blob.size()) + ")";
            case PUSHED -> "Pushed (" + DockerFormat.humanSize(blob.size()) + ")";
            case MOUNTED -> "Mounted from " + detail;
            case SKIPPED_FOREIGN -> "Skipped foreign layer";
        };
        synchronized (out) {
            out.println(blob.digest().shortHex() + ": " + what);
            out.flush();
        }
    }
}
