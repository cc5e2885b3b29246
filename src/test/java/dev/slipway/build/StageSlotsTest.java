package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StageSlotsTest {
    private final List<Integer> order = Collections.synchronizedList(new ArrayList<>());

    private Thread waiter(StageSlots slots, int rank, CompletableFuture<?> blocker) {
        Thread t = new Thread(() -> {
            try {
                slots.acquire(rank, blocker);
                order.add(rank);
                slots.release();
            } catch (InterruptedException e) {
                order.add(-rank);
            }
        });
        t.start();
        return t;
    }

    private static void until(IntSupplier value, int expected) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (value.getAsInt() != expected) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("never reached " + expected + ": " + value.getAsInt());
            }
            Thread.onSpinWait();
        }
    }

    @Test
    void aFreedSlotWaitsForTheBlockerAndThenGoesToTheLowestRankNotTheFirstToAsk() throws Exception {
        StageSlots slots = new StageSlots(1);
        slots.acquire(0, null);
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        Thread late = waiter(slots, 5, blocker);
        until(slots::waiting, 1);
        Thread first = waiter(slots, 1, blocker);
        until(slots::waiting, 2);

        slots.release();
        assertThat(slots.free()).isEqualTo(1);
        assertThat(order).isEmpty();

        blocker.complete(null);
        slots.changed();
        first.join();
        late.join();
        assertThat(order).containsExactly(1, 5);
        assertThat(slots.free()).isEqualTo(1);
    }

    @Test
    void aWaiterThatCanRunTakesAFreeSlotBeforeABlockedOneOfLowerRank() throws Exception {
        StageSlots slots = new StageSlots(1);
        slots.acquire(0, null);
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        Thread blocked = waiter(slots, 1, blocker);
        until(slots::waiting, 1);
        Thread ready = waiter(slots, 7, null);
        until(slots::waiting, 2);

        slots.release();
        ready.join();
        assertThat(order).containsExactly(7);

        blocker.complete(null);
        slots.changed();
        blocked.join();
        assertThat(order).containsExactly(7, 1);
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndTakesNoSlot() throws Exception {
        StageSlots slots = new StageSlots(1);
        slots.acquire(0, null);
        Thread t = waiter(slots, 3, null);
        until(slots::waiting, 1);

        t.interrupt();
        t.join();

        assertThat(order).containsExactly(-3);
        assertThat(slots.waiting()).isZero();
        slots.release();
        assertThat(slots.free()).isEqualTo(1);
    }
}
