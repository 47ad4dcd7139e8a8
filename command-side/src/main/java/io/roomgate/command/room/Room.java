package io.roomgate.command.room;

import io.roomgate.access.RoomName;
import io.roomgate.access.JoinAttempt;
import io.roomgate.access.JoinPolicy;
import io.roomgate.access.Knock;
import io.roomgate.access.KnockState;
import io.roomgate.access.PresentedToken;
import io.roomgate.access.Reason;
import io.roomgate.access.Rejected;
import io.roomgate.access.RoomFacts;
import io.roomgate.access.RoomState;
import io.roomgate.access.Verdict;
import io.roomgate.events.Admission;
import io.roomgate.events.BanLifted;
import io.roomgate.events.DeletionCause;
import io.roomgate.events.EjectionCause;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockDenied;
import io.roomgate.events.KnockExpired;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.KnockWithdrawn;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.Privacy;
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomgateEvent;
import io.roomgate.events.RoomPropertiesChanged;
import io.roomgate.events.UserBanned;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.axonframework.serialization.Revision;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A room: its rules, who is in it, who knocks and who is banned. Command handlers decide and
 * apply events; event sourcing handlers only change state. Once deleted, a room refuses every
 * command: a new room of the same name is a new aggregate, and the history keeps both.
 * <p>
 * A long-lived room is loaded from a snapshot: these fields, as JSON. The revision names their
 * shape; change a field and bump it, and snapshots of the old shape are no longer read (the room
 * is loaded from its events and snapshotted anew). {@code RoomSnapshotShapeTest} insists.
 */
@Revision("2")
public class Room {

    static final String ROOM_EXPIRY = "room-expiry";
    static final String PARTICIPANT_EJECTION = "participant-ejection";
    static final String KNOCK_EXPIRY = "knock-expiry";

    @AggregateIdentifier
    private String roomId;
    /** The room's facts (rules, presence, bans, knocks): the one fold of its events the join check's time travel uses too. */
    private final RoomFacts facts = new RoomFacts();
    /**
     * Decided knocks (denied, expired, withdrawn, used, or approved and past their window) a room
     * keeps so that deciding one again is a 409 "already decided" rather than a 404: those of the
     * last day, at most this many (issue 16: a room kept every knock ever filed, 430 KB snapshots
     * for flooded rooms). Pending and valid approved knocks are always kept.
     */
    static final int MAX_DECIDED_KNOCKS = 1_000;
    static final java.time.Duration KEEP_DECIDED_KNOCKS = java.time.Duration.ofDays(1);

    protected Room() {
        // for Axon
    }

    @CommandHandler
    public Room(CreateRoom command, Clock clock, DeadlineManager deadlines) {
        new RoomName(command.name());
        RoomRulesCheck.requireValid(command.properties(), clock.instant());
        Privacy privacy = command.privacy() != null ? command.privacy() : Privacy.PUBLIC;
        apply(new RoomCreated(command.roomId(), command.name(), privacy, command.properties()));
        // state is applied only after the constructor returns: schedule from the command
        scheduleExpiry(command.properties().exp(), deadlines);
    }

    @CommandHandler
    public void handle(UpdateRoom command, Clock clock, DeadlineManager deadlines) {
        requireLive();
        if (command.properties() != null) {
            RoomRulesCheck.requireValid(command.properties(), clock.instant());
        }
        if (command.privacy() != null && command.privacy() != facts.privacy()) {
            // people present stay: changing privacy only changes who may join next
            apply(new PrivacyChanged(roomId, facts.name(), command.privacy()));
        }
        if (command.properties() != null && !command.properties().equals(facts.properties())) {
            Long oldExp = facts.properties().exp();
            apply(new RoomPropertiesChanged(roomId, facts.name(), command.properties()));
            if (!Objects.equals(oldExp, facts.properties().exp())) {
                deadlines.cancelAllWithinScope(ROOM_EXPIRY);
                scheduleExpiry(facts.properties().exp(), deadlines);
            }
        }
    }

    @CommandHandler
    public void handle(DeleteRoom command, DeadlineManager deadlines) {
        requireLive();
        delete(command.cause(), EjectionCause.ROOM_DELETED, deadlines);
    }

