package io.roomgate.query.audit;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One event of the store as the audit log shows it: where it stands in the global order, what
 * it is, when, who caused it (the API key id, never the key) in which request, the room name
 * it concerns, and the payload exactly as stored (its revision alongside).
 *
 * @param roomName the payload's {@code name} (every room event has one); for {@code TokenIssued}
 *                 the room the token admits to ({@code claims.room_name}); otherwise null
 * @param actor    the {@code actor} metadata: an API key id, {@code system} for work the
 *                 service did on its own, null for events stored without one
 * @param aggregateId the stream the event is stored in: a room's id, {@code member:<user_id>} or
 *                    {@code token:<jti>} (see {@link io.roomgate.events.StreamIds})
 */
@JsonPropertyOrder({"position", "type", "revision", "occurred_at", "actor", "request_id", "room_name",
        "aggregate_id", "sequence_number", "payload"})
public record AuditEntry(long position, String type, String revision, String occurredAt, String actor, String requestId,
                         String roomName, String aggregateId, long sequenceNumber, JsonNode payload) {
}
