package io.roomgate.events;

import java.util.Map;
import java.util.TreeMap;

/**
 * A room's properties. The ones that bear on access are typed fields (Daily's names, in
 * snake_case on the wire); every other Daily room property the admin set is kept verbatim in
 * {@code other} so {@code GET /v1/rooms/{name}} gives it back.
 *
 * @param nbf                  Unix seconds before which nobody may join, or null
 * @param exp                  Unix seconds at which the room is deleted, or null
 * @param maxParticipants      cap on people present at once, or null for no cap
 * @param enableKnocking       whether people without a credential may knock on a private room
 * @param ejectAtRoomExp       whether the people present are ejected at {@code exp}
 * @param ejectAfterElapsed    seconds after joining at which a participant is ejected, or null
 * @param enforceUniqueUserIds whether a second join with a present {@code user_id} ejects the first
 * @param other                Daily properties roomgate stores but does not interpret
 */
public record RoomProperties(
        Long nbf,
        Long exp,
        Integer maxParticipants,
        boolean enableKnocking,
        boolean ejectAtRoomExp,
        Long ejectAfterElapsed,
        boolean enforceUniqueUserIds,
        Map<String, Object> other) {

    public RoomProperties {
        other = other == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(other));
    }

    public static RoomProperties defaults() {
        return new RoomProperties(null, null, null, false, false, null, false, Map.of());
    }
}
