package io.roomgate.command.room;

import io.roomgate.access.Rejected;
import io.roomgate.events.RoomProperties;

import java.time.Instant;

/** The checks a room's properties must pass before any event records them. */
final class RoomRulesCheck {

    private RoomRulesCheck() {
    }

    static void requireValid(RoomProperties p, Instant now) {
        Timestamps.requireSeconds("nbf", p.nbf());
        Timestamps.requireSeconds("exp", p.exp());
        Timestamps.requireFuture("exp", p.exp(), now);
        if (p.nbf() != null && p.exp() != null && p.nbf() >= p.exp()) {
            throw Rejected.invalid("nbf must be before exp");
        }
        if (p.maxParticipants() != null && p.maxParticipants() < 1) {
            throw Rejected.invalid("max_participants must be at least 1");
        }
        if (p.ejectAfterElapsed() != null && p.ejectAfterElapsed() < 1) {
            throw Rejected.invalid("eject_after_elapsed must be at least 1 second");
        }
    }
}
