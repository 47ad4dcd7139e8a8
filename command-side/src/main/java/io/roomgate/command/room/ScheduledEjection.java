package io.roomgate.command.room;

import io.roomgate.events.EjectionCause;

import java.time.Instant;

/**
 * The payload of a participant's ejection deadline: who, the ejection time fixed when they
 * joined, and which limit it is. A reconnect under the same id gets a new time, so an old
 * deadline finds no match and does nothing.
 */
public record ScheduledEjection(String participantId, Instant at, EjectionCause cause) {
}
