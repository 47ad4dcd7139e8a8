package io.roomgate.store;

import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;

/**
 * How the store finds the head of an aggregate's stream (its last sequence number): the greatest
 * sequence number from the latest snapshot's on (from 0 without one), which both H2 and
 * PostgreSQL answer from the (aggregate, sequence) index. One query, for the store and for
 * lookups that read a stream's head along with something else.
 */
public final class StreamHeads {

    private StreamHeads() {
    }

    /**
     * The query, for the aggregate that {@code aggregateIdentifier} names: a {@code ?} parameter
     * (bound twice) or a column of an enclosing query.
     */
    public static String lastSequenceNumber(EventSchema schema, String aggregateIdentifier) {
        return "SELECT MAX(" + schema.sequenceNumberColumn() + ") FROM " + schema.domainEventTable() + " WHERE "
                + schema.aggregateIdentifierColumn() + " = " + aggregateIdentifier + " AND " + schema.sequenceNumberColumn()
                + " >= COALESCE((SELECT MAX(" + schema.sequenceNumberColumn() + ") FROM " + schema.snapshotTable() + " WHERE "
                + schema.aggregateIdentifierColumn() + " = " + aggregateIdentifier + "), 0)";
    }
}
