package io.roomgate.events;

import org.axonframework.serialization.Revision;

/**
 * Someone without a credential asked to be let into a private room with knocking enabled.
 * Revision 2 added {@code userId}: the knocker's user id as the join server asserts it, so a
 * ban keeps a user from knocking too. Revision-1 events are upcast with no user id.
 */
@Revision("2")
public record KnockRequested(String roomId, String name, String knockId, String userName, java.time.Instant expiresAt,
                             String userId) implements RoomgateEvent {

    /** A knock without an asserted user id. */
    public KnockRequested(String roomId, String name, String knockId, String userName, java.time.Instant expiresAt) {
        this(roomId, name, knockId, userName, expiresAt, null);
    }
}