    @CommandHandler
    public void handle(RequestKnock command, Clock clock, KnockTimeouts timeouts, DeadlineManager deadlines) {
        requireLive();
        if (facts.privacy() == Privacy.PUBLIC) {
            throw Rejected.invalid("room " + facts.name() + " is public: join without knocking");
        }
        if (!facts.properties().enableKnocking()) {
            throw Rejected.invalid("room " + facts.name() + " does not take knocks (enable_knocking is false)");
        }
        if (userNameInvalid(command.userName())) {
            throw Rejected.invalid("user_name must be 1-200 characters");
        }
        if (command.userId() != null && facts.isBanned(command.userId())) {
            throw Rejected.forbidden("user " + command.userId() + " is banned from room " + facts.name());
        }
        Instant expiresAt = clock.instant().plus(timeouts.pending());
        apply(new KnockRequested(roomId, facts.name(), command.knockId(), command.userName(), expiresAt, command.userId()));
        deadlines.schedule(expiresAt, KNOCK_EXPIRY, command.knockId());
    }

    @CommandHandler
    public void handle(ApproveKnock command, Clock clock, KnockTimeouts timeouts) {
        requireLive();
        requirePresentOwner(command.byParticipantId());
        requirePending(command.knockId(), clock.instant());
        apply(new KnockApproved(roomId, facts.name(), command.knockId(), command.byParticipantId(),
                clock.instant().plus(timeouts.approvalWindow())));
    }

    @CommandHandler
    public void handle(DenyKnock command, Clock clock) {
        requireLive();
        requirePresentOwner(command.byParticipantId());
        requirePending(command.knockId(), clock.instant());
        apply(new KnockDenied(roomId, facts.name(), command.knockId(), command.byParticipantId()));
    }

    @CommandHandler
    public void handle(WithdrawKnock command, Clock clock) {
        requireLive();
        Knock knock = knockOrNotFound(command.knockId());
        KnockState state = knock.stateAt(clock.instant());
        if (state == KnockState.WITHDRAWN) {
            return;
        }
        if (state != KnockState.PENDING && state != KnockState.APPROVED) {
            throw Rejected.conflict("knock " + command.knockId() + " is " + state.name().toLowerCase() + " and cannot be withdrawn");
        }
        apply(new KnockWithdrawn(roomId, facts.name(), command.knockId()));
    }

    /**
     * The authoritative join: the same decision as the join check, on this aggregate's own state;
     * then the older sessions of the same user go (with {@code enforce_unique_user_ids}) and the
     * participant is in, with the ejection that applies to them scheduled.
     */
    @CommandHandler
    public Verdict handle(JoinRoom command, Clock clock, DeadlineManager deadlines) {
        requireLive();
        requireParticipantId(command.participantId());
        Instant now = clock.instant();
        Verdict verdict = decideOrRefuse(command, now);
        if (verdict.reason() != Reason.ALREADY_PRESENT) {
            ejectOlderSessionsOf(command.attempt().effectiveUserId());
            admit(command, verdict, now, deadlines);
        }
        return verdict;
    }

    private static void requireParticipantId(String participantId) {
        if (participantId == null || participantId.isBlank() || participantId.length() > 128) {
            throw Rejected.invalid("participant_id must be 1-128 characters");
        }
    }

    /** {@link JoinPolicy} on this room's facts; a refusal is a 409 when the room is full, else a 403. */
    private Verdict decideOrRefuse(JoinRoom command, Instant now) {
        Verdict verdict = JoinPolicy.decide(command.attempt(), stateFor(command), now);
        if (!verdict.allowed()) {
            String info = "join refused: " + verdict.reason().wireName();
            throw verdict.reason() == Reason.ROOM_FULL ? Rejected.conflict(info) : Rejected.forbidden(info);
        }
        return verdict;
    }

    /** The guard against shared tokens: with {@code enforce_unique_user_ids}, the newer session of a user wins. */
    private void ejectOlderSessionsOf(String userId) {
        if (!facts.properties().enforceUniqueUserIds() || userId == null) {
            return;
        }
        facts.present().entrySet().stream()
                .filter(e -> userId.equals(e.getValue().userId()))
                .map(Map.Entry::getKey)
                .toList()
                .forEach(older -> apply(new ParticipantEjected(roomId, facts.name(), older, userId, EjectionCause.DUPLICATE_USER_ID)));
    }

    /** The participant is in: how they were admitted, whether they may let knockers in, when they are ejected. */
    private void admit(JoinRoom command, Verdict verdict, Instant now, DeadlineManager deadlines) {
        JoinAttempt attempt = command.attempt();
        MeetingTokenClaims claims = attempt.token() instanceof PresentedToken.Verified v ? v.claims() : null;
        ScheduledEjection ejection = ejectionFor(command.participantId(), claims, now);
        Instant willEjectAt = ejection == null ? null : ejection.at();
        String userName = command.userName() != null ? command.userName() : claims != null ? claims.userName() : null;
        apply(new ParticipantJoined(roomId, facts.name(), command.participantId(), userName, attempt.effectiveUserId(),
                admission(verdict.reason(), attempt), verdict.owner(),
                claims != null && verdict.reason() == Reason.VALID_TOKEN && claims.mayAdmitKnockers(),
                willEjectAt));
        if (ejection != null) {
            deadlines.schedule(willEjectAt, PARTICIPANT_EJECTION, ejection);
        }
    }

