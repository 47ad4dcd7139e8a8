package io.roomgate.edge;

import java.util.Locale;

/** What an API key may do (access rules §3). */
public enum Scope {
    ADMIN, JOIN, AUDIT;

    public static Scope parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
