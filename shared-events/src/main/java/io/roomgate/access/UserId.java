package io.roomgate.access;

import java.util.regex.Pattern;

/**
 * A user's id (and a participant's, and a member's): 1-128 characters, none of them a control
 * character. The view keeps ids in 128 characters, so longer ones are refused before any event.
 */
public record UserId(String value) {

    private static final Pattern VALID = Pattern.compile("[^\\p{Cntrl}]{1,128}");

    public UserId {
        if (!isValid(value)) {
            throw Rejected.invalid("user_id must be 1-128 printable characters");
        }
    }

    public static boolean isValid(String id) {
        return id != null && VALID.matcher(id).matches();
    }

    /** The id, or refused (a 400) naming the field it came in. */
    public static UserId of(String field, String id) {
        if (!isValid(id)) {
            throw Rejected.invalid(field + " must be 1-128 printable characters");
        }
        return new UserId(id);
    }

    @Override
    public String toString() {
        return value;
    }
}