    @CommandHandler
    public void handle(LeaveRoom command) {
        requireLive();
        if (!facts.present().containsKey(command.participantId())) {
            throw Rejected.notFound("participant " + command.participantId() + " is not in room " + facts.name());
        }
        apply(new ParticipantLeft(roomId, facts.name(), command.participantId()));
    }

    /** Ejects the matching participants and returns their ids, in Daily's {@code ejectedIds}. */
    @CommandHandler
    public List<String> handle(EjectParticipants command) {
        requireLive();
        Set<String> userIds = new LinkedHashSet<>(command.userIds() == null ? List.of() : command.userIds());
        Set<String> ids = new LinkedHashSet<>(command.participantIds() == null ? List.of() : command.participantIds());
        List<String> ejected = new ArrayList<>();
        Set<String> toBan = new LinkedHashSet<>(userIds);
        new ArrayList<>(facts.present().entrySet()).forEach(e -> {
            if (ids.contains(e.getKey()) || (e.getValue().userId() != null && userIds.contains(e.getValue().userId()))) {
                ejected.add(e.getKey());
                if (e.getValue().userId() != null) {
                    toBan.add(e.getValue().userId());
                }
                apply(new ParticipantEjected(roomId, facts.name(), e.getKey(), e.getValue().userId(), EjectionCause.ADMIN));
            }
        });
        if (command.ban()) {
            toBan.stream().filter(u -> !facts.isBanned(u)).forEach(u -> apply(new UserBanned(roomId, facts.name(), u)));
        }
        return ejected;
    }

    @CommandHandler
    public void handle(LiftBan command) {
        requireLive();
        if (!facts.isBanned(command.userId())) {
            throw Rejected.notFound("user " + command.userId() + " is not banned from room " + facts.name());
        }
        apply(new BanLifted(roomId, facts.name(), command.userId()));
    }

    @DeadlineHandler(deadlineName = ROOM_EXPIRY)
    public void onRoomExpiry(DeadlineMessage<?> due, Clock clock, DeadlineManager deadlines) {
        // the first parameter is the payload to Axon: a payload-less deadline needs DeadlineMessage there
        if (facts.deleted() || !expiredAt(clock)) {
            return; // exp moved later or the room is gone: this deadline no longer applies
        }
        expire(deadlines);
    }

    /** What the expiry deadline does, done now because a new room wants the expired one's name. */
    @CommandHandler
    public void handle(ExpireRoom command, Clock clock, DeadlineManager deadlines) {
        if (facts.deleted()) {
            return;
        }
        if (!expiredAt(clock)) {
            throw Rejected.invalid("a room named " + facts.name() + " already exists");
        }
        expire(deadlines);
    }

    private boolean expiredAt(Clock clock) {
        return facts.properties().exp() != null && clock.instant().getEpochSecond() >= facts.properties().exp();
    }

    private void expire(DeadlineManager deadlines) {
        EjectionCause cause = facts.properties().ejectAtRoomExp() ? EjectionCause.ROOM_EXPIRED : EjectionCause.ROOM_DELETED;
        delete(DeletionCause.EXPIRY, cause, deadlines);
    }

    @DeadlineHandler(deadlineName = PARTICIPANT_EJECTION)
    public void onParticipantEjection(ScheduledEjection due) {
        RoomFacts.Presence presence = facts.presence(due.participantId()).orElse(null);
        if (facts.deleted() || presence == null || !due.at().equals(presence.willEjectAt())) {
            return; // they left, or this is another session under the same id
        }
        apply(new ParticipantEjected(roomId, facts.name(), due.participantId(), presence.userId(), due.cause()));
    }

    @DeadlineHandler(deadlineName = KNOCK_EXPIRY)
    public void onKnockExpiry(String knockId) {
        Knock knock = facts.knock(knockId).orElse(null);
        if (!facts.deleted() && knock != null && knock.state() == KnockState.PENDING) {
            apply(new KnockExpired(roomId, facts.name(), knockId));
        }
    }

    // ---- decisions' helpers

