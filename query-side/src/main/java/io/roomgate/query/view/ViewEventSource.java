package io.roomgate.query.view;

import org.axonframework.common.Registration;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * The view processor's event source: the event store, with streams that say when there is
 * something new. Axon's embedded event store cannot call a pooled processor back, so a processor
 * that has caught up polls every 500 ms, and every write would reach the view (and a read that
 * waits for it) half a second late. Here the streams are woken once this node has committed
 * events (a few times over the next 100 ms, since the store's own fetch runs just after), and
 * every {@code poll} ({@code roomgate.view.poll-interval}, 10 ms) for what other nodes write,
 * which the store fetches every {@code roomgate.event-store.fetch-delay} (10 ms).
 */
public final class ViewEventSource implements StreamableMessageSource<TrackedEventMessage<?>>, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ViewEventSource.class);
    /**
     * When to wake the streams after this node commits. A denser schedule (0, 2, 4, 7, 10, 15,
     * 20, 30, 50, 100 ms) was measured and did not shorten a read-your-writes wait (BENCHMARKS.md,
     * row 7), so each commit schedules only these three wakes.
     */
    private static final long[] WAKE_AFTER_MILLIS = {0, 20, 100};
    /**
     * Whether a wake of each kind is scheduled and has not run yet. Commits in the meantime do
     * not schedule another (issue 18: three timer tasks per commit were 3 % of a busy embedded
     * app's CPU); the one pending runs no later than theirs would have, and is reset before it
     * calls the streams back, so a commit during the callback schedules a new one.
     */
    private final AtomicBoolean[] wakePending = java.util.stream.Stream.generate(AtomicBoolean::new)
            .limit(WAKE_AFTER_MILLIS.length).toArray(AtomicBoolean[]::new);

    private final EventStore store;
    private final Set<Runnable> listeners = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "view-event-source");
        t.setDaemon(true);
        return t;
    });
    private final Registration subscription;

    public ViewEventSource(EventStore store, Duration poll) {
        this.store = store;
        this.subscription = store.subscribe(events -> {
            try {
                if (CurrentUnitOfWork.isStarted()) {
                    CurrentUnitOfWork.get().afterCommit(u -> wake());
                } else {
                    wake();
                }
            } catch (RuntimeException e) {
                log.debug("could not wake the view's streams: {}", e.getClass().getSimpleName());
            }
        });
        timer.scheduleWithFixedDelay(this::fire, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void wake() {
        if (timer.isShutdown()) {
            return;
        }
        for (int i = 0; i < WAKE_AFTER_MILLIS.length; i++) {
            AtomicBoolean pending = wakePending[i];
            // a wake of this kind not run yet runs after this commit, no later than one scheduled now would
            if (pending.compareAndSet(false, true)) {
                try {
                    timer.schedule(() -> {
                        pending.set(false);
                        fire();
                    }, WAKE_AFTER_MILLIS[i], TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException closed) {
                    pending.set(false);
                    return;
                }
            }
        }
    }

    private void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.debug("a view stream's callback failed: {}", e.getClass().getSimpleName());
            }
        }
    }

    @Override
    public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken trackingToken) {
        // each event tagged with its stored position, for ProcessedEvents
        return new Waking(io.roomgate.store.StoredPositions.tagging(store.openStream(trackingToken), trackingToken));
    }

    @Override
    public TrackingToken createTailToken() {
        return store.createTailToken();
    }

    @Override
    public TrackingToken createHeadToken() {
        return store.createHeadToken();
    }

    @Override
    public TrackingToken createTokenAt(Instant dateTime) {
        return store.createTokenAt(dateTime);
    }

    @Override
    public TrackingToken createTokenSince(Duration duration) {
        return store.createTokenSince(duration);
    }

    @Override
    public void close() {
        subscription.cancel();
        timer.shutdownNow();
        listeners.clear();
    }

    /** A stream of the store that takes a callback. */
    private final class Waking implements BlockingStream<TrackedEventMessage<?>> {
        private final BlockingStream<TrackedEventMessage<?>> delegate;
        private volatile Runnable callback;

        Waking(BlockingStream<TrackedEventMessage<?>> delegate) {
            this.delegate = delegate;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return delegate.peek();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            return delegate.hasNextAvailable(timeout, unit);
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() throws InterruptedException {
            return delegate.nextAvailable();
        }

        @Override
        public Stream<TrackedEventMessage<?>> asStream() {
            return delegate.asStream();
        }

        @Override
        public void skipMessagesWithPayloadTypeOf(TrackedEventMessage<?> ignoredMessage) {
            delegate.skipMessagesWithPayloadTypeOf(ignoredMessage);
        }

        @Override
        public boolean setOnAvailableCallback(Runnable callback) {
            Runnable before = this.callback;
            if (before != null) {
                listeners.remove(before);
            }
            this.callback = callback;
            listeners.add(callback);
            delegate.setOnAvailableCallback(callback); // should the store's stream call back itself one day
            return true;
        }

        @Override
        public void close() {
            Runnable cb = callback;
            if (cb != null) {
                listeners.remove(cb);
            }
            delegate.close();
        }
    }
}
