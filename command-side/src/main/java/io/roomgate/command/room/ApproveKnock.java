package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** A present owner lets a knocker in. */
public record ApproveKnock(@TargetAggregateIdentifier String roomId, String knockId, String byParticipantId) {
}
