package dev.slipway.build.progress;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A view redrawn in place at the bottom of a terminal: lines that are settled are printed once and
 * scroll away above it; the live part below them is redrawn every {@value #PERIOD_MS} ms by one
 * thread. A redraw moves the cursor up over the live part and overwrites it line by line, erasing
 * what is left of each old line, all in one write, so nothing flickers. Live lines are cut to the
 * width so the cursor arithmetic holds; the live part never takes the whole screen height.
 */
abstract class LiveView implements AutoCloseable {
    static final long PERIOD_MS = 100;
    private static final String ERASE_LINE = "\033[K";
    private static final String ERASE_BELOW = "\033[J";

    private final PrintWriter out;
    private final LongSupplier nanoClock;
    private final Supplier<Terminal.Size> size;
    private final boolean color;
    private int drawn;
    private String lastLive = "";
    private boolean closed;
    private ScheduledExecutorService ticker;

    LiveView(PrintWriter out, LongSupplier nanoClock, Supplier<Terminal.Size> size, boolean color) {
        this.out = out;
        this.nanoClock = nanoClock;
        this.size = size;
        this.color = color;
    }

    /**
     * What to show at {@code now} on a screen {@code width} columns wide: lines settled since the
     * last frame go to {@code settled} (they are taken: the next frame must not give them again), the
     * live part to {@code live}, at most {@code maxLive} lines. {@code last} is the final frame: it
     * stays on the screen.
     */
    abstract void frame(long now, int width, int maxLive, boolean last, List<Line> settled, List<Line> live);

    long now() {
        return nanoClock.getAsLong();
    }

    /** Starts redrawing on a daemon thread. */
    final synchronized void start() {
        if (ticker == null && !closed) {
            ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "slipway-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(this::tick, 0, PERIOD_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Draws one frame now; the ticker calls this, tests call it with a fake clock. */
    final synchronized void tick() {
        if (!closed) {
            draw(false);
        }
    }

    /** Draws the final frame, which stays, and stops redrawing. Idempotent. */
    @Override
    public final void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            t = ticker;
            ticker = null;
        }
        if (t != null) {
            t.shutdownNow();
        }
        synchronized (this) {
            if (!closed) {
                draw(true);
                closed = true;
            }
        }
    }

    /** Prints a line below the final frame once the view is closed; false while it is live. */
    final synchronized boolean printAfterClose(Line line) {
        if (!closed) {
            return false;
        }
        out.println(line.render(Integer.MAX_VALUE, color));
        out.flush();
        return true;
    }

    private void draw(boolean last) {
        Terminal.Size s = size.get();
        int width = Math.max(20, s.columns() - 1);
        List<Line> settled = new ArrayList<>();
        List<Line> live = new ArrayList<>();
        frame(now(), width, Math.max(2, s.rows() - 1), last, settled, live);
        StringBuilder liveText = new StringBuilder();
        for (Line l : live) {
            liveText.append(l.render(width, color)).append(ERASE_LINE).append('\n');
        }
        if (settled.isEmpty() && !last && liveText.toString().equals(lastLive)) {
            return;
        }
        StringBuilder b = new StringBuilder();
        if (drawn > 0) {
            b.append('\r').append("\033[").append(drawn).append('A');
        }
        if (!settled.isEmpty()) {
            // Settled lines may wrap; clearing first keeps the old live part from showing beside them.
            b.append(ERASE_BELOW);
            for (Line l : settled) {
                b.append(l.render(width, color)).append('\n');
            }
        }
        b.append(liveText).append(ERASE_BELOW);
        drawn = last ? 0 : live.size();
        lastLive = liveText.toString();
        out.print(b);
        out.flush();
    }
}
