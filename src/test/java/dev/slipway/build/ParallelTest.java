package dev.slipway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.slipway.SlipwayException;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTest {
    private static final List<Integer> ITEMS = IntStream.range(0, 500).boxed().toList();

    @Test
    void everyItemRunsExactlyOnceAndOnSeveralThreads() throws IOException {
        AtomicIntegerArray runs = new AtomicIntegerArray(ITEMS.size());
        Set<String> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch otherThreadWorked = new CountDownLatch(1);
        AtomicReference<Thread> first = new AtomicReference<>();
        new Parallel(3).run(ITEMS, i -> {
            runs.incrementAndGet(i);
            threads.add(Thread.currentThread().getName());
            if (i == 0) {
                first.set(Thread.currentThread());
                // Item 0 holds its thread until another thread has run an item.
                try {
                    otherThreadWorked.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            } else if (first.get() != null && first.get() != Thread.currentThread()) {
                otherThreadWorked.countDown();
            }
        });
        for (int i = 0; i < runs.length(); i++) {
            assertThat(runs.get(i)).as("runs of item %d", i).isEqualTo(1);
        }
        assertThat(threads).hasSizeGreaterThan(1);
    }

    @Test
    void oneThreadRunsInOrderOnTheCaller() throws IOException {
        List<Integer> seen = new java.util.ArrayList<>();
        String caller = Thread.currentThread().getName();
        new Parallel(1).run(ITEMS, i -> {
            assertThat(Thread.currentThread().getName()).isEqualTo(caller);
            seen.add(i);
        });
        assertThat(seen).isEqualTo(ITEMS);
    }

    @Test
    void theEarliestFailingItemsExceptionIsRethrownAsItIs() {
        for (int round = 0; round < 20; round++) {
            assertThatThrownBy(() -> new Parallel(4).run(ITEMS, i -> {
                if (i == 70) {
                    throw new IOException("item 70");
                }
                if (i == 50) {
                    throw new SlipwayException("item 50");
                }
            })).isInstanceOf(SlipwayException.class).hasMessage("item 50");
        }
        assertThatThrownBy(() -> new Parallel(4).run(ITEMS, i -> {
            if (i == 300) {
                throw new IOException("item 300");
            }
        })).isInstanceOf(IOException.class).hasMessage("item 300");
    }

    @Test
    void noThreadsIsRefused() {
        assertThatThrownBy(() -> new Parallel(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
