package io.roomgate.query.view;

import io.roomgate.events.StreamIds;

import io.roomgate.access.Knock;
import io.roomgate.access.RoomRules;
import io.roomgate.access.RoomState;
import io.roomgate.events.Privacy;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Optional;

import static io.roomgate.query.view.ViewReads.exists;
import static io.roomgate.query.view.ViewReads.intOrNull;
import static io.roomgate.query.view.ViewReads.longOrNull;

/**
 * The join check's reads of the view. Never loads an aggregate, never writes. A join check reads
 * the room, the token's revocation and the user's ban in one statement; any other question of
 * the decision is one indexed lookup, asked only when the decision gets to it. (Rooms, presence
 * and knocks as the other APIs show them: {@link RoomReader}, {@link PresenceReader},
 * {@link KnockReader}.)
 */
public class JoinView {

    private final JdbcTemplate jdbc;
    private final Quarantine quarantine;
    private final KnockReader knocks;

    public JoinView(JdbcTemplate jdbc, Quarantine quarantine, KnockReader knocks) {
        this.jdbc = jdbc;
        this.quarantine = quarantine;
        this.knocks = knocks;
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
                return exists(jdbc, "select count(*) from view_participant where room_id = ? and participant_id = ?", roomId, participantId);
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
                return exists(jdbc, "select count(*) from view_ban where room_id = ? and user_id = ?", roomId,
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
                return exists(jdbc, "select count(*) from view_member where member_id = ?", memberId);
            }

            @Override
            public Optional<Knock> knock(String knockId) {
                return knocks.knock(knockId).map(KnockReader.ViewKnock::knock);
            }
        };
    }

    private record Prefetched(RoomRules rules, int presentCount, boolean revoked, boolean banned, boolean quarantined) {
    }

    public boolean isRevoked(String tokenId) {
        return exists(jdbc, "select count(*) from view_revoked_token where token_id = ?", tokenId);
    }

}
