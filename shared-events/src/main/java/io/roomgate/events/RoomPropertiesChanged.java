package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A room's properties changed; {@code properties} is the whole new set. */
@Revision("1")
public record RoomPropertiesChanged(String roomId, String name, RoomProperties properties) implements RoomgateEvent {
}
