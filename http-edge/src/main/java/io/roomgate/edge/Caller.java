package io.roomgate.edge;

/**
 * Who is calling: the API key's id (never the key) and this request's id. Both travel as event
 * metadata ({@code actor}, {@code request_id}) into the audit log.
 */
public record Caller(String keyId, String requestId) {

    public static final String ACTOR = "actor";
    public static final String REQUEST_ID = "request_id";

    private static final ThreadLocal<Caller> CURRENT = new ThreadLocal<>();

    /** The caller of the request being served on this thread, or the system (deadlines, start-up). */
    public static Caller current() {
        Caller caller = CURRENT.get();
        return caller != null ? caller : new Caller("system", null);
    }

    static void set(Caller caller) {
        CURRENT.set(caller);
    }

    static void clear() {
        CURRENT.remove();
    }
}
