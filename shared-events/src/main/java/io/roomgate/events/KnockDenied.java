package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A present owner refused a knock; the refusal is final for that knock. */
@Revision("1")
public record KnockDenied(String roomId, String name, String knockId, String deniedBy) implements RoomgateEvent {
}
