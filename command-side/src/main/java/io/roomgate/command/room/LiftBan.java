package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Let a banned user id join again. */
public record LiftBan(@TargetAggregateIdentifier String roomId, String userId) {
}
