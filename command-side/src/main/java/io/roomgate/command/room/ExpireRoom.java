package io.roomgate.command.room;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Delete a room whose {@code exp} has passed now, as its expiry deadline will: Daily treats an
 * expired room as implicitly deleted, so its name is free for a new room before the deadline
 * has run. Nothing happens to a room already deleted; a room whose {@code exp} has not passed
 * (moved later meanwhile) is refused.
 */
public record ExpireRoom(@TargetAggregateIdentifier String roomId) {
}
