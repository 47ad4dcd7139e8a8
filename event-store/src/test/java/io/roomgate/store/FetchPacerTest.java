package io.roomgate.store;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which fetches wait, and for how long, on a clock the test moves. */
class FetchPacerTest {

    private long now = 1_000_000;
    private final List<Long> parked = new ArrayList<>();
    private final FetchPacer pacer = new FetchPacer(5_000_000, () -> now, nanos -> {
        parked.add(nanos);
        now += nanos;
    });

    @Test
    void on_a_busy_stream_a_fetch_after_a_short_non_empty_one_starts_the_pause_after_that_one_started() {
        long start = pacer.beforeFetch();
        pacer.afterFetch(start, 1, 1000); // events keep coming: this fetch found one...
        long first = pacer.beforeFetch();
        assertThat(parked).as("the fetch right after the first that found events").isEmpty();
        now += 1_000_000; // the query took 1 ms
        pacer.afterFetch(first, 2, 1000); // ...and the next one found more
        long second = pacer.beforeFetch();
        assertThat(parked).containsExactly(4_000_000L);
        assertThat(second - first).isEqualTo(5_000_000L);
    }

    @Test
    void a_trickle_is_read_at_once() {
        for (int i = 0; i < 5; i++) {
            long start = pacer.beforeFetch();
            pacer.afterFetch(start, 1, 1000); // one event...
            start = pacer.beforeFetch();
            pacer.afterFetch(start, 0, 1000); // ...then the empty fetch that ends the stream
            now += 20_000_000;
        }
        assertThat(parked).isEmpty();
    }

    @Test
    void full_and_empty_fetches_are_never_followed_by_a_pause() {
        long start = pacer.beforeFetch();
        pacer.afterFetch(start, 1000, 1000); // catching up: a full batch
        start = pacer.beforeFetch();
        pacer.afterFetch(start, 0, 1000); // caught up: the store's own fetch delay applies
        pacer.beforeFetch();
        assertThat(parked).isEmpty();
    }

    @Test
    void a_fetch_that_comes_after_the_pause_anyway_does_not_wait() {
        long start = pacer.beforeFetch();
        pacer.afterFetch(start, 3, 1000);
        start = pacer.beforeFetch();
        pacer.afterFetch(start, 3, 1000);
        now += 6_000_000; // the events took longer than the pause to hand out
        pacer.beforeFetch();
        assertThat(parked).isEmpty();
    }

    @Test
    void the_pause_is_per_thread() throws Exception {
        long start = pacer.beforeFetch();
        pacer.afterFetch(start, 3, 1000);
        start = pacer.beforeFetch();
        pacer.afterFetch(start, 3, 1000);
        Thread other = new Thread(pacer::beforeFetch);
        other.start();
        other.join();
        assertThat(parked).as("another thread's first fetch").isEmpty();
    }

    @Test
    void no_pause_is_off() {
        assertThat(new FetchPacer(0, () -> now, nanos -> parked.add(nanos)).enabled()).isFalse();
        assertThat(pacer.enabled()).isTrue();
    }
}
