package io.roomgate.command.room;

import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Create a room under a free name. */
public record CreateRoom(@TargetAggregateIdentifier String roomId, String name, Privacy privacy, RoomProperties properties) {
}
