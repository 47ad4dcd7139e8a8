package io.roomgate.access;

/**
 * A command the rules refuse. The command emits nothing; the API layer turns the kind into
 * Daily's error type and status. The message is shown to the caller, so it never holds a
 * token or a key.
 */
public class Rejected extends RuntimeException {

    public enum Kind {
        /** The request is malformed or asks for something the rules never allow (400). */
        INVALID,
        /** The caller may not do this (403). */
        FORBIDDEN,
        /** The thing addressed does not exist (404). */
        NOT_FOUND,
        /** The state changed under the caller; retrying may succeed (409). */
        CONFLICT
    }

    private final Kind kind;

    public Rejected(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    public static Rejected invalid(String message) {
        return new Rejected(Kind.INVALID, message);
    }

    public static Rejected forbidden(String message) {
        return new Rejected(Kind.FORBIDDEN, message);
    }

    public static Rejected notFound(String message) {
        return new Rejected(Kind.NOT_FOUND, message);
    }

    public static Rejected conflict(String message) {
        return new Rejected(Kind.CONFLICT, message);
    }
}
