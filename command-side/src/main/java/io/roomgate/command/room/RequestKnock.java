package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Someone without a credential asks to be let in. */
public record RequestKnock(@TargetAggregateIdentifier String roomId, String knockId, String userName) {
}
