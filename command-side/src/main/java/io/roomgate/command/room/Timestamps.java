package io.roomgate.command.room;

import io.roomgate.access.Rejected;

import java.time.Instant;

/** Rules for the Unix-seconds timestamps rooms and tokens carry. */
public final class Timestamps {

    /** Unix seconds reach 10^11 in the year 5138; a larger value is milliseconds sent by mistake. */
    public static final long MAX_SECONDS = 100_000_000_000L;

    private Timestamps() {
    }

    public static void requireSeconds(String field, Long value) {
        if (value == null) {
            return;
        }
        if (value > MAX_SECONDS) {
            throw Rejected.invalid(field + " looks like milliseconds: send Unix seconds");
        }
        if (value < 0) {
            throw Rejected.invalid(field + " must be a Unix timestamp in seconds");
        }
    }

    public static void requireFuture(String field, Long value, Instant now) {
        if (value != null && value <= now.getEpochSecond()) {
            throw Rejected.invalid(field + " is in the past");
        }
    }
}
