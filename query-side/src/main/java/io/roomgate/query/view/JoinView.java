package io.roomgate.query.view;

import io.roomgate.events.StreamIds;

import io.roomgate.access.Knock;
import io.roomgate.access.KnockState;
import io.roomgate.access.RoomRules;
import io.roomgate.access.RoomState;
import io.roomgate.events.Privacy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads of the join-eligibility view. Never loads an aggregate, never writes. A join check reads
 * the room, the token's revocation and the user's ban in one statement; any other question of
 * the decision is one indexed lookup, asked only when the decision gets to it.
 */
public class JoinView {

    private static final String ROOM_COLUMNS = "room_id, name, privacy, properties, present_count, created_at, session_id";
    private static final RowMapper<ViewRoom> ROOM = (rs, i) -> new ViewRoom(rs.getString(1), rs.getString(2),
            Privacy.fromWire(rs.getString(3)), JoinEligibilityProjection.properties(rs.getString(4)),
            rs.getInt(5), rs.getTimestamp(6).toInstant(), rs.getString(7));

    /**
     * A room that exists for Daily's API: not deleted and not past its {@code exp}. Daily treats
     * an expired room as implicitly deleted, so reads do so from {@code exp} on, before the
     * deadline that deletes it has run.
     */
    private static final String EXISTS = "live = true and (exp is null or exp > ?)";

    private final JdbcTemplate jdbc;
    private final Clock clock;
    private final Quarantine quarantine;

    public JoinView(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.quarantine = new Quarantine(jdbc, clock);
    }

