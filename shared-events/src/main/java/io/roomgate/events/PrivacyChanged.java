package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A room became public or private. People present stay: this event removes nobody. */
@Revision("1")
public record PrivacyChanged(String roomId, String name, Privacy privacy) implements RoomgateEvent {
}
