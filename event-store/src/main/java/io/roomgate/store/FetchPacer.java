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
    /** A thread's last two fetches. */
    private static final class Recent {
        long lastStarted;
        boolean lastShortButNotEmpty;
        boolean lastFound;
        boolean beforeLastFound;
    }

    private final ThreadLocal<Recent> recent = ThreadLocal.withInitial(Recent::new);

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
        Recent r = recent.get();
        if (r.lastShortButNotEmpty && r.beforeLastFound) {
            long wait = r.lastStarted + pauseNanos - nanoTime.getAsLong();
            if (wait > 0) {
                park.accept(wait);
            }
        }
        return nanoTime.getAsLong();
    }

    /** After a fetch that started at {@code started} and returned {@code read} of at most {@code batchSize} events. */
    void afterFetch(long started, int read, int batchSize) {
        Recent r = recent.get();
        r.beforeLastFound = r.lastFound;
        r.lastFound = read > 0;
        r.lastStarted = started;
        r.lastShortButNotEmpty = read > 0 && read < batchSize;
    }
}
