package io.roomgate.command.token;

import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.StreamIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Record the issue of a meeting token: its id and claims, never its text. */
public record IssueToken(String tokenId, String keyId, MeetingTokenClaims claims, boolean allowAllRooms) {

    @TargetAggregateIdentifier
    public String streamId() {
        return StreamIds.meetingToken(tokenId);
    }
}
