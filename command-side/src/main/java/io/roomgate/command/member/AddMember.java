package io.roomgate.command.member;

import io.roomgate.events.StreamIds;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Make a logged-in user a member of the domain. */
public record AddMember(String memberId) {

    @TargetAggregateIdentifier
    public String streamId() {
        return StreamIds.member(memberId);
    }
}
