package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A banned {@code user_id} may join this room again. */
@Revision("1")
public record BanLifted(String roomId, String name, String userId) implements RoomgateEvent {
}
