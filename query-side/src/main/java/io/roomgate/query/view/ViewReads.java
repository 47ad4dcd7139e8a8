package io.roomgate.query.view;

import io.roomgate.events.Privacy;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** What the view's readers share: the room row, "exists for Daily's API", and column helpers. */
final class ViewReads {

    static final String ROOM_COLUMNS = "room_id, name, privacy, properties, present_count, created_at, session_id";

    static final RowMapper<ViewRoom> ROOM = (rs, i) -> new ViewRoom(rs.getString(1), rs.getString(2),
            Privacy.fromWire(rs.getString(3)), JoinEligibilityProjection.properties(rs.getString(4)),
            rs.getInt(5), rs.getTimestamp(6).toInstant(), rs.getString(7));

    /**
     * A room that exists for Daily's API: not deleted and not past its {@code exp}. Daily treats
     * an expired room as implicitly deleted, so reads do so from {@code exp} on, before the
     * deadline that deletes it has run. Takes the current epoch second.
     */
    static final String EXISTS = "live = true and (exp is null or exp > ?)";

    private ViewReads() {
    }

    /** Whether the count query finds a row; false without asking when any argument is null. */
    static boolean exists(JdbcTemplate jdbc, String sql, String... args) {
        for (String a : args) {
            if (a == null) {
                return false;
            }
        }
        Integer n = jdbc.queryForObject(sql, Integer.class, (Object[]) args);
        return n != null && n > 0;
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static Long longOrNull(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    static Integer intOrNull(ResultSet rs, int column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }
}
