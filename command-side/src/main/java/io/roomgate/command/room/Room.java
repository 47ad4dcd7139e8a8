package io.roomgate.command.room;

import io.roomgate.access.JoinAttempt;
import io.roomgate.access.JoinPolicy;
import io.roomgate.access.Knock;
import io.roomgate.access.KnockState;
import io.roomgate.access.PresentedToken;
import io.roomgate.access.Reason;
import io.roomgate.access.Rejected;
import io.roomgate.access.RoomRules;
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
import io.roomgate.events.RoomProperties;
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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
@Revision("1")
public class Room {

    static final String ROOM_EXPIRY = "room-expiry";
    static final String PARTICIPANT_EJECTION = "participant-ejection";
    static final String KNOCK_EXPIRY = "knock-expiry";

    @AggregateIdentifier
    private String roomId;
    private String name;
    private Privacy privacy;
    private RoomProperties properties;
    private boolean deleted;
    private final Map<String, Presence> present = new LinkedHashMap<>();
    private final Set<String> banned = new LinkedHashSet<>();
    /** Knocks in the order they were filed; decided ones are forgotten in time ({@link #forgetOldDecidedKnocks}). */
    private final Map<String, Knock> knocks = new LinkedHashMap<>();
    /**
     * Decided knocks (denied, expired, withdrawn, used, or approved and past their window) a room
     * keeps so that deciding one again is a 409 "already decided" rather than a 404: those of the
     * last day, at most this many (issue 16: a room kept every knock ever filed, 430 KB snapshots
     * for flooded rooms). Pending and valid approved knocks are always kept.
     */
    static final int MAX_DECIDED_KNOCKS = 1_000;
    static final java.time.Duration KEEP_DECIDED_KNOCKS = java.time.Duration.ofDays(1);

    /** Someone in the room: their user id, whether they may let knockers in, when they are ejected. */
    private record Presence(String userId, boolean mayAdmitKnockers, Instant willEjectAt) {
    }

    protected Room() {
        // for Axon
    }

