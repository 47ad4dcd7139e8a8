package io.roomgate.command.room;

import io.roomgate.access.JoinAttempt;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The join server reports someone entering; re-checked with the join decision. {@code tokenRevoked} and {@code memberActive} are looked up by the sender, which sees the other aggregates. */
public record JoinRoom(@TargetAggregateIdentifier String roomId, String participantId, String userName, JoinAttempt attempt, boolean tokenRevoked, boolean memberActive) {
}
