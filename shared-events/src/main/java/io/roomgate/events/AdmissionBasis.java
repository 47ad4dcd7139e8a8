package io.roomgate.events;

import com.fasterxml.jackson.annotation.JsonValue;

/** How a participant got in: the rule of the join decision that allowed them. */
public enum AdmissionBasis {
    PUBLIC_ROOM("public-room"),
    VALID_TOKEN("valid-token"),
    MEMBER("member"),
    KNOCK_APPROVED("knock-approved");

    private final String wireName;

    AdmissionBasis(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
