package io.roomgate.store;

import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Spaces a reading thread's fetches of a busy stream (see {@link GapSeekingJdbcEventStorageEngine}):
 * a fetch that follows a short, non-empty one starts {@code pauseNanos} after that one started,
 * if the fetch before that one found events too. A stream is busy when events keep coming: a
 * trickle (50 writes/s: one event, then the empty fetch that ends the stream) is read as before,
 * at once. One per engine; its state is per thread.
 */
final class FetchPacer {

    private final long pauseNanos;
    private final LongSupplier nanoTime;
    private final LongConsumer park;
    /**
     * Per thread: when its last fetch started; 1 if that fetch was short but not empty; 1 if it
     * found events; 1 if the fetch before it found events.
     */
    private final ThreadLocal<long[]> last = ThreadLocal.withInitial(() -> new long[4]);

    FetchPacer(long pauseNanos, LongSupplier nanoTime, LongConsumer park) {
        this.pauseNanos = pauseNanos;
        this.nanoTime = nanoTime;
        this.park = park;
    }

    boolean enabled() {
        return pauseNanos > 0;
    }

    /** Before a fetch: waits out the pause if the stream is busy (see above); returns the start. */
    long beforeFetch() {
        long[] state = last.get();
        if (state[1] == 1 && state[3] == 1) {
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
        state[3] = state[2];
        state[2] = read > 0 ? 1 : 0;
        state[0] = started;
        state[1] = read > 0 && read < batchSize ? 1 : 0;
    }
}
