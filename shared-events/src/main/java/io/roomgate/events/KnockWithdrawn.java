package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** The knocker gave up waiting. */
@Revision("1")
public record KnockWithdrawn(String roomId, String name, String knockId) implements RoomgateEvent {
}
