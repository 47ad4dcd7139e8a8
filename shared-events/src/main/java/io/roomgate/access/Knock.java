package io.roomgate.access;

import java.time.Instant;

/**
 * A knock as the join decision sees it.
 *
 * @param expiresAt  when a pending knock lapses
 * @param validUntil when an approval stops admitting, or null while not approved
 */
public record Knock(String knockId, String roomId, KnockState state, Instant expiresAt, Instant validUntil) {

    /** The state at {@code now}: a pending knock or an unused approval past its time has lapsed, deadline run or not. */
    public KnockState stateAt(Instant now) {
        if (state == KnockState.PENDING && expiresAt != null && !now.isBefore(expiresAt)) {
            return KnockState.EXPIRED;
        }
        if (state == KnockState.APPROVED && validUntil != null && !now.isBefore(validUntil)) {
            return KnockState.EXPIRED;
        }
        return state;
    }
}
