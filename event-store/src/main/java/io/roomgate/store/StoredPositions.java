package io.roomgate.store;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;

import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.concurrent.TimeUnit;

/**
 * The store's global position of each event a stream delivers. A gap-aware tracking token does
 * not name its event's position: an event that fills a gap leaves the token's index where it was.
 * Told apart here from the token before it in the same stream, and carried in the message's
 * metadata (never stored: the stream's messages are read, not appended) for the event processor
 * to compare with what its segment had processed ({@link ConcurrentStartJdbcTokenStore#hasProcessed}).
 */
public final class StoredPositions {

    /** The metadata key of a streamed event's position. */
    public static final String KEY = "roomgate.stored-position";
    private static final long UNKNOWN = -1;

    private StoredPositions() {
    }

    /** The position a stream's message was stored at, when the stream could tell it. */
    public static OptionalLong of(EventMessage<?> message) {
        return message.getMetaData().get(KEY) instanceof Number position ? OptionalLong.of(position.longValue()) : OptionalLong.empty();
    }

    /**
     * The position of the event whose token is {@code current}, the event before it in the same
     * stream having left the stream at {@code previous} (null: the stream's first event, opened at
     * its tail); -1 unless exactly one position became processed between the two.
     */
    static long between(TrackingToken previous, TrackingToken current) {
        if (!(current instanceof GapAwareTrackingToken now)) {
            return UNKNOWN;
        }
        if (previous == null) {
            return now.getIndex();
        }
        if (!(previous instanceof GapAwareTrackingToken before) || now.getIndex() < before.getIndex()) {
            return UNKNOWN;
        }
        SortedSet<Long> gapsBefore = before.getGaps();
        SortedSet<Long> gapsNow = now.getGaps();
        long filled = UNKNOWN;
        int filledCount = 0;
        for (Long gap : gapsBefore) {
            if (!gapsNow.contains(gap)) {
                filled = gap; // filled, or given up by the token (either is a position no longer awaited)
                if (++filledCount > 1) {
                    return UNKNOWN;
                }
            }
        }
        long newOnes = now.getIndex() - before.getIndex();
        if (newOnes > 0) {
            newOnes -= gapsNow.subSet(before.getIndex() + 1, now.getIndex() + 1).size();
        }
        if (newOnes == 1 && filledCount == 0) {
            return now.getIndex();
        }
        return newOnes == 0 && filledCount == 1 ? filled : UNKNOWN;
    }

    /** The stream, its domain events tagged with their positions (see {@link #KEY}), from a stream opened at {@code start}. */
    public static BlockingStream<TrackedEventMessage<?>> tagging(BlockingStream<TrackedEventMessage<?>> stream, TrackingToken start) {
        return new Tagging(stream, start);
    }

    private static final class Tagging implements BlockingStream<TrackedEventMessage<?>> {
        private final BlockingStream<TrackedEventMessage<?>> delegate;
        /** The token of the last message taken off the stream, and its position (UNKNOWN if untold). */
        private TrackingToken last;
        private long lastPosition = UNKNOWN;

        Tagging(BlockingStream<TrackedEventMessage<?>> delegate, TrackingToken start) {
            this.delegate = delegate;
            this.last = start;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek().map(message -> tagged(message, position(message.trackingToken())));
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            TrackedEventMessage<?> message = delegate.nextAvailable();
            long position = position(message.trackingToken());
            last = message.trackingToken();
            lastPosition = position;
            return tagged(message, position);
        }

        private long position(TrackingToken token) {
            if (sameEvent(last, token)) {
                return lastPosition; // one stored event upcast into several messages
            }
            return between(last, token);
        }

        /**
         * Whether two consecutive tokens are the same event's (an upcast into several messages):
         * the same index and the same gaps. Not {@code equals}, which disregards gaps at the
         * token's truncation point: an event filling such a gap would pass for the one before it.
         */
        private static boolean sameEvent(TrackingToken before, TrackingToken now) {
            if (before == now) {
                return before != null;
            }
            return before instanceof GapAwareTrackingToken a && now instanceof GapAwareTrackingToken b
                    && a.getIndex() == b.getIndex() && a.getGaps().equals(b.getGaps());
        }

        private static TrackedEventMessage<?> tagged(TrackedEventMessage<?> message, long position) {
            if (position < 0 || !(message instanceof GenericTrackedDomainEventMessage<?> domain)) {
                return message;
            }
            return domain.andMetaData(Map.of(KEY, position));
        }

        /**
         * Not passed on: a stream that left messages out would put tokens of unseen events between
         * the seen ones, and positions could no longer be told (the embedded store's streams skip
         * nothing anyway).
         */
        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            return delegate.setOnAvailableCallback(callback);
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
