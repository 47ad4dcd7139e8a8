package io.roomgate.command.web;

import io.roomgate.access.TokenId;
import io.roomgate.access.PresentedToken;
import io.roomgate.command.token.IssueToken;
import io.roomgate.command.token.RevokeToken;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.DailyTokens;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import io.roomgate.token.MeetingTokens;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.UUID;

/**
 * Issues and revokes meeting tokens. The event records the claims and the {@code jti}; the
 * signed token goes back to the issuer once and is kept nowhere.
 */
@RestController
@RequiresScope(Scope.ADMIN)
public class TokenCommandController {

    private final CommandSender commands;
    private final MeetingTokens tokens;
    private final Clock clock;

    public TokenCommandController(CommandSender commands, MeetingTokens tokens, Clock clock) {
        this.commands = commands;
        this.tokens = tokens;
        this.clock = clock;
    }

    @PostMapping("/v1/meeting-tokens")
    public Responses.IssuedToken issue(@RequestBody Requests.CreateToken body, HttpServletResponse response) {
        MeetingTokenClaims claims = DailyTokens.claims(body.properties());
        String jti = UUID.randomUUID().toString();
        commands.send(new IssueToken(jti, tokens.signingKeyId(), claims, Boolean.TRUE.equals(body.allowAllRooms())), response);
        return new Responses.IssuedToken(tokens.issue(claims, jti, clock.instant()));
    }

    @PostMapping("/v1/meeting-tokens/revoke")
    public Responses.TokenRevoked revoke(@RequestBody Requests.RevokeToken body, HttpServletResponse response) {
        String tokenId;
        if (body.jti() != null && body.token() == null) {
            tokenId = new TokenId(body.jti()).value();
        } else if (body.token() != null && body.jti() == null) {
            if (!(tokens.verify(body.token()) instanceof PresentedToken.Verified verified)) {
                throw ApiException.invalidRequest("token is not a valid meeting token of this domain");
            }
            tokenId = verified.tokenId();
            if (!TokenId.isValid(tokenId)) {
                // the store keeps token ids of at most 128 printable ASCII characters
                throw ApiException.invalidRequest("this token's jti is not 1-128 printable ASCII characters, so it cannot be revoked");
            }
        } else {
            throw ApiException.invalidRequest("give exactly one of jti or token");
        }
        commands.send(new RevokeToken(tokenId), response);
        return new Responses.TokenRevoked(true, tokenId);
    }
}
