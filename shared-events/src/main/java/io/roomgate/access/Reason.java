package io.roomgate.access;

import com.fasterxml.jackson.annotation.JsonValue;

/** Why the join decision came out as it did: one per row of the decision table (access rules §2). */
public enum Reason {
    ROOM_NOT_FOUND("room-not-found"),
    ROOM_EXPIRED("room-expired"),
    ROOM_NOT_YET_OPEN("room-not-yet-open"),
    ALREADY_PRESENT("already-present"),
    TOKEN_INVALID("token-invalid"),
    TOKEN_EXPIRED("token-expired"),
    TOKEN_NOT_YET_VALID("token-not-yet-valid"),
    TOKEN_WRONG_ROOM("token-wrong-room"),
    TOKEN_REVOKED("token-revoked"),
    BANNED("banned"),
    ROOM_FULL("room-full"),
    VALID_TOKEN("valid-token"),
    PUBLIC_ROOM("public-room"),
    MEMBER("member"),
    KNOCK_APPROVED("knock-approved"),
    KNOCK_PENDING("knock-pending"),
    KNOCK_DENIED("knock-denied"),
    KNOCK_EXPIRED("knock-expired"),
    /** roomgate's addition: the knocker withdrew that knock. */
    KNOCK_WITHDRAWN("knock-withdrawn"),
    /** roomgate's addition: that approval already admitted someone; an approval admits once. */
    KNOCK_USED("knock-used"),
    KNOCK_REQUIRED("knock-required"),
    PRIVATE_ROOM("private-room");

    private final String wireName;

    Reason(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
