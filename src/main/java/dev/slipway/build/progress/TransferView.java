package dev.slipway.build.progress;

import dev.slipway.store.TransferProgress;
import java.io.PrintWriter;

/** A {@link TransferProgress} shown to a user; closing it draws its last frame. */
public interface TransferView extends TransferProgress, AutoCloseable {
    TransferView NONE = new TransferView() {
        @Override
        public boolean shown() {
            return false;
        }
    };

    @Override
    default void close() {
    }

    /** Bars when {@code out} is a terminal, else one line per finished transfer. */
    static TransferView open(PrintWriter out, boolean terminal) {
        return terminal ? TransferBars.open(out) : lines(out);
    }

    /** Bars when {@code out} is a terminal, else nothing. */
    static TransferView barsOnly(PrintWriter out, boolean terminal) {
        return terminal ? TransferBars.open(out) : NONE;
    }

    /** Off a terminal: one line per finished transfer, {@code 3f4a1c2b9d0e: Pull complete (3.2MB)}. */
    static TransferView lines(PrintWriter out) {
        return new TransferView() {
            @Override
            public void finished(String id, String status) {
                if (status != null) {
                    synchronized (out) {
                        out.println(TransferBars.label(id) + ": " + status);
                        out.flush();
                    }
                }
            }
        };
    }
}
