package io.roomgate.command.room;

import java.time.Duration;

/**
 * How long a knock waits for an owner, and how long an approval admits the knocker.
 * Defaults: 10 minutes and 5 minutes (access rules §1).
 */
public record KnockTimeouts(Duration pending, Duration approvalWindow) {

    public static KnockTimeouts defaults() {
        return new KnockTimeouts(Duration.ofMinutes(10), Duration.ofMinutes(5));
    }
}
