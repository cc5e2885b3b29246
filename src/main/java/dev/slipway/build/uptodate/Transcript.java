package dev.slipway.build.uptodate;

import dev.slipway.build.Progress;
import dev.slipway.store.TransferProgress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A progress view that passes everything on to the real one and keeps what a rebuild served wholly
 * from the cache would print: the same steps in the same order, each ending {@code CACHED} if its
 * result is in the build cache (whether it ran now or not), else {@code DONE}; the notes and
 * detail lines; no step output, no transfers (a rebuild pulls nothing).
 */
public final class Transcript implements Progress {
    /** One event of the transcript; see the constants of {@link BuildRecord}. */
    record Event(byte type, int step, String text) {
    }

    private final Progress view;
    private final List<Event> events = new ArrayList<>();
    private final Set<Integer> cacheable = new HashSet<>();
    private boolean failed;

    public Transcript(Progress view) {
        this.view = view;
    }

    /** The events so far; empty with {@link #failed()} true once any step failed. */
    synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Whether a step failed or was canceled: such a build has nothing to replay. */
    synchronized boolean failed() {
        return failed;
    }

    /** Numbers and records a step under one lock, so the transcript lists steps in their numbers' order. */
    @Override
    public synchronized int start(String label) {
        int n = view.start(label);
        add(BuildRecord.START, n, label);
        return n;
    }

    @Override
    public void output(int step, String line) {
        view.output(step, line);
    }

    @Override
    public void cacheable(int step) {
        synchronized (this) {
            cacheable.add(step);
        }
        view.cacheable(step);
    }

    @Override
    public void done(int step) {
        view.done(step);
        boolean cached;
        synchronized (this) {
            cached = cacheable.contains(step);
        }
        add(cached ? BuildRecord.CACHED : BuildRecord.DONE, step, "");
    }

    @Override
    public void cached(int step) {
        view.cached(step);
        add(BuildRecord.CACHED, step, "");
    }

    @Override
    public void error(int step, String message) {
        view.error(step, message);
        fail();
    }

    @Override
    public void canceled(int step) {
        view.canceled(step);
        fail();
    }

    @Override
    public void note(String message) {
        view.note(message);
        add(BuildRecord.NOTE, -1, message);
    }

    @Override
    public void detail(int step, String text) {
        view.detail(step, text);
        add(BuildRecord.DETAIL, step, text);
    }

    @Override
    public TransferProgress transfers() {
        return view.transfers();
    }

    @Override
    public void close() {
        view.close();
    }

    private synchronized void add(byte type, int step, String text) {
        events.add(new Event(type, step, text));
    }

    private synchronized void fail() {
        failed = true;
    }
}
