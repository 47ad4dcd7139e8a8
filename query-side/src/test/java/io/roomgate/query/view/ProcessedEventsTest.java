package io.roomgate.query.view;

import io.roomgate.store.ConcurrentStartJdbcTokenStore;
import io.roomgate.store.StoreConfiguration;
import io.roomgate.store.StoredPositions;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventMessageHandler;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.GenericTrackedDomainEventMessage;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.messaging.StreamableMessageSource;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A segment taken over with a gap in its token: Axon's pooled processor, given two segments at
 * different positions, streams both from the lower one, and the segment whose token had a gap at
 * 15 (index 20) would get 16 to 20 again once 15 arrives. On the token store's own tables (H2, in
 * memory), with a stream that hands out gap-aware tokens as the JDBC store does.
 */
class ProcessedEventsTest {

    private static final String PROCESSOR = "view";
    private static final long LAST = 30;

    private final JdbcDataSource dataSource = new JdbcDataSource();
    private final DataSourceTransactionManager transactions;
    /** Position → the aggregate of the event stored there: odd positions in segment 1, even in segment 0. */
    private final Map<Long, String> aggregates = new TreeMap<>();

    ProcessedEventsTest() {
        dataSource.setURL("jdbc:h2:mem:processed-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2").load().migrate();
        transactions = new DataSourceTransactionManager(dataSource);
        for (long position = 1; position <= LAST; position++) {
            int segment = (int) (position % 2);
            String id;
            int k = 0;
            do {
                id = "agg-" + position + "-" + k++;
            } while (!Segment.computeSegment(segment, 0, 1).matches(id));
            aggregates.put(position, id);
        }
    }

    @Test
    void a_segment_claimed_with_a_gap_applies_only_what_it_had_not_processed() throws Exception {
        ConcurrentStartJdbcTokenStore tokens = tokenStore("node-b");
        List<Long> handled = run(tokens, ProcessedEvents.of(PROCESSOR, tokens));

        // segment 0 from 10: its even positions above 10; segment 1 from 20 with 15 missing: 15, then its odd positions above 20
        List<Long> expected = new ArrayList<>();
        LongStream.rangeClosed(11, LAST).filter(p -> p % 2 == 0 || p == 15 || p > 20).forEach(expected::add);
        assertThat(handled).containsExactlyInAnyOrderElementsOf(expected);
        // what segment 1 stored covers everything up to its last event (29; 30 is segment 0's, stored later)
        GapAwareTrackingToken stored = (GapAwareTrackingToken) inTransaction(() -> tokens.fetchToken(PROCESSOR, 1));
        assertThat(stored.getIndex()).isGreaterThanOrEqualTo(LAST - 1);
        assertThat(stored.getGaps()).isEmpty();
    }

    /** Why the guard is there: without it, Axon's processor hands segment 1 the events from 16 to 20 again. */
    @Test
    void without_the_guard_the_processor_hands_processed_events_again() throws Exception {
        ConcurrentStartJdbcTokenStore tokens = tokenStore("node-b");
        List<Long> handled = run(tokens, (unitOfWork, chain) -> chain.proceed());

        assertThat(handled).contains(17L, 19L); // applied by segment 1's previous holder already
    }

    @Test
    void a_token_stored_below_what_the_segment_had_processed_keeps_what_it_had() {
        ConcurrentStartJdbcTokenStore tokens = tokenStore("node-b");
        seedTokens();
        inTransaction(() -> tokens.fetchToken(PROCESSOR, 1)); // claimed at 20 with 15 missing
        assertThat(tokens.hasProcessed(PROCESSOR, 1, 17)).isTrue();
        assertThat(tokens.hasProcessed(PROCESSOR, 1, 15)).isFalse();

        inTransaction(() -> {
            tokens.storeToken(GapAwareTrackingToken.newInstance(15, List.of(12L)), PROCESSOR, 1);
            return null;
        });
        GapAwareTrackingToken stored = (GapAwareTrackingToken) inTransaction(() -> tokens.fetchToken(PROCESSOR, 1));
        assertThat(stored).isEqualTo(GapAwareTrackingToken.newInstance(20, List.of()));
        assertThat(tokens.hasProcessed(PROCESSOR, 1, 15)).isTrue();

        inTransaction(() -> {
            tokens.releaseClaim(PROCESSOR, 1);
            return null;
        });
        assertThat(tokens.hasProcessed(PROCESSOR, 1, 17)).isFalse(); // no longer this node's to tell
    }

