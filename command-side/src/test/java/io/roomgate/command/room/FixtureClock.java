package io.roomgate.command.room;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A {@link Clock} that reads the test fixture's simulated time, so the aggregates' {@code Clock}
 * parameter and the fixture's deadlines agree on "now" (also while a deadline is being handled:
 * the fixture then stands at that deadline's time).
 */
public final class FixtureClock extends Clock {

    private final Supplier<Instant> now;

    public FixtureClock(Supplier<Instant> now) {
        this.now = Objects.requireNonNull(now);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (ZoneOffset.UTC.equals(zone)) {
            return this;
        }
        throw new UnsupportedOperationException("the fixture clock is in UTC");
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
