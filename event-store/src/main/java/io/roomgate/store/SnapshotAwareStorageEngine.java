package io.roomgate.store;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.UnknownSerializedType;

import java.util.List;
import java.util.Optional;

/**
 * The JPA storage engine ({@link GapSeekingJpaEventStorageEngine}) for aggregates with long
 * histories, which are read from their latest snapshot:
 * <ul>
 * <li>a snapshot is read whole before it is handed out. Axon deserializes its payload lazily,
 * when the repository builds the aggregate from it, where a failure fails every command on that
 * aggregate; read here, inside {@code AbstractEventStore.readEvents}, the same failure is logged
 * and the aggregate is loaded from all its events instead. The next snapshot replaces it.</li>
 * <li>an aggregate's last sequence number (every command's consistency token asks for it) is
 * looked for from its latest snapshot on. Axon's {@code MAX(sequence_number)} over all of the
 * aggregate's events makes H2 read every one of them: 100,000 for a room reused every day
 * (BENCHMARKS.md, row 5), where a snapshot threshold's worth suffices.</li>
 * </ul>
 */
final class SnapshotAwareStorageEngine extends GapSeekingJpaEventStorageEngine {

    /** The event entities the current thread's append created, to read their global positions once persisted. */
    private static final ThreadLocal<List<Object>> APPENDING = new ThreadLocal<>();

    private final LocalCommits commits;

    SnapshotAwareStorageEngine(JpaEventStorageEngine.Builder builder, LocalCommits commits) {
        super(builder);
        this.commits = commits;
    }

    /**
     * Appends as Axon does, then tells {@link LocalCommits} the newest global position appended:
     * the entities have their positions once persisted (taken from the sequence), so it costs
     * no statement.
     */
    @Override
    protected void appendEvents(List<? extends org.axonframework.eventhandling.EventMessage<?>> events,
                                org.axonframework.serialization.Serializer serializer) {
        List<Object> created = new java.util.ArrayList<>(events.size());
        APPENDING.set(created);
        try {
            super.appendEvents(events, serializer);
        } finally {
            APPENDING.remove();
        }
        long newest = -1;
        var ids = entityManager().getEntityManagerFactory().getPersistenceUnitUtil();
        for (Object entity : created) {
            if (ids.getIdentifier(entity) instanceof Number position) {
                newest = Math.max(newest, position.longValue());
            }
        }
        if (newest >= 0) {
            commits.appended(newest);
        }
    }

    @Override
    protected Object createEventEntity(org.axonframework.eventhandling.EventMessage<?> eventMessage,
                                       org.axonframework.serialization.Serializer serializer) {
        Object entity = super.createEventEntity(eventMessage, serializer);
        List<Object> created = APPENDING.get();
        if (created != null) {
            created.add(entity);
        }
        return entity;
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

    @Override
    public Optional<Long> lastSequenceNumberFor(String aggregateIdentifier) {
        Long snapshot = single(entityManager()
                .createQuery("SELECT MAX(s.sequenceNumber) FROM " + snapshotEventEntryEntityName()
                        + " s WHERE s.aggregateIdentifier = :id", Long.class)
                .setParameter("id", aggregateIdentifier)
                .getResultList());
        if (snapshot == null) {
            return super.lastSequenceNumberFor(aggregateIdentifier);
        }
        Long last = single(entityManager()
                .createQuery("SELECT MAX(e.sequenceNumber) FROM " + domainEventEntryEntityName()
                        + " e WHERE e.aggregateIdentifier = :id AND e.sequenceNumber >= :snapshot", Long.class)
                .setParameter("id", aggregateIdentifier)
                .setParameter("snapshot", snapshot)
                .getResultList());
        return last != null ? Optional.of(last) : super.lastSequenceNumberFor(aggregateIdentifier);
    }

    private static Long single(List<Long> result) {
        return result.isEmpty() ? null : result.get(0);
    }
}
