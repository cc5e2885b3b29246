package dev.slipway.build.progress;

import dev.slipway.store.DockerFormat;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Progress bars for transfers on a terminal, one live line per blob moving
 * ({@code 3f4a1c2b9d0e: Downloading [=====>      ] 12.3MB/45.6MB 34.5MB/s}); a finished blob is
 * printed once as its status line, as {@link TransferView#lines} prints it off a terminal.
 */
public final class TransferBars extends LiveView implements TransferView {
    /** Rates are measured over this much of the recent past, so a stall shows. */
    private static final long RATE_WINDOW = 2_000_000_000L;
    private static final int MAX_BAR = 50;
    private static final int TAIL_ROOM = 24;

    private final Map<String, Bar> active = new LinkedHashMap<>();
    private final List<Line> settled = new ArrayList<>();

    /** One transfer on screen; {@link TtyProgress} draws them too, under a build's steps. */
    static final class Bar {
        final String action;
        final long size;
        final long since;
        long done;
        final Deque<long[]> samples = new ArrayDeque<>();

        Bar(String action, long size, long since) {
            this.action = action;
            this.size = size;
            this.since = since;
        }
    }

    TransferBars(PrintWriter out, LongSupplier nanoClock, Supplier<Terminal.Size> size, boolean color) {
        super(out, nanoClock, size, color);
    }

    /** Bars on the real terminal behind {@code out}, redrawn ten times a second until {@link #close()}. */
    public static TransferBars open(PrintWriter out) {
        Terminal.watchResize();
        TransferBars bars = new TransferBars(out, System::nanoTime, Terminal::size, Terminal.colors());
        bars.start();
        return bars;
    }

    static String label(String id) {
        return DockerFormat.transferLabel(id);
    }

    @Override
    public synchronized void started(String id, String action, long size) {
        active.put(id, new Bar(action, size, now()));
    }

    @Override
    public synchronized void progressed(String id, long done) {
        Bar b = active.get(id);
        if (b != null) {
            b.done = done;
        }
    }

    @Override
    public synchronized void finished(String id, String status) {
        active.remove(id);
        if (status != null) {
            settled.add(Line.of(label(id) + ": " + status));
        }
    }

    @Override
    synchronized void frame(long now, int width, int maxLive, boolean last, List<Line> out, List<Line> live) {
        out.addAll(settled);
        settled.clear();
        if (last) {
            active.clear();
            return;
        }
        int shown = 0;
        for (Map.Entry<String, Bar> e : active.entrySet()) {
            if (shown == maxLive - 1 && active.size() > maxLive) {
                live.add(Line.of("… " + (active.size() - shown) + " more"));
                break;
            }
            live.add(Line.of(line(label(e.getKey()), e.getValue(), now, width)));
            shown++;
        }
    }

    /** {@code label: Action [====>   ] done/size rate}, the bar as wide as the line allows. */
    static String line(String label, Bar b, long now, int width) {
        b.samples.addLast(new long[] {now, b.done});
        while (b.samples.size() > 2 && now - b.samples.peekFirst()[0] > RATE_WINDOW) {
            b.samples.removeFirst();
        }
        long[] first = b.samples.peekFirst();
        long elapsed = now - first[0];
        long moved = b.done - first[1];
        if (elapsed < PERIOD_MS * 1_000_000L) {
            elapsed = now - b.since;
            moved = b.done;
        }
        String rate = elapsed > 0 ? DockerFormat.humanSize(Math.max(0, moved) * 1e9 / elapsed, 3) + "/s" : "";
        String amount = b.size >= 0 ? DockerFormat.humanSize(b.done) + "/" + DockerFormat.humanSize(b.size)
                : DockerFormat.humanSize(b.done);
        String head = label + ": " + b.action + " ";
        String tailText = " " + amount + " " + rate;
        if (b.size <= 0) {
            return head + tailText.strip();
        }
        // Reserving room for a typical tail keeps the bars of one command the same width.
        int room = Math.min(MAX_BAR, width - Text.width(head) - Math.max(TAIL_ROOM, Text.width(tailText)) - 2);
        if (room < 6) {
            return head + tailText.strip();
        }
        return head + bar(b.done, b.size, room) + tailText;
    }

    /** Docker's bar: {@code [=====>     ]}, {@code cells} wide inside the brackets. */
    static String bar(long done, long size, int cells) {
        long clamped = Math.max(0, Math.min(done, size));
        int filled = size == 0 ? cells : (int) (clamped * cells / size);
        StringBuilder b = new StringBuilder("[");
        if (filled >= cells) {
            b.append("=".repeat(cells - 1)).append('>');
        } else {
            b.append("=".repeat(filled)).append('>').append(" ".repeat(cells - filled - 1));
        }
        return b.append(']').toString();
    }
}