    @CommandHandler
    public Room(CreateRoom command, Clock clock, DeadlineManager deadlines) {
        RoomNames.requireValid(command.name());
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
        if (command.privacy() != null && command.privacy() != privacy) {
            // people present stay: changing privacy only changes who may join next
            apply(new PrivacyChanged(roomId, name, command.privacy()));
        }
        if (command.properties() != null && !command.properties().equals(properties)) {
            Long oldExp = properties.exp();
            apply(new RoomPropertiesChanged(roomId, name, command.properties()));
            if (!Objects.equals(oldExp, properties.exp())) {
                deadlines.cancelAllWithinScope(ROOM_EXPIRY);
                scheduleExpiry(properties.exp(), deadlines);
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
        if (privacy == Privacy.PUBLIC) {
            throw Rejected.invalid("room " + name + " is public: join without knocking");
        }
        if (!properties.enableKnocking()) {
            throw Rejected.invalid("room " + name + " does not take knocks (enable_knocking is false)");
        }
        if (userNameInvalid(command.userName())) {
            throw Rejected.invalid("user_name must be 1-200 characters");
        }
        if (command.userId() != null && banned.contains(command.userId())) {
            throw Rejected.forbidden("user " + command.userId() + " is banned from room " + name);
        }
        Instant expiresAt = clock.instant().plus(timeouts.pending());
        apply(new KnockRequested(roomId, name, command.knockId(), command.userName(), expiresAt, command.userId()));
        deadlines.schedule(expiresAt, KNOCK_EXPIRY, command.knockId());
    }

    @CommandHandler
    public void handle(ApproveKnock command, Clock clock, KnockTimeouts timeouts) {
        requireLive();
        requirePresentOwner(command.byParticipantId());
        requirePending(command.knockId(), clock.instant());
        apply(new KnockApproved(roomId, name, command.knockId(), command.byParticipantId(),
                clock.instant().plus(timeouts.approvalWindow())));
    }

    @CommandHandler
    public void handle(DenyKnock command, Clock clock) {
        requireLive();
        requirePresentOwner(command.byParticipantId());
        requirePending(command.knockId(), clock.instant());
        apply(new KnockDenied(roomId, name, command.knockId(), command.byParticipantId()));
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
        apply(new KnockWithdrawn(roomId, name, command.knockId()));
    }

    /** The authoritative join: the same decision as the join check, on this aggregate's own state. */
    @CommandHandler
    public Verdict handle(JoinRoom command, Clock clock, DeadlineManager deadlines) {
        requireLive();
        if (command.participantId() == null || command.participantId().isBlank() || command.participantId().length() > 128) {
            throw Rejected.invalid("participant_id must be 1-128 characters");
        }
        Instant now = clock.instant();
        JoinAttempt attempt = command.attempt();
        Verdict verdict = JoinPolicy.decide(attempt, stateFor(command), now);
        if (!verdict.allowed()) {
            String info = "join refused: " + verdict.reason().wireName();
            throw verdict.reason() == Reason.ROOM_FULL ? Rejected.conflict(info) : Rejected.forbidden(info);
        }
        if (verdict.reason() == Reason.ALREADY_PRESENT) {
            return verdict;
        }
        String userId = attempt.effectiveUserId();
        if (properties.enforceUniqueUserIds() && userId != null) {
            // the guard against shared tokens: the newer session wins
            present.entrySet().stream()
                    .filter(e -> userId.equals(e.getValue().userId()))
                    .map(Map.Entry::getKey)
                    .toList()
                    .forEach(older -> apply(new ParticipantEjected(roomId, name, older, userId, EjectionCause.DUPLICATE_USER_ID)));
        }
        MeetingTokenClaims claims = attempt.token() instanceof PresentedToken.Verified v ? v.claims() : null;
        ScheduledEjection ejection = ejectionFor(command.participantId(), claims, now);
        Instant willEjectAt = ejection == null ? null : ejection.at();
        String userName = command.userName() != null ? command.userName() : claims != null ? claims.userName() : null;
        apply(new ParticipantJoined(roomId, name, command.participantId(), userName, userId,
                admission(verdict.reason(), attempt), verdict.owner(),
                claims != null && verdict.reason() == Reason.VALID_TOKEN && claims.mayAdmitKnockers(),
                willEjectAt));
        if (ejection != null) {
            deadlines.schedule(willEjectAt, PARTICIPANT_EJECTION, ejection);
        }
        return verdict;
    }

    @CommandHandler
    public void handle(LeaveRoom command) {
        requireLive();
        if (!present.containsKey(command.participantId())) {
            throw Rejected.notFound("participant " + command.participantId() + " is not in room " + name);
        }
        apply(new ParticipantLeft(roomId, name, command.participantId()));
    }

    /** Ejects the matching participants and returns their ids, in Daily's {@code ejectedIds}. */
    @CommandHandler
    public List<String> handle(EjectParticipants command) {
        requireLive();
        Set<String> userIds = new LinkedHashSet<>(command.userIds() == null ? List.of() : command.userIds());
        Set<String> ids = new LinkedHashSet<>(command.participantIds() == null ? List.of() : command.participantIds());
        List<String> ejected = new ArrayList<>();
        Set<String> toBan = new LinkedHashSet<>(userIds);
        new ArrayList<>(present.entrySet()).forEach(e -> {
            if (ids.contains(e.getKey()) || (e.getValue().userId() != null && userIds.contains(e.getValue().userId()))) {
                ejected.add(e.getKey());
                if (e.getValue().userId() != null) {
                    toBan.add(e.getValue().userId());
                }
                apply(new ParticipantEjected(roomId, name, e.getKey(), e.getValue().userId(), EjectionCause.ADMIN));
            }
        });
        if (command.ban()) {
            toBan.stream().filter(u -> !banned.contains(u)).forEach(u -> apply(new UserBanned(roomId, name, u)));
        }
        return ejected;
    }

    @CommandHandler
    public void handle(LiftBan command) {
        requireLive();
        if (!banned.contains(command.userId())) {
            throw Rejected.notFound("user " + command.userId() + " is not banned from room " + name);
        }
        apply(new BanLifted(roomId, name, command.userId()));
    }

    @DeadlineHandler(deadlineName = ROOM_EXPIRY)
    public void onRoomExpiry(DeadlineMessage<?> due, Clock clock, DeadlineManager deadlines) {
        // the first parameter is the payload to Axon: a payload-less deadline needs DeadlineMessage there
        if (deleted || !expiredAt(clock)) {
            return; // exp moved later or the room is gone: this deadline no longer applies
        }
        expire(deadlines);
    }

    /** What the expiry deadline does, done now because a new room wants the expired one's name. */
    @CommandHandler
    public void handle(ExpireRoom command, Clock clock, DeadlineManager deadlines) {
        if (deleted) {
            return;
        }
        if (!expiredAt(clock)) {
            throw Rejected.invalid("a room named " + name + " already exists");
        }
        expire(deadlines);
    }

    private boolean expiredAt(Clock clock) {
        return properties.exp() != null && clock.instant().getEpochSecond() >= properties.exp();
    }

    private void expire(DeadlineManager deadlines) {
        EjectionCause cause = properties.ejectAtRoomExp() ? EjectionCause.ROOM_EXPIRED : EjectionCause.ROOM_DELETED;
        delete(DeletionCause.EXPIRY, cause, deadlines);
    }

    @DeadlineHandler(deadlineName = PARTICIPANT_EJECTION)
    public void onParticipantEjection(ScheduledEjection due) {
        Presence presence = present.get(due.participantId());
        if (deleted || presence == null || !due.at().equals(presence.willEjectAt())) {
            return; // they left, or this is another session under the same id
        }
        apply(new ParticipantEjected(roomId, name, due.participantId(), presence.userId(), due.cause()));
    }

    @DeadlineHandler(deadlineName = KNOCK_EXPIRY)
    public void onKnockExpiry(String knockId) {
        Knock knock = knocks.get(knockId);
        if (!deleted && knock != null && knock.state() == KnockState.PENDING) {
            apply(new KnockExpired(roomId, name, knockId));
        }
    }

    // ---- decisions' helpers

    private void delete(DeletionCause cause, EjectionCause ejection, DeadlineManager deadlines) {
        new ArrayList<>(present.entrySet()).forEach(e ->
                apply(new ParticipantEjected(roomId, name, e.getKey(), e.getValue().userId(), ejection)));
        apply(new RoomDeleted(roomId, name, cause));
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
        if (properties.ejectAtRoomExp() && properties.exp() != null) {
            candidates.add(new ScheduledEjection(participantId, Instant.ofEpochSecond(properties.exp()), EjectionCause.ROOM_EXPIRED));
        }
        if (claims != null && claims.ejectAtTokenExp() && claims.exp() != null) {
            candidates.add(new ScheduledEjection(participantId, Instant.ofEpochSecond(claims.exp()), EjectionCause.TOKEN_EXPIRED));
        }
        // the token's eject_after_elapsed overrides the room's, as in Daily
        Long elapsed = claims != null && claims.ejectAfterElapsed() != null ? claims.ejectAfterElapsed() : properties.ejectAfterElapsed();
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
        return new RoomState() {
            @Override
            public Optional<RoomRules> room() {
                return Optional.of(rules());
            }

            @Override
            public boolean isPresent(String participantId) {
                return present.containsKey(participantId);
            }

            @Override
            public int presentCount() {
                return present.size();
            }

            @Override
            public boolean isBanned(String userId) {
                return banned.contains(userId);
            }

            @Override
            public boolean isRevoked(String tokenId) {
                return command.tokenRevoked();
            }

            @Override
            public boolean isActiveMember(String memberId) {
                return command.memberActive();
            }

            @Override
            public Optional<Knock> knock(String knockId) {
                return Optional.ofNullable(knocks.get(knockId));
            }
        };
    }

    private RoomRules rules() {
        return new RoomRules(roomId, name, privacy, properties.nbf(), properties.exp(),
                properties.maxParticipants(), properties.enableKnocking());
    }

    private void requireLive() {
        if (deleted) {
            throw Rejected.notFound("room " + name + " has been deleted");
        }
    }

    /** access rules §1: only an owner who is in the room right now may decide a knock. */
    private void requirePresentOwner(String participantId) {
        Presence by = participantId == null ? null : present.get(participantId);
        if (by == null) {
            throw Rejected.forbidden("only an owner who is in the room can decide a knock");
        }
        if (!by.mayAdmitKnockers()) {
            throw Rejected.forbidden("participant " + participantId + " is not an owner of room " + name);
        }
    }

    private void requirePending(String knockId, Instant now) {
        KnockState state = knockOrNotFound(knockId).stateAt(now);
        if (state != KnockState.PENDING) {
            throw Rejected.conflict("knock " + knockId + " is already " + state.name().toLowerCase());
        }
    }

    private Knock knockOrNotFound(String knockId) {
        Knock knock = knocks.get(knockId);
        if (knock == null) {
            throw Rejected.notFound("no knock " + knockId + " in room " + name);
        }
        return knock;
    }

    private static boolean userNameInvalid(String userName) {
        return userName == null || userName.isBlank() || userName.length() > 200;
    }

    // ---- state changes

    @EventSourcingHandler
    void on(RoomCreated event) {
        roomId = event.roomId();
        name = event.name();
        privacy = event.privacy();
        properties = event.properties();
    }

    @EventSourcingHandler
    void on(PrivacyChanged event) {
        privacy = event.privacy();
    }

    @EventSourcingHandler
    void on(RoomPropertiesChanged event) {
        properties = event.properties();
    }

    @EventSourcingHandler
    void on(RoomDeleted event) {
        deleted = true;
        present.clear();
        knocks.clear();
        AggregateLifecycle.markDeleted();
    }

    @EventSourcingHandler
    void on(KnockRequested event, @org.axonframework.eventhandling.Timestamp Instant at) {
        knocks.put(event.knockId(), new Knock(event.knockId(), roomId, KnockState.PENDING, event.expiresAt(), null));
        forgetOldDecidedKnocks(at);
    }

    /**
     * Forgets decided knocks older than {@link #KEEP_DECIDED_KNOCKS} and, oldest first, those
     * beyond {@link #MAX_DECIDED_KNOCKS}. Runs as a knock is filed (what makes the map grow), from
     * the events alone (their timestamps), so a replay or a snapshot ends in the same state.
     */
    private void forgetOldDecidedKnocks(Instant now) {
        if (knocks.size() <= MAX_DECIDED_KNOCKS / 4) {
            return;
        }
        Instant cutoff = now.minus(KEEP_DECIDED_KNOCKS);
        List<Knock> decided = knocks.values().stream()
                .filter(k -> k.stateAt(now) != KnockState.PENDING && k.stateAt(now) != KnockState.APPROVED)
                .sorted(java.util.Comparator.comparing(Knock::expiresAt)) // stable: filing order among equals
                .toList();
        int excess = decided.size() - MAX_DECIDED_KNOCKS;
        for (int i = 0; i < decided.size(); i++) {
            Knock k = decided.get(i);
            if (i < excess || k.expiresAt().isBefore(cutoff)) {
                knocks.remove(k.knockId());
            }
        }
    }

    @EventSourcingHandler
    void on(KnockApproved event) {
        knocks.computeIfPresent(event.knockId(), (id, k) -> new Knock(id, roomId, KnockState.APPROVED, k.expiresAt(), event.validUntil()));
    }

    @EventSourcingHandler
    void on(KnockDenied event) {
        knocks.computeIfPresent(event.knockId(), (id, k) -> new Knock(id, roomId, KnockState.DENIED, k.expiresAt(), null));
    }

    @EventSourcingHandler
    void on(KnockExpired event) {
        knocks.computeIfPresent(event.knockId(), (id, k) -> new Knock(id, roomId, KnockState.EXPIRED, k.expiresAt(), null));
    }

    @EventSourcingHandler
    void on(KnockWithdrawn event) {
        knocks.computeIfPresent(event.knockId(), (id, k) -> new Knock(id, roomId, KnockState.WITHDRAWN, k.expiresAt(), null));
    }

    @EventSourcingHandler
    void on(ParticipantJoined event) {
        present.put(event.participantId(), new Presence(event.userId(), event.mayAdmitKnockers(), event.willEjectAt()));
        if (event.admission().knockId() != null) {
            knocks.computeIfPresent(event.admission().knockId(), (id, k) -> new Knock(id, roomId, KnockState.USED, k.expiresAt(), k.validUntil()));
        }
    }

    @EventSourcingHandler
    void on(ParticipantLeft event) {
        present.remove(event.participantId());
    }

    @EventSourcingHandler
    void on(ParticipantEjected event) {
        present.remove(event.participantId());
    }

    @EventSourcingHandler
    void on(UserBanned event) {
        banned.add(event.userId());
    }

    @EventSourcingHandler
    void on(BanLifted event) {
        banned.remove(event.userId());
    }
}
