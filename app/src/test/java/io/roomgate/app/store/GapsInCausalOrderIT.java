package io.roomgate.app.store;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.RoomgateTest;
import io.roomgate.store.GapSeekingJdbcEventStorageEngine;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's one stale cross-node answer, made deterministic: a reader whose token has a gap (an
 * event whose transaction had not committed when the reader passed its position) must never get
 * a later event of the same stream before that one. {@link GapSeekingJdbcEventStorageEngine} reads
 * gaps and the events above the token with two queries, each seeing the store at its own moment;
 * here both events commit between the two. Run in the order gaps-then-above, the reader got the
 * approval and not the knock request it approves (the view then kept the knock pending for good);
 * in the order above-then-gaps it gets the request, and the approval at its next read.
 */
@RoomgateTest
class GapsInCausalOrderIT extends WithEmbeddedApp {

    @Autowired
    ConnectionProvider connectionProvider;
    @Autowired
    EventSchema eventSchema;
    @Autowired
    TransactionManager axonTransactions;
    @Autowired
    @Qualifier("eventSerializer")
    Serializer eventSerializer;
    @Autowired
    Serializer serializer;
    @Autowired
    PlatformTransactionManager transactions;
    @Autowired
    DataSource dataSource;

    @Test
    void an_event_committed_between_the_two_queries_never_arrives_before_the_gap_it_follows() throws Exception {
        String stream = "causal-" + UUID.randomUUID();
        long gap = nextIndex(); // the request's position, taken while its transaction is still open
        long seen = nextIndex();
        insert(seen, "other-" + UUID.randomUUID(), 0); // committed: the reader passes it, gap stays a gap
        long later = nextIndex(); // the approval's position, above the token

        Probe engine = new Probe(JdbcEventStorageEngine.builder()
                .connectionProvider(connectionProvider)
                .schema(eventSchema)
                .eventSerializer(eventSerializer)
                .snapshotSerializer(serializer), axonTransactions, () -> {
            // between the reader's two queries: the request commits, then (its client answered) the approval
            insert(gap, stream, 0);
            insert(later, stream, 1);
        });
        GapAwareTrackingToken token = GapAwareTrackingToken.newInstance(seen, new TreeSet<>(List.of(gap)));
        List<Long> read = new TransactionTemplate(transactions).execute(s -> engine.read(token));

        int request = read.indexOf(gap);
        int approval = read.indexOf(later);
        assertThat(request).as("the request (%d) is read: %s", gap, read).isGreaterThanOrEqualTo(0);
        assertThat(approval < 0 || approval > request).as("the approval (%d) never before the request it approves (%d): %s",
                later, gap, read).isTrue();
    }

    /** The engine with a commit standing between its two queries, once. */
    final class Probe extends GapSeekingJdbcEventStorageEngine {
        private Runnable between;

        Probe(JdbcEventStorageEngine.Builder builder, TransactionManager transactions, Runnable between) {
            super(builder, transactions, new Gaps(60_000, 10_000, 250));
            this.between = between;
        }

        @Override
        protected void betweenQueries() {
            Runnable once = between;
            between = null;
            if (once != null) {
                once.run();
            }
        }

        /** The stored global index of each event read, in the order read. */
        List<Long> read(GapAwareTrackingToken token) {
            return fetchTrackedEvents(token, 1000).stream()
                    .map(event -> jdbc.queryForObject("select global_index from domain_event_entry where event_identifier = ?",
                            Long.class, event.getEventIdentifier()))
                    .toList();
        }
    }

    private long nextIndex() {
        boolean postgres = Boolean.TRUE.equals(jdbc.execute((Connection c) ->
                c.getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL")));
        Long next = jdbc.queryForObject(postgres ? "select nextval('domain_event_entry_seq')" : "select next value for domain_event_entry_seq",
                Long.class);
        return next;
    }

    /** An event committed on a connection of its own. */
    private void insert(long globalIndex, String aggregateId, long sequence) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into domain_event_entry (global_index, sequence_number, meta_data, "
                     + "payload, aggregate_identifier, event_identifier, payload_revision, payload_type, time_stamp, type) "
                     + "values (?, ?, ?, ?, ?, ?, null, ?, ?, 'CausalOrderProbe')")) {
            c.setAutoCommit(true);
            ps.setLong(1, globalIndex);
            ps.setLong(2, sequence);
            ps.setBytes(3, "{}".getBytes(StandardCharsets.UTF_8));
            ps.setBytes(4, "{}".getBytes(StandardCharsets.UTF_8));
            ps.setString(5, aggregateId);
            ps.setString(6, UUID.randomUUID().toString());
            ps.setString(7, "io.roomgate.test.CausalOrderProbe");
            ps.setString(8, Instant.now().toString());
            ps.executeUpdate();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
