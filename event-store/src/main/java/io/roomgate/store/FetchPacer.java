package io.roomgate.store;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Spaces a reading thread's fetches of a busy stream (see {@link GapSeekingJdbcEventStorageEngine}):
 * a fetch that follows a short, non-empty one starts {@code pauseNanos} after that one started.
 * One per engine; its state is per thread.
 */
final class FetchPacer {

    private final long pauseNanos;
    private final LongSupplier nanoTime;
    private final LongConsumer park;
    /** Per thread: [when its last fetch started, 1 if that fetch was short but not empty]. */
    private final ThreadLocal<long[]> last = ThreadLocal.withInitial(() -> new long[2]);

    FetchPacer(long pauseNanos, LongSupplier nanoTime, LongConsumer park) {
        this.pauseNanos = pauseNanos;
        this.nanoTime = nanoTime;
        this.park = park;
    }

    boolean enabled() {
        return pauseNanos > 0;
    }

    /** Before a fetch: waits out the pause if the thread's last fetch was short but not empty; returns the start. */
    long beforeFetch() {
        long[] state = last.get();
        if (state[1] == 1) {
            long wait = state[0] + pauseNanos - nanoTime.getAsLong();
            if (wait > 0) {
                park.accept(wait);
            }
        }
        return nanoTime.getAsLong();
    }

    /** After a fetch that started at {@code started} and returned {@code read} of at most {@code batchSize} events. */
    void afterFetch(long started, int read, int batchSize) {
        long[] state = last.get();
        state[0] = started;
        state[1] = read > 0 && read < batchSize ? 1 : 0;
    }
}
