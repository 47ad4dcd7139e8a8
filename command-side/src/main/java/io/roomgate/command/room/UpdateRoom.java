package io.roomgate.command.room;

import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Change privacy and/or properties; null leaves that part as it is. */
public record UpdateRoom(@TargetAggregateIdentifier String roomId, Privacy privacy, RoomProperties properties) {
}
