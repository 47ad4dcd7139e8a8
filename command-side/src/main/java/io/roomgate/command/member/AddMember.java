package io.roomgate.command.member;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Make a logged-in user a member of the domain. */
public record AddMember(@TargetAggregateIdentifier String memberId) {
}
