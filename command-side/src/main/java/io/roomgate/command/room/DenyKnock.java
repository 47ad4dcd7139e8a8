package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A present owner refuses a knock. */
public record DenyKnock(@TargetAggregateIdentifier String roomId, String knockId, String byParticipantId) {
}
