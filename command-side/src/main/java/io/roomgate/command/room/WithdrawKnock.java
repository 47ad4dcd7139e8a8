package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The knocker gives up. */
public record WithdrawKnock(@TargetAggregateIdentifier String roomId, String knockId) {
}
