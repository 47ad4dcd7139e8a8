package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A participant left of their own accord. */
@Revision("1")
public record ParticipantLeft(String roomId, String name, String participantId) implements RoomgateEvent {
}
