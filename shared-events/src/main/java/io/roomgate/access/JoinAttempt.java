package io.roomgate.access;

/**
 * Someone asking to join a room: the credentials they bring. Every field but {@code token} may
 * be null.
 *
 * @param userId        the user id the join server asserts (a token's {@code user_id} wins)
 * @param memberId      the member id of a logged-in user the join server authenticated
 * @param participantId a session that may already be in the room (a reconnect)
 */
public record JoinAttempt(PresentedToken token, String userId, String memberId, String participantId, String knockId) {

    public JoinAttempt {
        token = token == null ? PresentedToken.NONE : token;
    }

    /** The user id the ban and unique-user rules look at: the token's, else the asserted one. */
    public String effectiveUserId() {
        if (token instanceof PresentedToken.Verified verified && verified.claims().userId() != null) {
            return verified.claims().userId();
        }
        return userId;
    }
}
