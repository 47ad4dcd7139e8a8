package io.roomgate.query.view;

import io.roomgate.access.RoomRules;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;

import java.time.Instant;

/** A live room as the view holds it. */
public record ViewRoom(String roomId, String name, Privacy privacy, RoomProperties properties,
                       int presentCount, Instant createdAt) {

    public RoomRules rules() {
        return new RoomRules(roomId, name, privacy, properties.nbf(), properties.exp(),
                properties.maxParticipants(), properties.enableKnocking());
    }
}