    /**
     * How far the view has applied each of these streams (their last applied sequence): a live
     * feed reads what it shows again only when its room's stream moved.
     */
    public Map<String, Long> appliedSequences(java.util.Collection<String> aggregateIds) {
        Map<String, Long> applied = new java.util.HashMap<>();
        List<String> ids = List.copyOf(aggregateIds);
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
            jdbc.query("select aggregate_id, seq from view_position where aggregate_id in ("
                            + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ")",
                    (java.sql.ResultSet rs) -> {
                        applied.put(rs.getString(1), rs.getLong(2));
                    }, chunk.toArray());
        }
        return applied;
    }

    /** The streams the view set aside; reads about them answer 503. */
    public Quarantine quarantine() {
        return quarantine;
    }

    private long nowSeconds() {
        return clock.instant().getEpochSecond();
    }

    /** The room of that name for room reads (not deleted, not expired). */
    public Optional<ViewRoom> liveRoom(String name) {
        // the newest generation: a re-created room may be applied before its predecessor's deletion
        return jdbc.query("select " + ROOM_COLUMNS + " from view_room where name = ? and " + EXISTS
                        + " order by created_at desc, room_id desc", ROOM, name, nowSeconds())
                .stream().findFirst();
    }

    /** The decision's view of the room of that name, as it is now. */
    public RoomState stateOf(String name) {
        return stateOf(name, null, null);
    }

    /**
     * The room's rules from their typed columns and, in the same statement, whether the given
     * token is revoked and the given user banned from it: the facts almost every check asks
     * about, in one round trip. Anything else (presence, membership, knocks, other ids) is one
     * indexed lookup, asked only when the decision gets to it.
     */
    private static final String STATE = "select r.room_id, r.name, r.privacy, r.nbf, r.exp, r.max_participants, "
            + "r.enable_knocking, r.present_count, "
            + "(select count(*) from view_revoked_token t where t.token_id = ?), "
            + "(select count(*) from view_ban b where b.room_id = r.room_id and b.user_id = ?), "
            + "(select count(*) from view_quarantine q where q.aggregate_id = r.room_id or q.aggregate_id = ? or q.aggregate_id = ?) "
            + "from view_room r where r.name = ? and r.live = true order by r.created_at desc, r.room_id desc";

    /** The room's state for a decision, and whether a stream the decision depends on is quarantined. */
    public interface CheckedState extends RoomState {

        /** The room, the presented token's stream or the member's stream is quarantined: no decision can be trusted. */
        boolean quarantined();
    }

    public CheckedState stateOf(String name, String tokenId, String userId) {
        return stateOf(name, tokenId, userId, null);
    }

    public CheckedState stateOf(String name, String tokenId, String userId, String memberId) {
        String userKey = userId == null ? null : JoinEligibilityProjection.userKey(userId);
        String tokenStream = tokenId == null ? null : StreamIds.meetingToken(tokenId);
        String memberStream = memberId == null ? null : StreamIds.member(memberId);
        Prefetched row = jdbc.query(STATE, rs -> rs.next() ? new Prefetched(
                new RoomRules(rs.getString(1), rs.getString(2), Privacy.fromWire(rs.getString(3)), longOrNull(rs, 4),
                        longOrNull(rs, 5), intOrNull(rs, 6), rs.getBoolean(7)),
                rs.getInt(8), rs.getLong(9) > 0, rs.getLong(10) > 0, rs.getLong(11) > 0) : null,
                tokenId, userKey, tokenStream, memberStream, name);
        Optional<RoomRules> room = Optional.ofNullable(row).map(Prefetched::rules);
        String roomId = room.map(RoomRules::roomId).orElse(null);
        return new CheckedState() {
            @Override
            public boolean quarantined() {
                // no live room row: its creation may be the event that was set aside
                return row == null ? quarantine.affecting(name, tokenStream, memberStream).isPresent() : row.quarantined();
            }

            @Override
            public Optional<RoomRules> room() {
                return room;
            }

            @Override
            public boolean isPresent(String participantId) {
                return exists("select count(*) from view_participant where room_id = ? and participant_id = ?", roomId, participantId);
            }

            @Override
            public int presentCount() {
                return row == null ? 0 : row.presentCount();
            }

            @Override
            public boolean isBanned(String asked) {
                if (row != null && asked != null && asked.equals(userId)) {
                    return row.banned();
                }
                return exists("select count(*) from view_ban where room_id = ? and user_id = ?", roomId,
                        JoinEligibilityProjection.userKey(asked));
            }

            @Override
            public boolean isRevoked(String asked) {
                if (row != null && asked != null && asked.equals(tokenId)) {
                    return row.revoked();
                }
                return JoinView.this.isRevoked(asked);
            }

            @Override
            public boolean isActiveMember(String memberId) {
                return exists("select count(*) from view_member where member_id = ?", memberId);
            }

            @Override
            public Optional<Knock> knock(String knockId) {
                return JoinView.this.knock(knockId).map(ViewKnock::knock);
            }
        };
    }

    private record Prefetched(RoomRules rules, int presentCount, boolean revoked, boolean banned, boolean quarantined) {
    }

    private static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    public boolean isRevoked(String tokenId) {
        return exists("select count(*) from view_revoked_token where token_id = ?", tokenId);
    }

    /** A knock with what the knock API shows of it. */
    public record ViewKnock(Knock knock, String roomName, String userName, Instant requestedAt, String decidedBy,
                            Instant decidedAt) {
    }

    private static final String KNOCK_SELECT = "select k.knock_id, k.room_id, k.state, k.expires_at, k.valid_until, r.name, "
            + "k.user_name, k.requested_at, k.decided_by, k.decided_at from view_knock k join view_room r on r.room_id = k.room_id ";

    private static final RowMapper<ViewKnock> KNOCK = (rs, i) -> new ViewKnock(
            new Knock(rs.getString(1), rs.getString(2), KnockState.valueOf(rs.getString(3)), instant(rs, 4), instant(rs, 5)),
            rs.getString(6), rs.getString(7), instant(rs, 8), rs.getString(9), instant(rs, 10));

    public Optional<ViewKnock> knock(String knockId) {
        return jdbc.query(KNOCK_SELECT + "where k.knock_id = ?", KNOCK, knockId).stream().findFirst();
    }

    /** The knocks of a room that have not been decided, oldest first: an owner's waiting list. */
    public List<ViewKnock> waitingKnocks(String roomId) {
        return jdbc.query(KNOCK_SELECT + "where k.room_id = ? and k.state = 'PENDING' order by k.requested_at", KNOCK, roomId);
    }

    /** Someone in a room, for Daily's presence answer. */
    public record ViewParticipant(String participantId, String userId, String userName, Instant joinedAt,
                                  boolean owner, boolean mayAdmitKnockers, Instant willEjectAt, String admission) {
    }

    public List<ViewParticipant> present(String roomId) {
        return jdbc.query("select participant_id, user_id, user_name, joined_at, is_owner, may_admit, will_eject_at, admission "
                        + "from view_participant where room_id = ? order by joined_at, participant_id",
                (rs, i) -> new ViewParticipant(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                        rs.getBoolean(5), rs.getBoolean(6), instant(rs, 7), rs.getString(8)), roomId);
    }

    /** Someone in a live room, with the room: Daily's {@code GET /presence}. */
    public record Presence(ViewRoom room, ViewParticipant participant) {
    }

    /** Everyone in every live (not deleted, not expired) room, by room name, then as they joined. */
    public List<Presence> presentEverywhere() {
        return jdbc.query("select r.room_id, r.name, r.privacy, r.properties, r.present_count, r.created_at, r.session_id, "
                        + "p.participant_id, p.user_id, p.user_name, p.joined_at, p.is_owner, p.may_admit, p.will_eject_at, p.admission "
                        + "from view_participant p join view_room r on r.room_id = p.room_id "
                        + "where r.live = true and (r.exp is null or r.exp > ?) order by r.name, p.joined_at, p.participant_id",
                (rs, i) -> new Presence(ROOM.mapRow(rs, i), new ViewParticipant(rs.getString(8), rs.getString(9), rs.getString(10),
                        instant(rs, 11), rs.getBoolean(12), rs.getBoolean(13), instant(rs, 14), rs.getString(15))),
                nowSeconds());
    }

    public boolean anyOwnerPresent(String roomId) {
        return exists("select count(*) from view_participant where room_id = ? and may_admit = true", roomId);
    }

    public long liveRoomCount() {
        Long n = jdbc.queryForObject("select count(*) from view_room where " + EXISTS, Long.class, nowSeconds());
        return n == null ? 0 : n;
    }

    /** Live rooms newest first, optionally after or before a room id (Daily's pagination). */
    public List<ViewRoom> rooms(int limit, String startingAfter, String endingBefore) {
        if (startingAfter != null) {
            Optional<Instant> cursor = createdAt(startingAfter);
            if (cursor.isEmpty()) return List.of();
            return jdbc.query("select " + ROOM_COLUMNS + " from view_room where " + EXISTS + " and "
                    + "(created_at < ? or (created_at = ? and room_id < ?)) order by created_at desc, room_id desc limit ?",
                    ROOM, nowSeconds(), ts(cursor.get()), ts(cursor.get()), startingAfter, limit);
        }
        if ("OLDEST".equals(endingBefore)) {
            return jdbc.query("select " + ROOM_COLUMNS + " from view_room where " + EXISTS + " "
                    + "order by created_at asc, room_id asc limit ?", ROOM, nowSeconds(), limit);
        }
        if (endingBefore != null) {
            Optional<Instant> cursor = createdAt(endingBefore);
            if (cursor.isEmpty()) return List.of();
            List<ViewRoom> newer = jdbc.query("select " + ROOM_COLUMNS + " from view_room where " + EXISTS + " and "
                    + "(created_at > ? or (created_at = ? and room_id > ?)) order by created_at asc, room_id asc limit ?",
                    ROOM, nowSeconds(), ts(cursor.get()), ts(cursor.get()), endingBefore, limit);
            List<ViewRoom> newestFirst = new java.util.ArrayList<>(newer);
            java.util.Collections.reverse(newestFirst);
            return newestFirst;
        }
        return jdbc.query("select " + ROOM_COLUMNS + " from view_room where " + EXISTS + " "
                + "order by created_at desc, room_id desc limit ?", ROOM, nowSeconds(), limit);
    }

    private Optional<Instant> createdAt(String roomId) {
        return jdbc.query("select created_at from view_room where room_id = ?", (rs, i) -> rs.getTimestamp(1).toInstant(), roomId)
                .stream().findFirst();
    }

    private boolean exists(String sql, String... args) {
        for (String a : args) {
            if (a == null) {
                return false;
            }
        }
        Integer n = jdbc.queryForObject(sql, Integer.class, (Object[]) args);
        return n != null && n > 0;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