    @Test
    void a_token_stored_in_the_claims_own_transaction_is_stored_as_given() {
        ConcurrentStartJdbcTokenStore tokens = tokenStore("node-b");
        seedTokens();
        // as a rebuild moves the tokens (or an operator moves them back): claim, store, release at once
        inTransaction(() -> {
            tokens.fetchToken(PROCESSOR, 1);
            tokens.storeToken(GapAwareTrackingToken.newInstance(5, List.of()), PROCESSOR, 1);
            tokens.releaseClaim(PROCESSOR, 1);
            return null;
        });
        assertThat(inTransaction(() -> tokens.fetchToken(PROCESSOR, 1))).isEqualTo(GapAwareTrackingToken.newInstance(5, List.of()));
        assertThat(tokens.hasProcessed(PROCESSOR, 1, 17)).isFalse();
    }

    @Test
    void a_token_stored_in_a_transaction_that_rolls_back_adds_nothing_to_what_was_processed() {
        ConcurrentStartJdbcTokenStore tokens = tokenStore("node-b");
        seedTokens();
        inTransaction(() -> tokens.fetchToken(PROCESSOR, 1));
        new TransactionTemplate(transactions).executeWithoutResult(status -> {
            tokens.storeToken(GapAwareTrackingToken.newInstance(25, List.of()), PROCESSOR, 1);
            status.setRollbackOnly();
        });
        assertThat(tokens.hasProcessed(PROCESSOR, 1, 15)).isFalse();
        assertThat(tokens.hasProcessed(PROCESSOR, 1, 23)).isFalse();
    }

    @Test
    void positions_are_told_from_consecutive_tokens() {
        GapAwareTrackingToken start = GapAwareTrackingToken.newInstance(10, List.of(7L));
        GapAwareTrackingToken filled = start.advanceTo(11, 1000).advanceTo(7, 1000);
        List<Long> told = new ArrayList<>();
        BlockingStream<TrackedEventMessage<?>> stream = StoredPositions.tagging(new ListStream(List.of(
                message(start.advanceTo(11, 1000), 11),
                message(filled, 7),
                message(filled, 7), // one stored event upcast into two messages: the same token
                message(filled.advanceTo(14, 1000), 14),
                message(filled.advanceTo(14, 1000).advanceTo(16, 1000), 16))), start); // 15 missing: 16 is still told
        for (int i = 0; i < 5; i++) {
            told.add(StoredPositions.of(nextOf(stream)).orElse(-1));
        }
        assertThat(told).containsExactly(11L, 7L, 7L, 14L, 16L);
    }

    /**
     * The stream reopened lower (another segment claimed) while a batch held events not committed
     * yet: the same positions come again in that batch. Each is applied once, as is nothing the
     * segment's claim covered.
     */
    @Test
    void an_event_handed_twice_in_one_batch_is_applied_once() {
        ConcurrentStartJdbcTokenStore tokens = tokenStore("node-b");
        seedTokens();
        inTransaction(() -> tokens.fetchToken(PROCESSOR, 0)); // claimed at 10
        var guard = ProcessedEvents.of(PROCESSOR, tokens);
        List<EventMessage<?>> batch = List.of(tagged(12), tagged(13), tagged(12), tagged(8), tagged(14));
        org.axonframework.messaging.unitofwork.BatchingUnitOfWork<EventMessage<?>> unitOfWork =
                new org.axonframework.messaging.unitofwork.BatchingUnitOfWork<>(batch);
        unitOfWork.resources().put("Processor[" + PROCESSOR + "]/SegmentId", 0);
        List<Long> applied = new ArrayList<>();
        unitOfWork.executeWithResult(() -> guard.handle(unitOfWork, () -> applied.add((Long) unitOfWork.getMessage().getPayload())));

        assertThat(applied).containsExactly(12L, 13L, 14L);
    }

    private EventMessage<?> tagged(long position) {
        return ((GenericTrackedDomainEventMessage<?>) message(GapAwareTrackingToken.newInstance(position, List.of()), position))
                .andMetaData(Map.of(StoredPositions.KEY, position));
    }

