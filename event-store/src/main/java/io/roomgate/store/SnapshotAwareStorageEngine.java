package io.roomgate.store;

import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.UnknownSerializedType;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The storage engine ({@link GapSeekingJdbcEventStorageEngine}) as roomgate appends and loads
 * aggregates, with long histories read from their latest snapshot:
 * <ul>
 * <li>appending tells {@link LocalCommits} the newest global position appended. The database
 * gives each event its position (the column's default, from the sequence: migration V5) and
 * hands the positions back with the insert, so it costs no statement.</li>
 * <li>an aggregate's events are read as the JPA engine read them: from a sequence number on, a
 * batch at a time, and a batch short of full ends the stream. Axon's JDBC engine reads ranges of
 * sequence numbers until one comes back empty: a second query on every load for nothing.</li>
 * <li>a snapshot is read whole before it is handed out. Axon deserializes its payload lazily,
 * when the repository builds the aggregate from it, where a failure fails every command on that
 * aggregate; read here, inside {@code AbstractEventStore.readEvents}, the same failure is logged
 * and the aggregate is loaded from all its events instead. A snapshot stored later replaces it,
 * also one at the same sequence number (as the JPA engine's merge did).</li>
 * <li>an aggregate's last sequence number (every command's consistency token asks for it) is
 * looked for from its latest snapshot on, in one statement. Axon's {@code MAX(sequence_number)} over all of the
 * aggregate's events makes H2 read every one of them: 100,000 for a room reused every day
 * (BENCHMARKS.md, row 5), where a snapshot threshold's worth suffices.</li>
 * </ul>
 */
final class SnapshotAwareStorageEngine extends GapSeekingJdbcEventStorageEngine {

    private final LocalCommits commits;

    SnapshotAwareStorageEngine(JdbcEventStorageEngine.Builder builder, TransactionManager transactions, Gaps gaps,
                               java.time.Duration busyPause, LocalCommits commits) {
        super(builder, transactions, gaps, busyPause);
        this.commits = commits;
    }

    /** Appends as Axon does, then tells {@link LocalCommits} the newest global position appended. */
    @Override
    protected void appendEvents(List<? extends EventMessage<?>> events, Serializer serializer) {
        if (events.isEmpty()) {
            return;
        }
        long newest = transactions().fetchInTransaction(() -> {
            Connection connection = getConnection();
            try (PreparedStatement insert = appendEvents(connection, events, serializer)) {
                insert.executeBatch();
                long positions = -1;
                try (ResultSet generated = insert.getGeneratedKeys()) {
                    while (generated.next()) {
                        positions = Math.max(positions, generated.getLong(1));
                    }
                }
                return positions;
            } catch (SQLException e) {
                handlePersistenceException(e, events.get(0)); // a duplicate (aggregate, sequence) is a lost race
                throw new IllegalStateException(e); // not reached: the line above always throws
            } finally {
                JdbcUtils.closeQuietly(connection);
            }
        });
        if (newest >= 0) {
            commits.appended(newest);
        }
    }

    /**
     * One batched insert of the events, asking for the global positions the database gave them.
     * Events are stored as the JPA engine stored them: payload and metadata as bytes, an event
     * that is no aggregate's under its own identifier as aggregate, with sequence number 0.
     */
    @Override
    protected PreparedStatement appendEvents(Connection connection, List<? extends EventMessage<?>> events,
                                             Serializer serializer) throws SQLException {
        EventSchema schema = schema();
        PreparedStatement insert = connection.prepareStatement("INSERT INTO " + schema.domainEventTable()
                + " (" + schema.domainEventFields() + ") VALUES (?,?,?,?,?,?,?,?,?)", new String[]{schema.globalIndexColumn()});
        for (EventMessage<?> message : events) {
            DomainEventMessage<?> event = message instanceof DomainEventMessage<?> domain ? domain
                    : new GenericDomainEventMessage<>(null, message.getIdentifier(), 0L, message, message::getTimestamp);
            SerializedObject<byte[]> payload = event.serializePayload(serializer, byte[].class);
            SerializedObject<byte[]> metaData = event.serializeMetaData(serializer, byte[].class);
            // in the order of EventSchema.domainEventFields()
            insert.setString(1, event.getIdentifier());
            insert.setString(2, event.getAggregateIdentifier());
            insert.setLong(3, event.getSequenceNumber());
            insert.setString(4, event.getType());
            writeTimestamp(insert, 5, event.getTimestamp());
            insert.setString(6, payload.getType().getName());
            insert.setString(7, payload.getType().getRevision());
            insert.setBytes(8, payload.getData());
            insert.setBytes(9, metaData.getData());
            insert.addBatch();
        }
        return insert;
    }

    @Override
    protected PreparedStatement readEventData(Connection connection, String identifier, long firstSequenceNumber,
                                              int batchSize) throws SQLException {
        EventSchema schema = schema();
        PreparedStatement statement = connection.prepareStatement("SELECT " + schema.trackedEventFields() + " FROM "
                + schema.domainEventTable() + " WHERE " + schema.aggregateIdentifierColumn() + " = ? AND "
                + schema.sequenceNumberColumn() + " >= ? ORDER BY " + schema.sequenceNumberColumn() + " ASC FETCH FIRST ? ROWS ONLY");
        statement.setString(1, identifier);
        statement.setLong(2, firstSequenceNumber);
        statement.setInt(3, batchSize);
        return statement;
    }

    /** A batch short of full is the aggregate's last (see {@link #readEventData(Connection, String, long, int)}). */
    @Override
    protected boolean fetchForAggregateUntilEmpty() {
        return false;
    }

    /** The latest snapshot only, as the JPA engine read it (older ones are deleted as a new one is stored). */
    @Override
    protected PreparedStatement readSnapshotData(Connection connection, String identifier) throws SQLException {
        EventSchema schema = schema();
        PreparedStatement statement = connection.prepareStatement("SELECT " + schema.domainEventFields() + " FROM "
                + schema.snapshotTable() + " WHERE " + schema.aggregateIdentifierColumn() + " = ? ORDER BY "
                + schema.sequenceNumberColumn() + " DESC FETCH FIRST 1 ROWS ONLY");
        statement.setString(1, identifier);
        return statement;
    }

    @Override
    public Optional<DomainEventMessage<?>> readSnapshot(String aggregateIdentifier) {
        Optional<DomainEventMessage<?>> snapshot = super.readSnapshot(aggregateIdentifier);
        // an unknown class (the aggregate renamed or moved) comes back as a placeholder, not an error
        if (snapshot.isPresent() && snapshot.get().getPayload() instanceof UnknownSerializedType unknown) {
            throw new SerializationException("snapshot of " + aggregateIdentifier + " is of an unknown type: " + unknown.serializedType());
        }
        return snapshot;
    }

    /**
     * Stores the snapshot in place of the aggregate's earlier ones and of one at the same sequence
     * number (an unreadable one, say, taken anew): Axon's JDBC engine would keep that one and drop
     * the new. Should another node store the same snapshot at the same moment, the insert that
     * loses on the key is let go, as Axon lets it go (a snapshot is a cache; on PostgreSQL that
     * snapshot's transaction then rolls back, which the snapshotter logs).
     */
    @Override
    protected void storeSnapshot(DomainEventMessage<?> snapshot, Serializer serializer) {
        EventSchema schema = schema();
        transactions().executeInTransaction(() -> {
            try {
                JdbcUtils.executeUpdates(getConnection(), e -> handlePersistenceException(e, snapshot),
                        connection -> {
                            PreparedStatement delete = connection.prepareStatement("DELETE FROM " + schema.snapshotTable()
                                    + " WHERE " + schema.aggregateIdentifierColumn() + " = ? AND " + schema.sequenceNumberColumn() + " <= ?");
                            delete.setString(1, snapshot.getAggregateIdentifier());
                            delete.setLong(2, snapshot.getSequenceNumber());
                            return delete;
                        },
                        connection -> appendSnapshot(connection, snapshot, serializer));
            } catch (ConcurrencyException e) {
                // the same snapshot, stored by another node a moment ago
            }
        });
    }

    /**
     * One statement (in the surrounding transaction, or on its own): the greatest sequence number
     * from the latest snapshot's on (from 0 without one), which both H2 and PostgreSQL answer from
     * the (aggregate, sequence) index. An aggregate
     * with no events (or, were events ever deleted, none from its snapshot on) is asked again the
     * way Axon asks.
     */
    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        EventSchema schema = schema();
        Long fromSnapshotOn = single(connection -> {
            PreparedStatement statement = connection.prepareStatement(StreamHeads.lastSequenceNumber(schema, "?"));
            statement.setString(1, aggregateIdentifier);
            statement.setString(2, aggregateIdentifier);
            return statement;
        }, aggregateIdentifier);
        return fromSnapshotOn != null ? Optional.of(fromSnapshotOn) : super.lastSequenceNumberFor(aggregateIdentifier);
    }

    /** The one value a query returns, or null. */
    private Long single(JdbcUtils.SqlFunction query, String aggregateIdentifier) {
        return JdbcUtils.executeQuery(getConnection(), query, resultSet -> JdbcUtils.nextAndExtract(resultSet, 1, Long.class),
                e -> new EventStoreException("Failed to read the last sequence number of aggregate [" + aggregateIdentifier + "]", e));
    }
}
