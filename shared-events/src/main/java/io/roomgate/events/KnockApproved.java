package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A present owner let a knocker in; the knocker may join once, until {@code validUntil}. */
@Revision("1")
public record KnockApproved(String roomId, String name, String knockId, String approvedBy, java.time.Instant validUntil) implements RoomgateEvent {
}
