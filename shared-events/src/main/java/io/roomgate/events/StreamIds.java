package io.roomgate.events;

/**
 * The aggregate identifiers events are stored under, one stream per aggregate. A room's stream
 * is its id, a UUID roomgate chooses. Member ids and meeting-token ids ({@code jti}) are chosen by
 * callers, so their streams carry their kind as a prefix: a member and a token of the same id, or
 * either named like a room's id, never share a stream (a UUID starts with neither prefix). The
 * events themselves hold the plain ids.
 */
public final class StreamIds {

    private static final String MEMBER = "member:";
    private static final String MEETING_TOKEN = "token:";

    private StreamIds() {
    }

    /** Null for a null id, so a command without one identifies no aggregate. */
    public static String member(String memberId) {
        return memberId == null ? null : MEMBER + memberId;
    }

    /** Null for a null id, so a command without one identifies no aggregate. */
    public static String meetingToken(String tokenId) {
        return tokenId == null ? null : MEETING_TOKEN + tokenId;
    }
}
