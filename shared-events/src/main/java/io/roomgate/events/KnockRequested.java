package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** Someone without a credential asked to be let into a private room with knocking enabled. */
@Revision("1")
public record KnockRequested(String roomId, String name, String knockId, String userName, java.time.Instant expiresAt) implements RoomgateEvent {
}
