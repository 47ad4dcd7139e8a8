package io.roomgate.query.check;

import io.roomgate.access.JoinAttempt;
import io.roomgate.access.JoinPolicy;
import io.roomgate.access.PresentedToken;
import io.roomgate.access.Verdict;
import io.roomgate.query.view.JoinView;
import io.roomgate.token.MeetingTokens;

import java.time.Clock;
import java.time.Instant;

/**
 * "May this person join this room, now?": verifies the token, then applies the shared join
 * decision to the join-eligibility view. Reads only.
 */
public class JoinCheckService {

    private final MeetingTokens tokens;
    private final JoinView view;
    private final Clock clock;

    public JoinCheckService(MeetingTokens tokens, JoinView view, Clock clock) {
        this.tokens = tokens;
        this.view = view;
        this.clock = clock;
    }

    public Verdict check(JoinCheck check) {
        PresentedToken presented = tokens.verify(check.token());
        JoinAttempt attempt = check.attempt(presented);
        Instant now = clock.instant();
        String tokenId = presented instanceof PresentedToken.Verified verified ? verified.tokenId() : null;
        JoinView.CheckedState state = view.stateOf(check.roomName(), tokenId, attempt.effectiveUserId(),
                check.memberId());
        if (state.quarantined()) {
            throw io.roomgate.query.view.Quarantine.refusal(); // fail closed: never decide on a half-applied stream
        }
        return JoinPolicy.decide(attempt, state, now);
    }

    public Instant now() {
        return clock.instant();
    }
}
