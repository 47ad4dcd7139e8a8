package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A room came into existence under a name that was free. */
@Revision("1")
public record RoomCreated(String roomId, String name, Privacy privacy, RoomProperties properties) implements RoomgateEvent {
}
