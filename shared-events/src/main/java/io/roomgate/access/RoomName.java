package io.roomgate.access;

import java.util.regex.Pattern;

/**
 * A room's name as Daily allows it: 1-128 characters of {@code A-Z a-z 0-9 - _}. The one place
 * that says so: the admin API, the audit API, the token checks and the room itself all ask here.
 */
public record RoomName(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    public RoomName {
        if (!isValid(value)) {
            throw Rejected.invalid("room name must be 1-128 characters of A-Z, a-z, 0-9, '-' and '_'");
        }
    }

    public static boolean isValid(String name) {
        return name != null && VALID.matcher(name).matches();
    }

    /** The name, or refused (a 400) naming the field it came in. */
    public static RoomName of(String field, String name) {
        if (!isValid(name)) {
            throw Rejected.invalid(field + " must be 1-128 characters of A-Z, a-z, 0-9, '-' and '_'");
        }
        return new RoomName(name);
    }

    @Override
    public String toString() {
        return value;
    }
}
