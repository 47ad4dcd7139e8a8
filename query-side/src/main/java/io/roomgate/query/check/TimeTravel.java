package io.roomgate.query.check;

import io.roomgate.access.JoinAttempt;
import io.roomgate.access.JoinPolicy;
import io.roomgate.access.Knock;
import io.roomgate.access.KnockState;
import io.roomgate.access.PresentedToken;
import io.roomgate.access.RoomRules;
import io.roomgate.access.RoomState;
import io.roomgate.access.Verdict;
import io.roomgate.events.BanLifted;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockDenied;
import io.roomgate.events.KnockExpired;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.KnockWithdrawn;
import io.roomgate.events.MemberAdded;
import io.roomgate.events.MemberRemoved;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.Privacy;
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.RoomPropertiesChanged;
import io.roomgate.events.StreamIds;
import io.roomgate.events.TokenRevoked;
import io.roomgate.events.UserBanned;
import io.roomgate.token.MeetingTokens;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * "Could X have joined at 14:03?": folds the events of the room generation that lived under
 * that name at that instant (and of the token and member involved) up to the instant, and asks
 * the same join decision. The answer names the event positions it rests on.
 */
public class TimeTravel {

    public record Answer(Verdict verdict, List<Long> positions) {
    }

    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final MeetingTokens tokens;

    public TimeTravel(EventStore eventStore, JdbcTemplate jdbc, MeetingTokens tokens) {
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.tokens = tokens;
    }

    public Answer check(String roomName, String token, String userId, String memberId, String participantId,
                        String knockId, Instant at) {
        PresentedToken presented = tokens.verify(token);
        Set<Long> positions = new TreeSet<>();
        Optional<String> roomId = generationAt(roomName, at);
        PastRoom room = new PastRoom();
        roomId.ifPresent(id -> fold(id, at, room::apply, positions));
        Set<String> revoked = new HashSet<>();
        if (presented instanceof PresentedToken.Verified v) {
            fold(StreamIds.meetingToken(v.tokenId()), at, e -> {
                if (e instanceof TokenRevoked r) revoked.add(r.tokenId());
            }, positions);
        }
        boolean[] member = {false};
        if (memberId != null) {
            fold(StreamIds.member(memberId), at, e -> {
                if (e instanceof MemberAdded) member[0] = true;
                if (e instanceof MemberRemoved) member[0] = false;
            }, positions);
        }
        RoomState state = room.asState(revoked::contains, member[0]);
        Verdict verdict = JoinPolicy.decide(new JoinAttempt(presented, userId, memberId, participantId, knockId), state, at);
        return new Answer(verdict, List.copyOf(positions));
    }

    /** The room of that name that existed at {@code at}: names are reused, generations are not. */
    private Optional<String> generationAt(String name, Instant at) {
        Timestamp t = Timestamp.from(at);
        return jdbc.queryForList("select room_id from view_room where name = ? and created_at <= ? "
                + "and (deleted_at is null or deleted_at > ?) order by created_at desc", String.class, name, t, t)
                .stream().findFirst();
    }

    private void fold(String aggregateId, Instant at, java.util.function.Consumer<Object> apply, Set<Long> positions) {
        long lastSequence = -1;
        // from the first event, never from a snapshot: a snapshot holds the state at its end, not
        // the history before it, so a fold from it would not know the room was ever created
        var stream = eventStore.readEvents(aggregateId, 0);
        while (stream.hasNext()) {
            DomainEventMessage<?> event = stream.next();
            if (event.getTimestamp().isAfter(at)) {
                break;
            }
            apply.accept(event.getPayload());
            lastSequence = event.getSequenceNumber();
        }
        if (lastSequence >= 0) {
            positions.addAll(jdbc.queryForList("select global_index from domain_event_entry where aggregate_identifier = ? "
                    + "and sequence_number <= ?", Long.class, aggregateId, lastSequence));
        }
    }

    /** A room as its events up to an instant made it. */
    private static final class PastRoom {
        private String roomId;
        private String name;
        private Privacy privacy;
        private RoomProperties properties;
        private boolean deleted;
        private final Set<String> present = new HashSet<>();
        private final Set<String> banned = new HashSet<>();
        private final Map<String, Knock> knocks = new HashMap<>();

        void apply(Object e) {
            if (e instanceof RoomCreated c) {
                roomId = c.roomId();
                name = c.name();
                privacy = c.privacy();
                properties = c.properties();
            } else if (e instanceof PrivacyChanged c) {
                privacy = c.privacy();
            } else if (e instanceof RoomPropertiesChanged c) {
                properties = c.properties();
            } else if (e instanceof RoomDeleted) {
                deleted = true;
            } else if (e instanceof ParticipantJoined j) {
                present.add(j.participantId());
                if (j.admission().knockId() != null) {
                    set(j.admission().knockId(), KnockState.USED, null);
                }
            } else if (e instanceof ParticipantLeft l) {
                present.remove(l.participantId());
            } else if (e instanceof ParticipantEjected x) {
                present.remove(x.participantId());
            } else if (e instanceof UserBanned b) {
                banned.add(b.userId());
            } else if (e instanceof BanLifted b) {
                banned.remove(b.userId());
            } else if (e instanceof KnockRequested k) {
                knocks.put(k.knockId(), new Knock(k.knockId(), roomId, KnockState.PENDING, k.expiresAt(), null));
            } else if (e instanceof KnockApproved k) {
                set(k.knockId(), KnockState.APPROVED, k.validUntil());
            } else if (e instanceof KnockDenied k) {
                set(k.knockId(), KnockState.DENIED, null);
            } else if (e instanceof KnockExpired k) {
                set(k.knockId(), KnockState.EXPIRED, null);
            } else if (e instanceof KnockWithdrawn k) {
                set(k.knockId(), KnockState.WITHDRAWN, null);
            }
        }

        private void set(String knockId, KnockState state, Instant validUntil) {
            knocks.computeIfPresent(knockId, (id, k) -> new Knock(id, roomId, state, k.expiresAt(),
                    validUntil != null ? validUntil : k.validUntil()));
        }

        RoomState asState(java.util.function.Predicate<String> revoked, boolean member) {
            Optional<RoomRules> rules = roomId == null || deleted ? Optional.empty()
                    : Optional.of(new RoomRules(roomId, name, privacy, properties.nbf(), properties.exp(),
                    properties.maxParticipants(), properties.enableKnocking()));
            return new RoomState() {
                @Override public Optional<RoomRules> room() { return rules; }
                @Override public boolean isPresent(String participantId) { return present.contains(participantId); }
                @Override public int presentCount() { return present.size(); }
                @Override public boolean isBanned(String userId) { return banned.contains(userId); }
                @Override public boolean isRevoked(String tokenId) { return revoked.test(tokenId); }
                @Override public boolean isActiveMember(String memberId) { return member; }
                @Override public Optional<Knock> knock(String knockId) { return Optional.ofNullable(knocks.get(knockId)); }
            };
        }
    }
}
