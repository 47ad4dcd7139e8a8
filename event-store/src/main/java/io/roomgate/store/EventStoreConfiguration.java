package io.roomgate.store;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The event store on plain JDBC: Axon's JDBC engine on Spring's transaction-bound connection (see
 * {@code StoreConfiguration}), so events, view rows and tokens commit together and no
 * EntityManager is in the way. Its gap handling is set for several writers. With more than one
 * command node, global positions are taken from the sequence in one order and committed in
 * another, so a reader sees gaps that fill a moment later:
 * <ul>
 * <li>{@code gapTimeout} — how long a gap is waited for before it is taken to be a rolled-back
 * write. Writes here commit within milliseconds; 60 s (Axon's default) is kept so a slow commit
 * under load is never skipped, since a skipped event would be missing from the view for good.</li>
 * <li>{@code maxGapOffset} — how far behind the head a gap is still tracked: 10,000 positions
 * covers far more in-flight writes than the command nodes' connection pools allow.</li>
 * <li>{@code gapCleaningThreshold} — tokens carry their gaps; cleaning them after 250 keeps a
 * token small after a burst of rolled-back writes (e.g. many lost name races).</li>
 * <li>{@code batchSize} — events per fetch when a processor catches up or replays: 1,000
 * rows of ~300 bytes per round trip keeps a replay scan-bound, not latency-bound.</li>
 * <li>{@code fetchDelay} (of the embedded event store) — how long a caught-up reader waits
 * before it asks the database again for events. This node's own commits wake it at once, but
 * what another node writes is only seen at the next fetch: Axon's default 1 s would make every
 * cross-node read-your-writes (a join check after a command on another node) wait up to a
 * second. Since reads are consistent by default (every read waits for the writes acknowledged
 * before it), 10 ms: one indexed range query per reading node 100 times a second
 * (BENCHMARKS.md, rows C2 and 7 across nodes: 50 ms made the default level's p50 ~60 ms).</li>
 * <li>{@code busyFetchPause} — how far apart a reader's fetches start while the stream is busy
 * ({@link GapSeekingJdbcEventStorageEngine}). Off (0) by default: where the view runs in the
 * command's process, a command waits for the view to apply its events before it is acknowledged,
 * and a pause would be added to every command. The command and query services, where no command
 * waits for a reader, set it to 5 ms ({@code StoreProperties.SERVICE_BUSY_FETCH_PAUSE}).</li>
 * </ul>
 * Snapshots have a serializer of their own (an aggregate's private fields); one that cannot be
 * read is skipped, not fatal, and an aggregate's last sequence number is looked for from its
 * latest snapshot on ({@link SnapshotAwareStorageEngine}).
 */
@AutoConfiguration(before = {JdbcAutoConfiguration.class, org.axonframework.springboot.autoconfig.AxonAutoConfiguration.class},
        after = StoreConfiguration.class)
public class EventStoreConfiguration {

    @Bean
    public EventStorageEngine eventStorageEngine(@Qualifier("snapshotSerializer") Serializer snapshotSerializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 org.axonframework.config.Configuration configuration,
                                                 ConnectionProvider connectionProvider,
                                                 EventSchema eventSchema,
                                                 TransactionManager transactionManager,
                                                 StoreProperties properties,
                                                 LocalCommits localCommits) {
        return new SnapshotAwareStorageEngine(JdbcEventStorageEngine.builder()
                .snapshotSerializer(snapshotSerializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(new DuplicateKeys())
                .eventSerializer(eventSerializer)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .schema(eventSchema)
                .dataType(byte[].class)
                .batchSize(properties.eventStore().batchSize()),
                transactionManager, new GapSeekingJdbcEventStorageEngine.Gaps(properties.eventStore().gapTimeoutMs(),
                        properties.eventStore().maxGapOffset(), properties.eventStore().gapCleaningThreshold()),
                properties.eventStore().busyFetchPause(), localCommits);
    }

    /** The global positions this process appends (see {@link LocalCommits}). */
    @Bean
    public LocalCommits localCommits(javax.sql.DataSource dataSource) {
        org.springframework.jdbc.core.JdbcTemplate jdbc = new org.springframework.jdbc.core.JdbcTemplate(dataSource);
        return new LocalCommits(() -> {
            Long head = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
            return head == null ? -1 : head;
        });
    }

    /** Axon's embedded event store (as its auto-configuration builds it) with the fetch delay above. */
    @Bean("eventStore")
    @org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean(org.axonframework.eventhandling.EventBus.class)
    public EmbeddedEventStore eventStore(EventStorageEngine storageEngine,
                                         org.axonframework.config.Configuration configuration,
                                         StoreProperties properties) {
        java.time.Duration fetchDelay = properties.eventStore().fetchDelay();
        return EmbeddedEventStore.builder()
                .storageEngine(storageEngine)
                .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
                .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
                .fetchDelay(fetchDelay.toMillis())
                .build();
    }
}
