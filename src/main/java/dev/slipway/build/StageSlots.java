package dev.slipway.build;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

/**
 * The {@code --jobs} slots stages work in, handed out by rank: a free slot goes to the waiting
 * stage with the lowest rank that can run, whatever order the stage threads asked in. A stage that
 * waits for another stage's result asks for its slot back before that result exists; it can run,
 * and so compete, only once the result is there. So when a stage ends, every stage that waited for
 * it competes at once and the one the target needs first wins, where a plain fair semaphore gives
 * the slot to whichever woken thread happens to ask first.
 */
final class StageSlots {
    private final List<Waiter> waiting = new ArrayList<>();
    private int free;
    private long arrivals;

    private static final class Waiter {
        final int rank;
        final long arrival;
        final Future<?> blocker;
        boolean granted;

        Waiter(int rank, long arrival, Future<?> blocker) {
            this.rank = rank;
            this.arrival = arrival;
            this.blocker = blocker;
        }

        boolean ready() {
            return blocker == null || blocker.isDone();
        }
    }

    StageSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("at least one slot is needed: " + slots);
        }
        this.free = slots;
    }

    /**
     * Waits for a slot for a stage of {@code rank} (lower first; equal ranks in order of asking)
     * that can run once {@code blocker} (null: at once) is done. The caller calls {@link #changed}
     * when {@code blocker} completes.
     */
    void acquire(int rank, Future<?> blocker) throws InterruptedException {
        Waiter me;
        synchronized (this) {
            me = new Waiter(rank, arrivals++, blocker);
            waiting.add(me);
            dispatch();
            try {
                while (!me.granted) {
                    wait();
                }
            } catch (InterruptedException e) {
                waiting.remove(me);
                if (me.granted) {
                    free++;
                    dispatch();
                }
                throw e;
            }
        }
    }

    /** Gives a slot back. */
    synchronized void release() {
        free++;
        dispatch();
    }

    /** A blocker became done: the stages waiting for it may now take free slots. */
    synchronized void changed() {
        dispatch();
    }

    /** Number of slots nobody holds. */
    synchronized int free() {
        return free;
    }

    /** Number of stages waiting for a slot, whether they can run yet or not. */
    synchronized int waiting() {
        return waiting.size();
    }

    private void dispatch() {
        boolean any = false;
        while (free > 0) {
            Waiter best = null;
            for (Waiter w : waiting) {
                if (w.ready() && (best == null || w.rank < best.rank || w.rank == best.rank && w.arrival < best.arrival)) {
                    best = w;
                }
            }
            if (best == null) {
                break;
            }
            waiting.remove(best);
            best.granted = true;
            free--;
            any = true;
        }
        if (any) {
            notifyAll();
        }
    }
}
