package io.roomgate.events;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a meeting token says, in Daily's long property names. Recorded in {@code TokenIssued}
 * instead of the token string, and what a verified token decodes to.
 *
 * @param roomName          the room it admits to; null means every room of the domain
 * @param exp               Unix seconds after which it is refused, or null
 * @param nbf               Unix seconds before which it is refused, or null
 * @param owner             Daily's {@code is_owner}
 * @param knocking          true: even this holder must knock in a knocking room
 * @param permissions       Daily's {@code permissions} object, verbatim
 * @param other             other Daily token properties roomgate keeps but does not interpret
 */
public record MeetingTokenClaims(
        String roomName,
        Long exp,
        Long nbf,
        @JsonProperty("is_owner") boolean owner,
        String userName,
        String userId,
        boolean ejectAtTokenExp,
        Long ejectAfterElapsed,
        boolean knocking,
        Map<String, Object> permissions,
        Map<String, Object> other) {

    private static final List<String> ALL_ADMIN_RIGHTS = List.of("participants", "streaming", "transcription");

    public MeetingTokenClaims {
        permissions = permissions == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(permissions));
        other = other == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(other));
    }

    /** True when the token names no room, so it admits to any room of the domain. */
    public boolean grantsAllRooms() {
        return roomName == null;
    }

    /**
     * Daily's {@code permissions.canAdmin}: {@code true} means every admin right, a list names
     * them. An owner who may let knockers in has {@code participants}.
     */
    public boolean canAdminParticipants() {
        Object canAdmin = permissions.get("canAdmin");
        if (Boolean.TRUE.equals(canAdmin)) {
            return true;
        }
        return canAdmin instanceof Collection<?> rights && rights.contains("participants");
    }

    /** May this holder approve or deny knocks while present: an owner or a participants admin. */
    public boolean mayAdmitKnockers() {
        return owner || canAdminParticipants();
    }

    static List<String> allAdminRights() {
        return ALL_ADMIN_RIGHTS;
    }
}