    private void delete(DeletionCause cause, EjectionCause ejection, DeadlineManager deadlines) {
        new ArrayList<>(facts.present().entrySet()).forEach(e ->
                apply(new ParticipantEjected(roomId, facts.name(), e.getKey(), e.getValue().userId(), ejection)));
        apply(new RoomDeleted(roomId, facts.name(), cause));
        deadlines.cancelAllWithinScope(ROOM_EXPIRY);
        deadlines.cancelAllWithinScope(PARTICIPANT_EJECTION);
        deadlines.cancelAllWithinScope(KNOCK_EXPIRY);
    }

    private static void scheduleExpiry(Long exp, DeadlineManager deadlines) {
        if (exp != null) {
            deadlines.schedule(Instant.ofEpochSecond(exp), ROOM_EXPIRY);
        }
    }

    /** The earliest limit that applies to this participant, fixed now (access rules §1: will_eject_at). */
    private ScheduledEjection ejectionFor(String participantId, MeetingTokenClaims claims, Instant now) {
        List<ScheduledEjection> candidates = new ArrayList<>();
        if (facts.properties().ejectAtRoomExp() && facts.properties().exp() != null) {
            candidates.add(new ScheduledEjection(participantId, Instant.ofEpochSecond(facts.properties().exp()), EjectionCause.ROOM_EXPIRED));
        }
        if (claims != null && claims.ejectAtTokenExp() && claims.exp() != null) {
            candidates.add(new ScheduledEjection(participantId, Instant.ofEpochSecond(claims.exp()), EjectionCause.TOKEN_EXPIRED));
        }
        // the token's eject_after_elapsed overrides the room's, as in Daily
        Long elapsed = claims != null && claims.ejectAfterElapsed() != null ? claims.ejectAfterElapsed() : facts.properties().ejectAfterElapsed();
        if (elapsed != null) {
            candidates.add(new ScheduledEjection(participantId, now.plusSeconds(elapsed), EjectionCause.ELAPSED));
        }
        return candidates.stream().min(java.util.Comparator.comparing(ScheduledEjection::at)).orElse(null);
    }

    private static Admission admission(Reason reason, JoinAttempt attempt) {
        return switch (reason) {
            case VALID_TOKEN -> Admission.token(((PresentedToken.Verified) attempt.token()).tokenId());
            case MEMBER -> Admission.member(attempt.memberId());
            case KNOCK_APPROVED -> Admission.knock(attempt.knockId());
            default -> Admission.publicRoom();
        };
    }

    private RoomState stateFor(JoinRoom command) {
        return facts.asState(tokenId -> command.tokenRevoked(), memberId -> command.memberActive());
    }

    private void requireLive() {
        if (facts.deleted()) {
            throw Rejected.notFound("room " + facts.name() + " has been deleted");
        }
    }

    /** access rules §1: only an owner who is in the room right now may decide a knock. */
    private void requirePresentOwner(String participantId) {
        RoomFacts.Presence by = participantId == null ? null : facts.presence(participantId).orElse(null);
        if (by == null) {
            throw Rejected.forbidden("only an owner who is in the room can decide a knock");
        }
        if (!by.mayAdmitKnockers()) {
            throw Rejected.forbidden("participant " + participantId + " is not an owner of room " + facts.name());
        }
    }

    private void requirePending(String knockId, Instant now) {
        KnockState state = knockOrNotFound(knockId).stateAt(now);
        if (state != KnockState.PENDING) {
            throw Rejected.conflict("knock " + knockId + " is already " + state.name().toLowerCase());
        }
    }

    private Knock knockOrNotFound(String knockId) {
        Knock knock = facts.knock(knockId).orElse(null);
        if (knock == null) {
            throw Rejected.notFound("no knock " + knockId + " in room " + facts.name());
        }
        return knock;
    }

    private static boolean userNameInvalid(String userName) {
        return userName == null || userName.isBlank() || userName.length() > 200;
    }

    // ---- state changes: the room's facts, folded by RoomFacts

    @EventSourcingHandler
    void on(RoomgateEvent event, @org.axonframework.eventhandling.Timestamp Instant at) {
        if (event instanceof RoomCreated created) {
            roomId = created.roomId();
        }
        facts.apply(event);
        if (event instanceof KnockRequested && facts.knockCount() > MAX_DECIDED_KNOCKS / 4) {
            // forgotten as a knock is filed (what makes the map grow), from the events alone
            facts.forgetDecidedKnocks(at, KEEP_DECIDED_KNOCKS, MAX_DECIDED_KNOCKS);
        }
        if (event instanceof RoomDeleted) {
            AggregateLifecycle.markDeleted();
        }
    }
}
