package io.roomgate.access;

import com.fasterxml.jackson.annotation.JsonValue;

/** The four answers to "may this person join?". */
public enum Decision {
    ALLOW("allow"),
    DENY("deny"),
    /** They may knock: the room takes knocks and nothing else admits them. */
    KNOCK("knock"),
    /** Their knock is pending an owner's decision. */
    WAIT("wait");

    private final String wireName;

    Decision(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }
}
