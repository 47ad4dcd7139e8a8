package io.roomgate.command;

import io.roomgate.command.StoreCheckedRepositoryTest.Counter;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.GenericAggregateFactory;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Snapshots of an aggregate the command had in memory are taken from that state, not by reading
 * its events back; an aggregate loaded from the store in the same command is snapshotted the
 * way Axon does it.
 */
class BackgroundSnapshotterTest {

    static final String ID = StoreCheckedRepositoryTest.ID;
    static final int THRESHOLD = 3;

    /** Counts the reads of an aggregate's events, snapshot reads included. */
    private final AtomicInteger streamReads = new AtomicInteger();
    private final InMemoryEventStorageEngine engine = new InMemoryEventStorageEngine() {
        @Override
        public DomainEventStream readEvents(String aggregateIdentifier, long firstSequenceNumber) {
            streamReads.incrementAndGet();
            return super.readEvents(aggregateIdentifier, firstSequenceNumber);
        }
    };
    private final EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(engine).build();
    private final Configuration axon = DefaultConfigurer.defaultConfiguration().buildConfiguration();
    private final JacksonSerializer serializer = JacksonSerializer.builder()
            .objectMapper(new com.fasterxml.jackson.databind.ObjectMapper()
                    .setVisibility(com.fasterxml.jackson.annotation.PropertyAccessor.FIELD,
                            com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility.ANY))
            .build();
    private final BackgroundSnapshotter snapshotter = BackgroundSnapshotter.create(AggregateSnapshotter.builder()
            .eventStore(store)
            .aggregateFactories(new GenericAggregateFactory<>(Counter.class)), axon, serializer, NoTransactionManager.instance());
    private final CachedAggregates cache = new CachedAggregates(100);
    private final StoreCheckedRepository<Counter> repository = new StoreCheckedRepository<>(
            EventSourcingRepository.builder(Counter.class)
                    .snapshotTriggerDefinition(new EventCountSnapshots(snapshotter, THRESHOLD)),
            store, cache, false);

    @AfterEach
    void shutDown() throws InterruptedException {
        snapshotter.close();
        store.shutDown();
    }

    private void increment() throws Exception {
        DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> {
            repository.load(ID).execute(Counter::increment);
            return null;
        });
    }

    private Optional<DomainEventMessage<?>> snapshot() {
        return engine.readSnapshot(ID);
    }

    @Test
    void a_cached_aggregate_past_the_threshold_is_snapshotted_from_memory_at_the_version_of_its_state() throws Exception {
        DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> repository.newInstance(() -> new Counter(ID)));
        increment(); // loaded from the store once, then cached
        int readsBefore = streamReads.get();

        for (int i = 0; i < THRESHOLD; i++) {
            increment();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().isPresent());
        DomainEventMessage<?> taken = snapshot().orElseThrow();
        Counter state = (Counter) taken.getPayload();
        assertThat(taken.getSequenceNumber()).as("the sequence number of the last event in the state").isEqualTo(state.count);
        assertThat(taken.getType()).isEqualTo("Counter");
        assertThat(taken.getAggregateIdentifier()).isEqualTo(ID);
        assertThat(state.id).isEqualTo(ID);
        assertThat(streamReads.get()).as("the aggregate's events were not read back").isEqualTo(readsBefore);

        // the stored state is a copy: later commands do not change it
        long at = taken.getSequenceNumber();
        increment();
        assertThat(state.count).isEqualTo(at);
    }

    @Test
    void an_aggregate_created_in_this_process_is_snapshotted_from_memory_too() throws Exception {
        DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> repository.newInstance(() -> new Counter(ID)));
        for (int i = 0; i < THRESHOLD; i++) {
            increment(); // all from the cache
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().isPresent());
        assertThat(streamReads.get()).isZero();
        assertThat(snapshot().orElseThrow().getSequenceNumber()).isEqualTo(THRESHOLD - 1);
    }

    @Test
    void an_aggregate_past_the_threshold_as_it_is_loaded_is_snapshotted_from_its_state_after_the_command() throws Exception {
        // appended behind the repository's back, so the next load reads them all
        EventSourcingRepository<Counter> uncached = EventSourcingRepository.builder(Counter.class).eventStore(store).build();
        DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> uncached.newInstance(() -> new Counter(ID)));
        for (int i = 0; i < THRESHOLD; i++) {
            DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> {
                uncached.load(ID).execute(Counter::increment);
                return null;
            });
        }
        int readsBefore = streamReads.get();

        increment();

        await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().isPresent());
        assertThat(streamReads.get()).as("the load only").isEqualTo(readsBefore + 1);
        assertThat(snapshot().orElseThrow().getSequenceNumber()).as("after the command's event").isEqualTo(THRESHOLD + 1);
    }

    @Test
    void without_the_caching_repository_the_snapshot_is_folded_from_the_store() throws Exception {
        EventSourcingRepository<Counter> plain = EventSourcingRepository.builder(Counter.class).eventStore(store)
                .snapshotTriggerDefinition(new EventCountSnapshots(snapshotter, THRESHOLD)).build();
        DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> plain.newInstance(() -> new Counter(ID)));
        for (int i = 0; i < THRESHOLD; i++) {
            DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> {
                plain.load(ID).execute(Counter::increment);
                return null;
            });
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> snapshot().isPresent());
        assertThat(((Counter) snapshot().orElseThrow().getPayload()).count).isEqualTo(snapshot().orElseThrow().getSequenceNumber());
        assertThat(streamReads.get()).as("one load per command, and the snapshotter's read").isEqualTo(THRESHOLD + 1);
    }
}
