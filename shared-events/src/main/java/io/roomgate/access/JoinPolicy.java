package io.roomgate.access;

import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.Privacy;

import java.time.Instant;
import java.util.Optional;

/**
 * The join decision ({@code docs/access-rules.md} §2): one rule per step, in the order of the decision table, the
 * first that applies decides. Pure: no I/O, time is passed in. Both the query side's join
 * check and the command side's authoritative join call this, so they cannot disagree.
 */
public final class JoinPolicy {

    private JoinPolicy() {
    }

    public static Verdict decide(JoinAttempt attempt, RoomState state, Instant now) {
        Optional<RoomRules> live = state.room();
        if (live.isEmpty()) {
            return Verdict.deny(Reason.ROOM_NOT_FOUND);                               // 1
        }
        RoomRules room = live.get();
        long nowSeconds = now.getEpochSecond();
        if (room.exp() != null && nowSeconds >= room.exp()) {
            return Verdict.deny(Reason.ROOM_EXPIRED);                                 // 2
        }
        if (room.nbf() != null && nowSeconds < room.nbf()) {
            return Verdict.deny(Reason.ROOM_NOT_YET_OPEN);                            // 3
        }
        if (attempt.participantId() != null && state.isPresent(attempt.participantId())) {
            return Verdict.allow(Reason.ALREADY_PRESENT);                             // 4
        }
        if (attempt.token() instanceof PresentedToken.Invalid) {
            return Verdict.deny(Reason.TOKEN_INVALID);                                // 5
        }
        PresentedToken.Verified token = attempt.token() instanceof PresentedToken.Verified v ? v : null;
        if (token != null) {
            MeetingTokenClaims claims = token.claims();
            Verdict outsideItsWindow = tokenOutsideItsWindow(claims, nowSeconds);
            if (outsideItsWindow != null) {
                return outsideItsWindow;                                              // 6
            }
            if (!claims.grantsAllRooms() && !claims.roomName().equals(room.name())) {
                return Verdict.deny(Reason.TOKEN_WRONG_ROOM);                         // 7
            }
            if (state.isRevoked(token.tokenId())) {
                return Verdict.deny(Reason.TOKEN_REVOKED);                            // 8
            }
        }
        String userId = attempt.effectiveUserId();
        if (userId != null && state.isBanned(userId)) {
            return Verdict.deny(Reason.BANNED);                                       // 9
        }
        if (room.maxParticipants() != null && state.presentCount() >= room.maxParticipants()) {
            return Verdict.deny(Reason.ROOM_FULL);                                    // 10
        }
        // knocking is a private room's door: in a public room a knocking token is just a valid token
        boolean tokenMustKnock = token != null && token.claims().knocking()
                && room.enableKnocking() && room.privacy() == Privacy.PRIVATE;
        if (!tokenMustKnock) {
            Verdict withoutKnocking = admittedWithoutKnocking(attempt, token, room, state);
            if (withoutKnocking != null) {
                return withoutKnocking;                                               // 11-13
            }
        }
        Optional<Knock> knock = attempt.knockId() == null ? Optional.empty()
                : state.knock(attempt.knockId()).filter(k -> k.roomId().equals(room.roomId()));
        if (knock.isPresent()) {
            return theKnockDecides(knock.get(), now);                                 // 14-15
        }
        if (room.enableKnocking()) {
            return new Verdict(Decision.KNOCK, Reason.KNOCK_REQUIRED, false);         // 16
        }
        return Verdict.deny(Reason.PRIVATE_ROOM);                                     // 17
    }

    /** Row 6: a token before its {@code nbf} or from its {@code exp} on admits nobody. */
    private static Verdict tokenOutsideItsWindow(MeetingTokenClaims claims, long nowSeconds) {
        if (claims.exp() != null && nowSeconds >= claims.exp()) {
            return Verdict.deny(Reason.TOKEN_EXPIRED);
        }
        if (claims.nbf() != null && nowSeconds < claims.nbf()) {
            return Verdict.deny(Reason.TOKEN_NOT_YET_VALID);
        }
        return null;
    }

    /**
     * Rows 11-13, for someone who need not knock: a valid token for the room (its owner flag
     * decides ownership), a public room, an active member; null when none of them applies.
     */
    private static Verdict admittedWithoutKnocking(JoinAttempt attempt, PresentedToken.Verified token, RoomRules room,
                                                   RoomState state) {
        if (token != null) {
            return Verdict.allowOwner(token.claims().owner());                        // 11
        }
        if (room.privacy() == Privacy.PUBLIC) {
            return Verdict.allow(Reason.PUBLIC_ROOM);                                 // 12
        }
        if (attempt.memberId() != null && state.isActiveMember(attempt.memberId())) {
            return Verdict.allow(Reason.MEMBER);                                      // 13
        }
        return null;
    }

    /** Rows 14-15: the person's own knock on this room, as it stands now. */
    private static Verdict theKnockDecides(Knock knock, Instant now) {
        return switch (knock.stateAt(now)) {
            case APPROVED -> Verdict.allow(Reason.KNOCK_APPROVED);                    // 14
            case PENDING -> new Verdict(Decision.WAIT, Reason.KNOCK_PENDING, false);  // 15
            case DENIED -> Verdict.deny(Reason.KNOCK_DENIED);                         // 15
            case EXPIRED -> Verdict.deny(Reason.KNOCK_EXPIRED);                       // 15
            case WITHDRAWN -> Verdict.deny(Reason.KNOCK_WITHDRAWN);
            case USED -> Verdict.deny(Reason.KNOCK_USED);
        };
    }
}
