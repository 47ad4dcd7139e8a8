package io.roomgate.command.member;

import io.roomgate.events.StreamIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A member of the domain is one no more. */
public record RemoveMember(String memberId) {

    @TargetAggregateIdentifier
    public String streamId() {
        return StreamIds.member(memberId);
    }
}
