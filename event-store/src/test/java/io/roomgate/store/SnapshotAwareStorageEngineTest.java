package io.roomgate.store;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.spring.jdbc.SpringDataSourceConnectionProvider;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The storage engine's own reads, on the store's tables (the event-store's H2 migrations), in
 * memory: an aggregate's last sequence number in one statement, and a paced reader that still
 * reads every event once, in order.
 */
class SnapshotAwareStorageEngineTest {

    private final JdbcDataSource dataSource = new JdbcDataSource();
    private final DataSourceTransactionManager transactions;

    SnapshotAwareStorageEngineTest() {
        dataSource.setURL("jdbc:h2:mem:engine-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/h2").load().migrate();
        transactions = new DataSourceTransactionManager(dataSource);
    }

    private SnapshotAwareStorageEngine engine(Duration busyPause, int batchSize) {
        StoreConfiguration configuration = new StoreConfiguration();
        return new SnapshotAwareStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(configuration.snapshotSerializer())
                .eventSerializer(configuration.eventSerializer())
                .persistenceExceptionResolver(new DuplicateKeys())
                .connectionProvider(new SpringDataSourceConnectionProvider(dataSource))
                .schema(configuration.eventSchema())
                .dataType(byte[].class)
                .batchSize(batchSize),
                new SpringTransactionManager(transactions), new GapSeekingJdbcEventStorageEngine.Gaps(60_000, 10_000, 250),
                busyPause, new LocalCommits(() -> -1));
    }

    private static List<DomainEventMessage<?>> events(String aggregate, int from, int to) {
        return IntStream.range(from, to).<DomainEventMessage<?>>mapToObj(seq ->
                new GenericDomainEventMessage<>("Room", aggregate, seq, "event " + seq)).toList();
    }

    private void append(SnapshotAwareStorageEngine engine, List<DomainEventMessage<?>> events) {
        new TransactionTemplate(transactions).executeWithoutResult(s -> engine.appendEvents(events));
    }

    @Test
    void the_last_sequence_number_counts_from_the_latest_snapshot_on_and_is_empty_for_an_unknown_aggregate() {
        SnapshotAwareStorageEngine engine = engine(Duration.ZERO, 100);
        assertThat(engine.lastSequenceNumberFor("room-unknown")).isEmpty();

        append(engine, events("room-a", 0, 10));
        append(engine, events("room-b", 0, 3));
        assertThat(engine.lastSequenceNumberFor("room-a")).contains(9L);

        engine.storeSnapshot(new GenericDomainEventMessage<>("Room", "room-a", 5, "snapshot at 5"));
        assertThat(engine.lastSequenceNumberFor("room-a")).contains(9L);
        append(engine, events("room-a", 10, 12));
        assertThat(engine.lastSequenceNumberFor("room-a")).contains(11L);
        assertThat(engine.lastSequenceNumberFor("room-b")).contains(2L);
    }

    @Test
    void a_paced_reader_reads_every_event_once_in_order() {
        SnapshotAwareStorageEngine engine = engine(Duration.ofMillis(1), 4);
        append(engine, events("room-a", 0, 7));
        List<Long> first = engine.readEvents(null, false).map(e -> ((DomainEventMessage<?>) e).getSequenceNumber()).toList();
        assertThat(first).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        append(engine, events("room-a", 7, 9));
        assertThat(engine.readEvents(null, false).map(e -> ((DomainEventMessage<?>) e).getSequenceNumber()).toList())
                .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }
}
