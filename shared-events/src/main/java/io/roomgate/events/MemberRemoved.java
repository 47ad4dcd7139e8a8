package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A member of the domain is a member no more. */
@Revision("1")
public record MemberRemoved(String memberId) implements RoomgateEvent {
}