    private static TrackedEventMessage<?> nextOf(BlockingStream<TrackedEventMessage<?>> stream) {
        try {
            return stream.nextAvailable();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Segment 0 processed up to 10; segment 1 up to 20 but for 15, which had not committed yet (stored by node-a, released). */
    private void seedTokens() {
        ConcurrentStartJdbcTokenStore before = tokenStore("node-a");
        inTransaction(() -> {
            before.initializeTokenSegments(PROCESSOR, 2, GapAwareTrackingToken.newInstance(0, List.of()));
            before.fetchToken(PROCESSOR, 0);
            before.fetchToken(PROCESSOR, 1);
            before.storeToken(GapAwareTrackingToken.newInstance(10, List.of()), PROCESSOR, 0);
            before.storeToken(GapAwareTrackingToken.newInstance(20, List.of(15L)), PROCESSOR, 1);
            before.releaseClaim(PROCESSOR, 0);
            before.releaseClaim(PROCESSOR, 1);
            return null;
        });
    }

    /** node-b takes both segments over and runs until each has processed every stored event; the positions it applied. */
    private List<Long> run(ConcurrentStartJdbcTokenStore tokens,
                           org.axonframework.messaging.MessageHandlerInterceptor<EventMessage<?>> guard) throws Exception {
        seedTokens();
        List<Long> handled = new CopyOnWriteArrayList<>();
        EventMessageHandler handler = event -> {
            handled.add((Long) event.getPayload());
            return null;
        };
        var coordinator = Executors.newScheduledThreadPool(1);
        var workers = Executors.newScheduledThreadPool(2);
        PooledStreamingEventProcessor processor = PooledStreamingEventProcessor.builder()
                .name(PROCESSOR)
                .eventHandlerInvoker(SimpleEventHandlerInvoker.builder().eventHandlers(handler).build())
                .messageSource(new StoredEvents())
                .tokenStore(tokens)
                .transactionManager(new SpringTransactionManager(transactions))
                .coordinatorExecutor(coordinator)
                .workerExecutor(workers)
                .initialSegmentCount(2)
                .batchSize(1)
                .build();
        processor.registerHandlerInterceptor(guard);
        processor.start();
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (!caughtUp(processor) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(caughtUp(processor)).as("both segments processed every stored event").isTrue();
        } finally {
            processor.shutdownAsync().get(10, TimeUnit.SECONDS);
            coordinator.shutdownNow();
            workers.shutdownNow();
        }
        return handled;
    }

    private static boolean caughtUp(PooledStreamingEventProcessor processor) {
        var status = processor.processingStatus();
        return status.size() == 2 && status.values().stream().allMatch(s -> s.getCurrentPosition().orElse(-1) >= LAST
                && s.getTrackingToken() instanceof GapAwareTrackingToken t && t.getGaps().isEmpty());
    }

    private ConcurrentStartJdbcTokenStore tokenStore(String nodeId) {
        StoreConfiguration configuration = new StoreConfiguration();
        return new ConcurrentStartJdbcTokenStore(JdbcTokenStore.builder()
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .serializer(configuration.serializer())
                .contentType(byte[].class)
                .claimTimeout(Duration.ofSeconds(10)), configuration.tokenSchema(), nodeId, transactions, dataSource);
    }

    private <T> T inTransaction(Supplier<T> work) {
        return new TransactionTemplate(transactions).execute(status -> work.get());
    }

    private TrackedEventMessage<?> message(TrackingToken token, long position) {
        String aggregate = aggregates.getOrDefault(position, "agg-" + position);
        return new GenericTrackedDomainEventMessage<>(token,
                new GenericDomainEventMessage<>("Test", aggregate, 0L, position, Map.of(), UUID.randomUUID().toString(), Instant.EPOCH));
    }

    /**
     * Events stored at positions 1 to 30, every one committed now (15 too), read as the JDBC store
     * reads: in order of position, from a token, each with the token after it.
     */
    private final class StoredEvents implements StreamableMessageSource<TrackedEventMessage<?>> {
        @Override
        public BlockingStream<TrackedEventMessage<?>> openStream(TrackingToken from) {
            GapAwareTrackingToken start = (GapAwareTrackingToken) from;
            List<TrackedEventMessage<?>> events = new ArrayList<>();
            GapAwareTrackingToken token = start;
            for (long position = 1; position <= LAST; position++) {
                if (token == null || position > token.getIndex() || token.getGaps().contains(position)) {
                    token = token == null ? GapAwareTrackingToken.newInstance(position, List.of()) : token.advanceTo(position, 10_000);
                    events.add(message(token, position));
                }
            }
            return StoredPositions.tagging(new ListStream(events), from);
        }

        @Override
        public TrackingToken createTailToken() {
            return null;
        }

        @Override
        public TrackingToken createHeadToken() {
            return GapAwareTrackingToken.newInstance(LAST, List.of());
        }

        @Override
        public TrackingToken createTokenAt(Instant dateTime) {
            return null;
        }
    }

    private static final class ListStream implements BlockingStream<TrackedEventMessage<?>> {
        private final List<TrackedEventMessage<?>> events;
        private int next;

        ListStream(List<TrackedEventMessage<?>> events) {
            this.events = events;
        }

        @Override
        public Optional<TrackedEventMessage<?>> peek() {
            return next < events.size() ? Optional.of(events.get(next)) : Optional.empty();
        }

        @Override
        public boolean hasNextAvailable(int timeout, TimeUnit unit) throws InterruptedException {
            if (next < events.size()) {
                return true;
            }
            unit.sleep(Math.min(timeout, 50));
            return false;
        }

        @Override
        public TrackedEventMessage<?> nextAvailable() {
            return events.get(next++);
        }

        @Override
        public void close() {
        }
    }
}
