package io.roomgate.events;

import org.axonframework.serialization.Revision;

/** A meeting token is refused from now on, whatever its {@code exp}. {@code selfSigned} marks a token roomgate never issued. */
@Revision("1")
public record TokenRevoked(String tokenId, boolean selfSigned) implements RoomgateEvent {
}
