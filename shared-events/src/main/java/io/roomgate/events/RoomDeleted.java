package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A room stopped existing; its name is free again. Nobody can join it from now on. */
@Revision("1")
public record RoomDeleted(String roomId, String name, DeletionCause cause) implements RoomgateEvent {
}
