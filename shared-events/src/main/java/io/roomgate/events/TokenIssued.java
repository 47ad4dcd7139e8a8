package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A meeting token was signed and handed to its issuer. Holds the claims and the token id ({@code jti}), never the token string. */
@Revision("1")
public record TokenIssued(String tokenId, String keyId, MeetingTokenClaims claims, boolean allowAllRooms) implements RoomgateEvent {
}
