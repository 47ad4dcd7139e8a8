package io.roomgate.query.web;

import io.roomgate.access.PresentedToken;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.DailyTokens;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import io.roomgate.query.view.JoinView;
import io.roomgate.query.view.Quarantine;
import io.roomgate.query.view.ReadConsistency;
import io.roomgate.query.view.ViewPositions;
import io.roomgate.token.MeetingTokens;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;

/**
 * Daily's token validation: the decoded properties in long names, or a 400 for a token that
 * would not admit anyone (bad signature, expired, not yet valid, revoked).
 */
@RestController
@RequiresScope(Scope.ADMIN)
public class TokenQueryController {

    private final MeetingTokens tokens;
    private final JoinView view;
    private final Quarantine quarantine;
    private final ViewPositions positions;
    private final Clock clock;

    public TokenQueryController(MeetingTokens tokens, JoinView view, Quarantine quarantine, ViewPositions positions,
                                Clock clock) {
        this.tokens = tokens;
        this.view = view;
        this.quarantine = quarantine;
        this.positions = positions;
        this.clock = clock;
    }

    @GetMapping("/v1/meeting-tokens/{token}")
    public DailyTokens.TokenProperties validate(@PathVariable String token,
                              @org.springframework.web.bind.annotation.RequestParam(name = "ignoreNbf", required = false) Boolean ignoreNbf,
                              ReadConsistency consistency) {
        positions.await(consistency);
        if (!(tokens.verify(token) instanceof PresentedToken.Verified verified)) {
            throw ApiException.invalidRequest("token is not a valid meeting token of this domain");
        }
        long now = clock.instant().getEpochSecond();
        if (verified.claims().exp() != null && now >= verified.claims().exp()) {
            throw ApiException.invalidRequest("token has expired");
        }
        if (verified.claims().nbf() != null && now < verified.claims().nbf() && !Boolean.TRUE.equals(ignoreNbf)) {
            throw ApiException.invalidRequest("token is not valid yet");
        }
        quarantine.requireNone(verified.claims().roomName(),
                io.roomgate.events.StreamIds.meetingToken(verified.tokenId()));
        if (view.isRevoked(verified.tokenId())) {
            throw ApiException.invalidRequest("token has been revoked");
        }
        return DailyTokens.properties(verified.claims());
    }
}
