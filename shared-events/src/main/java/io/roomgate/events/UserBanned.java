package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A {@code user_id} may not join this room until the ban is lifted. */
@Revision("1")
public record UserBanned(String roomId, String name, String userId) implements RoomgateEvent {
}
