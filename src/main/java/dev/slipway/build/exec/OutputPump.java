package dev.slipway.build.exec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Forwards a process's stdout and stderr to a sink line by line and keeps the last lines. */
final class OutputPump {
    /** A line longer than this is passed on in pieces rather than held in memory whole. */
    private static final int MAX_LINE = 64 * 1024;

    private final OutputSink sink;
    private final int keep;
    private final Deque<String> tail = new ArrayDeque<>();
    private final List<Thread> threads = new ArrayList<>();

    OutputPump(OutputSink sink, int keep) {
        this.sink = sink;
        this.keep = Math.max(0, keep);
    }

    void start(Process p, String id) {
        threads.add(pump(p.getInputStream(), OutputSink.Stream.STDOUT, id + "-out"));
        threads.add(pump(p.getErrorStream(), OutputSink.Stream.STDERR, id + "-err"));
    }

    private Thread pump(InputStream in, OutputSink.Stream stream, String name) {
        Thread t = new Thread(() -> {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try (in) {
                byte[] buf = new byte[8192];
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (int i = 0; i < n; i++) {
                        if (buf[i] == '\n' || line.size() >= MAX_LINE) {
                            emit(stream, line);
                            if (buf[i] == '\n') {
                                continue;
                            }
                        }
                        line.write(buf[i]);
                    }
                }
            } catch (IOException e) {
                // The process went away; what was read so far is still reported.
            }
            if (line.size() > 0) {
                emit(stream, line);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void emit(OutputSink.Stream stream, ByteArrayOutputStream line) {
        String text = line.toString(StandardCharsets.UTF_8);
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        line.reset();
        synchronized (this) {
            if (keep > 0) {
                if (tail.size() == keep) {
                    tail.removeFirst();
                }
                tail.addLast(text);
            }
            sink.line(stream, text);
        }
    }

    /** Waits for both streams to end and returns the last lines. */
    List<String> finish() throws InterruptedException {
        for (Thread t : threads) {
            t.join();
        }
        synchronized (this) {
            return List.copyOf(tail);
        }
    }
}
