package io.roomgate.command.room;

import io.roomgate.events.DeletionCause;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Delete a room: everyone present is ejected, the name is freed. */
public record DeleteRoom(@TargetAggregateIdentifier String roomId, DeletionCause cause) {
}
