package io.roomgate.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** A room's privacy setting, as Daily spells it. */
public enum Privacy {
    PUBLIC("public"),
    PRIVATE("private");

    private final String wireName;

    Privacy(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** Parses Daily's spelling; {@code null} for anything else so callers decide how to reject it. */
    @JsonCreator
    public static Privacy fromWire(String value) {
        for (Privacy p : values()) {
            if (p.wireName.equals(value)) {
                return p;
            }
        }
        return null;
    }
}
