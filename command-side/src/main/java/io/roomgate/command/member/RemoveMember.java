package io.roomgate.command.member;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A member of the domain is one no more. */
public record RemoveMember(@TargetAggregateIdentifier String memberId) {
}
