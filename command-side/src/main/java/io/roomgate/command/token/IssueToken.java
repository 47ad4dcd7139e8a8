package io.roomgate.command.token;

import io.roomgate.events.MeetingTokenClaims;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record the issue of a meeting token: its id and claims, never its text. */
public record IssueToken(@TargetAggregateIdentifier String tokenId, String keyId, MeetingTokenClaims claims, boolean allowAllRooms) {
}
