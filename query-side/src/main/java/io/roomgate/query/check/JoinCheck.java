package io.roomgate.query.check;

import io.roomgate.access.JoinAttempt;
import io.roomgate.access.PresentedToken;

/**
 * A join check as the join server asks it: the room and what the person brings. The one value
 * that travels from the API to the decision, now or at an instant in the past; its token is
 * verified into a {@link io.roomgate.access.JoinAttempt} there. Every field but the room may be
 * null.
 *
 * @param token         the meeting token as presented (a secret: never in {@link #toString()})
 * @param userId        the user id the join server asserts (a token's {@code user_id} wins)
 * @param memberId      the member id of a logged-in user the join server authenticated
 * @param participantId a session that may already be in the room (a reconnect)
 * @param knockId       a knock the person made and an owner may have approved
 */
public record JoinCheck(String roomName, String token, String userId, String memberId, String participantId,
                        String knockId) {

    /** A check of a room with a token only, as most join servers ask. */
    public static JoinCheck withToken(String roomName, String token) {
        return new JoinCheck(roomName, token, null, null, null, null);
    }

    /** What the decision sees of this check once its token is verified. */
    public JoinAttempt attempt(PresentedToken verified) {
        return new JoinAttempt(verified, userId, memberId, participantId, knockId);
    }

    @Override
    public String toString() {
        return "JoinCheck[" + roomName + (token == null ? "" : ", with a token") + "]"; // never the token
    }
}
