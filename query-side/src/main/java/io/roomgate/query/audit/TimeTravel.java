package io.roomgate.query.audit;

import io.roomgate.query.check.JoinCheck;
import io.roomgate.access.JoinPolicy;
import io.roomgate.access.RoomFacts;
import io.roomgate.access.PresentedToken;
import io.roomgate.access.RoomState;
import io.roomgate.access.Verdict;
import io.roomgate.events.MemberAdded;
import io.roomgate.events.MemberRemoved;
import io.roomgate.events.StreamIds;
import io.roomgate.events.TokenRevoked;
import io.roomgate.token.MeetingTokens;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
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

    public Answer check(JoinCheck check, Instant at) {
        PresentedToken presented = tokens.verify(check.token());
        Set<Long> positions = new TreeSet<>();
        Optional<String> roomId = generationAt(check.roomName(), at);
        RoomFacts room = new RoomFacts();
        roomId.ifPresent(id -> fold(id, at, room::apply, positions));
        Set<String> revoked = new HashSet<>();
        if (presented instanceof PresentedToken.Verified v) {
            fold(StreamIds.meetingToken(v.tokenId()), at, e -> {
                if (e instanceof TokenRevoked r) revoked.add(r.tokenId());
            }, positions);
        }
        boolean[] member = {false};
        if (check.memberId() != null) {
            fold(StreamIds.member(check.memberId()), at, e -> {
                if (e instanceof MemberAdded) member[0] = true;
                if (e instanceof MemberRemoved) member[0] = false;
            }, positions);
        }
        boolean activeMember = member[0];
        RoomState state = room.asState(revoked::contains, asked -> activeMember);
        Verdict verdict = JoinPolicy.decide(check.attempt(presented), state, at);
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
}
