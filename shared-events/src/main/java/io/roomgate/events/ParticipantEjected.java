package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A participant was removed from the room, with the reason. */
@Revision("1")
public record ParticipantEjected(String roomId, String name, String participantId, String userId, EjectionCause cause) implements RoomgateEvent {
}
