package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The join server reports someone leaving. */
public record LeaveRoom(@TargetAggregateIdentifier String roomId, String participantId) {
}
