package dev.slipway.cli;

import dev.slipway.image.Descriptor;
import dev.slipway.registry.TransferListener;
import dev.slipway.store.DockerFormat;
import dev.slipway.store.TransferProgress;

/** A pull's or push's blobs for a view: bytes as they move, then each outcome in Docker's words. */
final class TransferPrinter implements TransferListener {
    private final TransferProgress view;

    TransferPrinter(TransferProgress view) {
        this.view = view;
    }

    @Override
    public void started(String id, String action, long size) {
        view.started(id, action, size);
    }

    @Override
    public void progressed(String id, long done) {
        view.progressed(id, done);
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
        view.finished(blob.digest().toString(), what);
    }
}
