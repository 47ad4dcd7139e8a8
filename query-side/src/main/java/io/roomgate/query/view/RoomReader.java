package io.roomgate.query.view;

import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.roomgate.query.view.ViewReads.EXISTS;
import static io.roomgate.query.view.ViewReads.ROOM;
import static io.roomgate.query.view.ViewReads.ROOM_COLUMNS;

/** The view's rooms as Daily's room reads show them: one by name, a page, the count. Never writes. */
public class RoomReader {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public RoomReader(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
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
            List<ViewRoom> newestFirst = new ArrayList<>(newer);
            Collections.reverse(newestFirst);
            return newestFirst;
        }
        return jdbc.query("select " + ROOM_COLUMNS + " from view_room where " + EXISTS + " "
                + "order by created_at desc, room_id desc limit ?", ROOM, nowSeconds(), limit);
    }

    /**
     * How far the view has applied each of these streams (their last applied sequence): a live
     * feed reads what it shows again only when its room's stream moved.
     */
    public Map<String, Long> appliedSequences(Collection<String> aggregateIds) {
        Map<String, Long> applied = new HashMap<>();
        List<String> ids = List.copyOf(aggregateIds);
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + 500));
            jdbc.query("select aggregate_id, seq from view_position where aggregate_id in ("
                            + String.join(",", Collections.nCopies(chunk.size(), "?")) + ")",
                    (java.sql.ResultSet rs) -> {
                        applied.put(rs.getString(1), rs.getLong(2));
                    }, chunk.toArray());
        }
        return applied;
    }

    private Optional<Instant> createdAt(String roomId) {
        return jdbc.query("select created_at from view_room where room_id = ?", (rs, i) -> rs.getTimestamp(1).toInstant(), roomId)
                .stream().findFirst();
    }

    private static Timestamp ts(Instant i) {
        return Timestamp.from(i);
    }
}
