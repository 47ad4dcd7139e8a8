package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A logged-in user became a member of the domain: they may join private rooms. */
@Revision("1")
public record MemberAdded(String memberId) implements RoomgateEvent {
}
