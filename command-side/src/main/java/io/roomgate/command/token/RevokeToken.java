package io.roomgate.command.token;

import io.roomgate.events.StreamIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Refuse a token from now on; it may be one roomgate never issued (self-signed). */
public record RevokeToken(String tokenId) {

    @TargetAggregateIdentifier
    public String streamId() {
        return StreamIds.meetingToken(tokenId);
    }
}
