package io.roomgate.access;

import io.roomgate.events.Privacy;

/**
 * The rules of a live room that the join decision reads.
 *
 * @param roomId          the room's id (knocks and approvals belong to one room id)
 * @param name            the room's name
 * @param nbf             Unix seconds, or null
 * @param exp             Unix seconds, or null
 * @param maxParticipants null for no cap
 */
public record RoomRules(String roomId, String name, Privacy privacy, Long nbf, Long exp,
                        Integer maxParticipants, boolean enableKnocking) {
}
