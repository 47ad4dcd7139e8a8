package io.roomgate.command.web;

import io.roomgate.access.UserId;
import io.roomgate.access.JoinAttempt;
import io.roomgate.access.PresentedToken;
import io.roomgate.access.Verdict;
import io.roomgate.command.lookup.CommandLookups;
import io.roomgate.command.lookup.CommandLookups.LiveRoom;
import io.roomgate.command.room.ApproveKnock;
import io.roomgate.command.room.DenyKnock;
import io.roomgate.command.room.JoinRoom;
import io.roomgate.command.room.LeaveRoom;
import io.roomgate.command.room.RequestKnock;
import io.roomgate.command.room.WithdrawKnock;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.Text;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import io.roomgate.token.MeetingTokens;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * What the join server reports: joins (re-checked here, authoritatively), leaves, knocks and
 * an owner's decision on them.
 */
@RestController
@RequiresScope(Scope.JOIN)
public class PresenceCommandController {

    private final CommandSender commands;
    private final CommandLookups lookups;
    private final MeetingTokens tokens;

    public PresenceCommandController(CommandSender commands, CommandLookups lookups, MeetingTokens tokens) {
        this.commands = commands;
        this.lookups = lookups;
        this.tokens = tokens;
    }

    @PostMapping("/v1/rooms/{name}/participants")
    public Responses.JoinReport join(@PathVariable String name, @RequestBody Requests.Join body, HttpServletResponse response) {
        // verified before the room is read (no database), so that whether its token is revoked is read with the room
        PresentedToken token = tokens.verify(body.token());
        CommandLookups.RoomForCommand target = lookups.requireLiveForCommand(name,
                token instanceof PresentedToken.Verified v ? v.tokenId() : null);
        LiveRoom room = target.room();
        if (body.participantId() == null) {
            throw ApiException.invalidRequest("participant_id is required");
        }
        Text.requireSafe("participant_id", body.participantId(), true);
        Text.requireSafe("user_name", body.userName(), false);
        Text.requireSafe("member_id", body.memberId(), true);
        Text.requireSafe("knock_id", body.knockId(), true);
        requireUserId(body.userId());
        if (body.userName() != null && (body.userName().isBlank() || body.userName().length() > 200)) {
            throw ApiException.invalidRequest("user_name must be 1-200 characters");
        }
        boolean revoked = target.tokenRevoked();
        boolean member = body.memberId() != null && lookups.isActiveMember(body.memberId());
        JoinAttempt attempt = new JoinAttempt(token, body.userId(), body.memberId(), body.participantId(), body.knockId());
        Verdict verdict = commands.send(new JoinRoom(room.roomId(), body.participantId(), body.userName(), attempt, revoked, member),
                response, target.head());
        return new Responses.JoinReport(body.participantId(), name, verdict.decision().wireName(), verdict.reason().wireName(),
                verdict.owner());
    }

    /** The view keeps user ids in 128 characters (and names in 200): longer ones are refused before any event. */
    private static void requireUserId(String userId) {
        if (userId != null) {
            UserId.of("user_id", userId);
        }
        Text.requireSafe("user_id", userId, true);
    }

    @DeleteMapping("/v1/rooms/{name}/participants/{participantId}")
    public Responses.LeaveReport leave(@PathVariable String name, @PathVariable String participantId, HttpServletResponse response) {
        CommandLookups.RoomForCommand target = lookups.requireLiveForCommand(name, null);
        Text.requireSafe("participant_id", participantId, true);
        commands.send(new LeaveRoom(target.room().roomId(), participantId), response, target.head());
        return new Responses.LeaveReport(participantId, true);
    }

    @PostMapping("/v1/rooms/{name}/knocks")
    public Responses.KnockFiled knock(@PathVariable String name, @RequestBody Requests.Knock body, HttpServletResponse response) {
        LiveRoom room = lookups.requireLive(name);
        requireUserId(body.userId());
        Text.requireSafe("user_name", body.userName(), false);
        if (body.userName() != null && (body.userName().isBlank() || body.userName().length() > 200)) {
            throw ApiException.invalidRequest("user_name must be 1-200 characters");
        }
        String knockId = UUID.randomUUID().toString();
        commands.send(new RequestKnock(room.roomId(), knockId, body.userName(), body.userId()), response);
        return new Responses.KnockFiled(knockId, "pending", name);
    }

    @PostMapping("/v1/knocks/{knockId}/approve")
    public Responses.KnockDecided approve(@PathVariable String knockId, @RequestBody Requests.DecideKnock body, HttpServletResponse response) {
        Text.requireSafe("by_participant_id", body.byParticipantId(), true);
        String roomId = roomOfKnock(knockId);
        commands.send(new ApproveKnock(roomId, knockId, body.byParticipantId()), response);
        return new Responses.KnockDecided(knockId, "approved");
    }

    @PostMapping("/v1/knocks/{knockId}/deny")
    public Responses.KnockDecided deny(@PathVariable String knockId, @RequestBody Requests.DecideKnock body, HttpServletResponse response) {
        Text.requireSafe("by_participant_id", body.byParticipantId(), true);
        String roomId = roomOfKnock(knockId);
        commands.send(new DenyKnock(roomId, knockId, body.byParticipantId()), response);
        return new Responses.KnockDecided(knockId, "denied");
    }

    @PostMapping("/v1/knocks/{knockId}/withdraw")
    public Responses.KnockDecided withdraw(@PathVariable String knockId, HttpServletResponse response) {
        String roomId = roomOfKnock(knockId);
        commands.send(new WithdrawKnock(roomId, knockId), response);
        return new Responses.KnockDecided(knockId, "withdrawn");
    }

    private String roomOfKnock(String knockId) {
        return lookups.roomOfKnock(knockId).orElseThrow(() -> ApiException.notFound("knock not found"));
    }

}
