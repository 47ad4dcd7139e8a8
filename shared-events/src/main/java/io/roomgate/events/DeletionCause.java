package io.roomgate.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why a room stopped existing. */
public enum DeletionCause {
    /** An admin called {@code DELETE /v1/rooms/{name}}. */
    ADMIN("admin"),
    /** The room's {@code exp} passed. */
    EXPIRY("expiry");

    private final String wireName;

    DeletionCause(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
