package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Remove participants by session id and/or user id; {@code ban} keeps those user ids out. */
public record EjectParticipants(@TargetAggregateIdentifier String roomId, java.util.List<String> participantIds, java.util.List<String> userIds, boolean ban) {
}
