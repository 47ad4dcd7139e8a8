package io.roomgate.platform;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;
import org.axonframework.serialization.SerializationException;
import org.axonframework.serialization.UnknownSerializedType;

import java.util.Optional;

/**
 * The JPA storage engine ({@link GapSeekingJpaEventStorageEngine}), except that a snapshot is
 * read whole before it is handed out. Axon
 * deserializes a snapshot's payload lazily, when the repository builds the aggregate from it,
 * where a failure fails every command on that aggregate. Read here, inside
 * {@code AbstractEventStore.readEvents}, the same failure is logged and the aggregate is loaded
 * from all its events instead; the next snapshot replaces the bad one.
 */
final class SnapshotCheckingStorageEngine extends GapSeekingJpaEventStorageEngine {

    SnapshotCheckingStorageEngine(JpaEventStorageEngine.Builder builder) {
        super(builder);
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
}
