package io.roomgate.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a participant was removed from a room against their will. */
public enum EjectionCause {
    /** {@code POST /v1/rooms/{name}/eject}. */
    ADMIN("admin"),
    /** The room was deleted while they were in it. */
    ROOM_DELETED("room-deleted"),
    /** The room reached {@code exp} and has {@code eject_at_room_exp}. */
    ROOM_EXPIRED("room-expired"),
    /** Their token reached {@code exp} and has {@code eject_at_token_exp}. */
    TOKEN_EXPIRED("token-expired"),
    /** {@code eject_after_elapsed} seconds passed since they joined. */
    ELAPSED("elapsed"),
    /** Someone joined with the same {@code user_id} in a room with {@code enforce_unique_user_ids}. */
    DUPLICATE_USER_ID("duplicate-user-id");

    private final String wireName;

    EjectionCause(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
