package io.roomgate.query.view;

import io.roomgate.access.Knock;
import io.roomgate.access.KnockState;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static io.roomgate.query.view.ViewReads.instant;

/** Knocks as the view holds them: one by id, a room's waiting list. Never writes. */
public class KnockReader {

    /** A knock with what the knock API shows of it. */
    public record ViewKnock(Knock knock, String roomName, String userName, Instant requestedAt, String decidedBy,
                            Instant decidedAt) {
    }

    private static final String KNOCK_SELECT = "select k.knock_id, k.room_id, k.state, k.expires_at, k.valid_until, r.name, "
            + "k.user_name, k.requested_at, k.decided_by, k.decided_at from view_knock k join view_room r on r.room_id = k.room_id ";

    private static final RowMapper<ViewKnock> KNOCK = (rs, i) -> new ViewKnock(
            new Knock(rs.getString(1), rs.getString(2), KnockState.valueOf(rs.getString(3)), instant(rs, 4), instant(rs, 5)),
            rs.getString(6), rs.getString(7), instant(rs, 8), rs.getString(9), instant(rs, 10));

    private final JdbcTemplate jdbc;

    public KnockReader(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<ViewKnock> knock(String knockId) {
        return jdbc.query(KNOCK_SELECT + "where k.knock_id = ?", KNOCK, knockId).stream().findFirst();
    }

    /** The knocks of a room that have not been decided, oldest first: an owner's waiting list. */
    public List<ViewKnock> waitingKnocks(String roomId) {
        return jdbc.query(KNOCK_SELECT + "where k.room_id = ? and k.state = 'PENDING' order by k.requested_at", KNOCK, roomId);
    }
}
