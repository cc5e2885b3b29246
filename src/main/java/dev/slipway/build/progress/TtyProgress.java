package dev.slipway.build.progress;

import dev.slipway.build.Progress;
import dev.slipway.store.TransferProgress;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * BuildKit's terminal view of a build, for {@code --progress tty}: a status line
 * {@code [+] Building 12.3s (7/12)} over the steps running now, each with its timer and its last
 * {@value #TAIL} output lines dimmed; a step that ends is printed once, collapsed to one line
 * ({@code => [builder 3/5] RUN go build  4.2s}, {@code => CACHED [builder 2/5] COPY go.mod .}, or
 * {@code => ERROR ...} followed by its output and the full error). Blobs on the move (a base image
 * being pulled, the image being pushed) show as bars with bytes and rate below the steps, and as one
 * line each once done. Thread-safe: parallel stages report to it at once, and one thread redraws it.
 */
public final class TtyProgress extends LiveView implements Progress {
    static final int TAIL = 6;

    private final long begun;
    private final Map<Integer, Running> running = new LinkedHashMap<>();
    private final List<Line> settled = new ArrayList<>();
    private final Map<String, TransferBars.Bar> transfers = new LinkedHashMap<>();
    private int started;
    private int finished;

    /** A step running now. */
    private static final class Running {
        final String label;
        final long since;
        final List<String> details = new ArrayList<>();
        final Deque<String> tail = new ArrayDeque<>();

        Running(String label, long since) {
            this.label = label;
            this.since = since;
        }
    }

    TtyProgress(PrintWriter out, LongSupplier nanoClock, Supplier<Terminal.Size> size, boolean color) {
        super(out, nanoClock, size, color);
        this.begun = nanoClock.getAsLong();
    }

    /** The view on a real terminal behind {@code out}, redrawn ten times a second until {@link #close()}. */
    public static TtyProgress open(PrintWriter out) {
        Terminal.watchResize();
        TtyProgress p = new TtyProgress(out, System::nanoTime, Terminal::size, Terminal.colors());
        p.start();
        return p;
    }

    @Override
    public synchronized int start(String label) {
        int n = ++started;
        running.put(n, new Running(label, now()));
        return n;
    }

    @Override
    public synchronized void output(int step, String line) {
        Running r = running.get(step);
        if (r != null) {
            r.tail.addLast(Text.clean(line));
            if (r.tail.size() > TAIL) {
                r.tail.removeFirst();
            }
        }
    }

    @Override
    public synchronized void detail(int step, String text) {
        Running r = running.get(step);
        if (r != null) {
            r.details.add(text);
        } else {
            settled.add(Line.of("=> => " + text));
        }
    }

    @Override
    public synchronized void done(int step) {
        Running r = end(step);
        if (r != null) {
            settled.add(Line.of("=> " + r.label, seconds(now() - r.since), Line.Style.PLAIN));
            r.details.forEach(d -> settled.add(Line.of("=> => " + d)));
        }
    }

    @Override
    public synchronized void cached(int step) {
        Running r = end(step);
        if (r != null) {
            settled.add(Line.of("=> CACHED " + r.label, "", Line.Style.PLAIN));
            r.details.forEach(d -> settled.add(Line.of("=> => " + d)));
        }
    }

    @Override
    public synchronized void error(int step, String message) {
        Running r = end(step);
        if (r != null) {
            settled.add(Line.of("=> ERROR " + r.label, seconds(now() - r.since), Line.Style.RED));
            r.details.forEach(d -> settled.add(Line.of("=> => " + d)));
            r.tail.forEach(l -> settled.add(Line.of("=> => # " + l, "", Line.Style.DIM)));
        }
        settled.add(Line.full("ERROR: " + message, Line.Style.RED));
    }

    @Override
    public synchronized void canceled(int step) {
        Running r = end(step);
        if (r != null) {
            settled.add(Line.of("=> CANCELED " + r.label, seconds(now() - r.since), Line.Style.YELLOW));
        }
    }

    /** A note; after {@link #close()} it is printed at once, below the final frame (the build's summary). */
    @Override
    public synchronized void note(String message) {
        Line line = Line.full(message, message.startsWith("WARNING") ? Line.Style.YELLOW : Line.Style.PLAIN);
        if (!printAfterClose(line)) {
            settled.add(line);
        }
    }

    @Override
    public TransferProgress transfers() {
        return new TransferProgress() {
            @Override
            public void started(String id, String action, long size) {
                synchronized (TtyProgress.this) {
                    transfers.put(id, new TransferBars.Bar(action, size, now()));
                }
            }

            @Override
            public void progressed(String id, long done) {
                synchronized (TtyProgress.this) {
                    TransferBars.Bar b = transfers.get(id);
                    if (b != null) {
                        b.done = done;
                    }
                }
            }

            @Override
            public void finished(String id, String status) {
                synchronized (TtyProgress.this) {
                    transfers.remove(id);
                    if (status != null) {
                        settled.add(Line.of("=> => " + TransferBars.label(id) + ": " + status));
                    }
                }
            }
        };
    }

    private Running end(int step) {
        Running r = running.remove(step);
        if (r != null) {
            finished++;
        }
        return r;
    }

    @Override
    synchronized void frame(long now, int width, int maxLive, boolean last, List<Line> out, List<Line> live) {
        out.addAll(settled);
        settled.clear();
        if (last) {
            for (Running r : running.values()) {
                out.add(Line.of("=> CANCELED " + r.label, seconds(now - r.since), Line.Style.YELLOW));
            }
            running.clear();
            transfers.clear();
        }
        live.add(Line.of("[+] Building " + seconds(now - begun) + " (" + finished + "/" + started + ")"
                + (last ? " FINISHED" : ""), "", Line.Style.BLUE));
        if (last) {
            return;
        }
        // Transfers get up to half the live lines; the steps keep the rest.
        int bars = transfers.isEmpty() ? 0 : Math.min(transfers.size(), Math.max(1, (maxLive - 1) / 2));
        int budget = maxLive - 1 - bars;
        int tail = TAIL;
        while (tail > 0 && lines(tail, true) > budget) {
            tail--;
        }
        boolean details = lines(0, true) <= budget;
        int shown = 0;
        for (Running r : running.values()) {
            int rest = running.size() - shown;
            // live holds the status line too: this step and a "more" line must both still fit
            if (rest > 1 && live.size() >= budget) {
                live.add(Line.of("=> … " + rest + " more steps running"));
                break;
            }
            live.add(Line.of("=> " + r.label, seconds(now - r.since), Line.Style.PLAIN));
            if (details) {
                r.details.forEach(d -> live.add(Line.of("=> => " + d)));
            }
            int skip = Math.max(0, r.tail.size() - tail);
            r.tail.stream().skip(skip).forEach(l -> live.add(Line.of("=> => # " + l, "", Line.Style.DIM)));
            shown++;
        }
        int drawn = 0;
        for (Map.Entry<String, TransferBars.Bar> e : transfers.entrySet()) {
            if (drawn == bars - 1 && transfers.size() > bars) {
                live.add(Line.of("=> => … " + (transfers.size() - drawn) + " more transfers"));
                break;
            }
            live.add(Line.of("=> => " + TransferBars.line(TransferBars.label(e.getKey()), e.getValue(), now,
                    width - "=> => ".length())));
            drawn++;
        }
    }

    /** How many live lines the running steps take with {@code tail} output lines each. */
    private int lines(int tail, boolean details) {
        int n = 0;
        for (Running r : running.values()) {
            n += 1 + (details ? r.details.size() : 0) + Math.min(tail, r.tail.size());
        }
        return n;
    }

    static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.1fs", Math.max(0, nanos) / 1e9);
    }
}
