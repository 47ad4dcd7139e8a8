package io.roomgate.query.view;

import io.roomgate.access.RoomRules;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;

import java.time.Instant;

/**
 * A live room as the view holds it; {@code sessionId} is the meeting session in progress (Daily's
 * {@code mtgSessionId}), null before the first join.
 */
public record ViewRoom(String roomId, String name, Privacy privacy, RoomProperties properties,
                       int presentCount, Instant createdAt, String sessionId) {

    public RoomRules rules() {
        return new RoomRules(roomId, name, privacy, properties.nbf(), properties.exp(),
                properties.maxParticipants(), properties.enableKnocking());
    }
}
