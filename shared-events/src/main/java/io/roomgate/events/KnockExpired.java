package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A knock nobody decided in time lapsed. */
@Revision("1")
public record KnockExpired(String roomId, String name, String knockId) implements RoomgateEvent {
}
