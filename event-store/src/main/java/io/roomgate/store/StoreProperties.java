package io.roomgate.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * The store's settings, bound once at start-up (a malformed value stops the start and names the
 * property). See {@link EventStoreConfiguration} for why each gap setting has its value.
 *
 * @param nodeId     this node's id in token claims and heartbeats; random per start when empty
 * @param eventStore the event store's gap handling and reading
 * @param view       the processors' token claims
 */
@ConfigurationProperties("roomgate")
public record StoreProperties(@DefaultValue("") String nodeId, @DefaultValue EventStore eventStore, @DefaultValue View view) {

    /**
     * @param gapTimeoutMs         how long a gap in global positions is waited for before it counts as a
     *                             rolled-back write
     * @param maxGapOffset         how far behind the head gaps are tracked
     * @param gapCleaningThreshold gaps a token carries before they are cleaned
     * @param batchSize            events per fetch when a processor catches up or replays
     * @param fetchDelay           how long a caught-up reader waits before asking the database for new events
     *                             again (what other nodes wrote)
     * @param busyFetchPause       how far apart a reader's fetches start while the stream is busy (0: as soon as
     *                             the last one returned); the scale-out services default to
     *                             {@link #SERVICE_BUSY_FETCH_PAUSE}
     */
    public record EventStore(@DefaultValue("60000") int gapTimeoutMs, @DefaultValue("10000") int maxGapOffset,
                             @DefaultValue("250") int gapCleaningThreshold, @DefaultValue("1000") int batchSize,
                             @DefaultValue("PT0.01S") Duration fetchDelay, @DefaultValue("PT0S") Duration busyFetchPause) {

        public EventStore {
            if (busyFetchPause.isNegative() || busyFetchPause.compareTo(Duration.ofSeconds(1)) > 0) {
                throw new IllegalArgumentException("roomgate.event-store.busy-fetch-pause must be between 0 and 1 s, not "
                        + busyFetchPause);
            }
        }
    }

    /** The command and query services' default of {@code roomgate.event-store.busy-fetch-pause}. */
    public static final String SERVICE_BUSY_FETCH_PAUSE = "PT0.005S";

    /**
     * The defaults of the command and query services (scale-out), where no command waits for a
     * reader of the store: busy streams are read in paced fetches.
     */
    public static java.util.Map<String, Object> serviceDefaults() {
        return java.util.Map.of("roomgate.event-store.busy-fetch-pause", SERVICE_BUSY_FETCH_PAUSE);
    }

    /**
     * @param claimTimeout after this, a dead node's segment claims may be taken over
     */
    public record View(@DefaultValue("PT10S") Duration claimTimeout) {
    }
}
