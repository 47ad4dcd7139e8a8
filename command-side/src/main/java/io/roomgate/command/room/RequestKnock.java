package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Someone without a credential asks to be let in; {@code userId} is the join server's assertion, if any. */
public record RequestKnock(@TargetAggregateIdentifier String roomId, String knockId, String userName, String userId) {

    public RequestKnock(String roomId, String knockId, String userName) {
        this(roomId, knockId, userName, null);
    }
}
