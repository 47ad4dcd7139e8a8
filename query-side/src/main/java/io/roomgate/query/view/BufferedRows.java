package io.roomgate.query.view;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code view_room} and {@code view_participant} a batch of events changes, kept in
 * memory and written once when the batch commits (issue 18). A room's events mostly come
 * together: created, then people joining and leaving, each of which changes its row's count. Applied
 * one by one they write the room's row many times over and a participant's row twice (in, then
 * out); buffered, the room's row is written once per batch and a participant who joined and left
 * within it not at all. On H2 every row written costs its undo log and its commit as well.
 *
 * <p>A rebuild applies its batches this way ({@link #bufferFor}); the live view does not, because it applies
 * each event inside a savepoint so that an event it cannot apply quarantines its stream at once,
 * and a buffered write fails only at the end of the batch, where no event is to blame. A rebuild
 * whose buffered batch fails applies that batch again event by event, with the same quarantine.
 *
 * <p>Every other table is written at once, as the live view writes it; only these two are held
 * back, and every statement that touches them goes through here while a buffer is open.
 */
public final class BufferedRows {

    private static final String RESOURCE = BufferedRows.class.getName();

    private final JdbcTemplate jdbc;
    /** Rooms known in this batch: loaded from the view, or created in it. */
    private final Map<String, RoomRow> rooms = new LinkedHashMap<>();
    /** Participants who joined in this batch and are still present: the row to insert. */
    private final Map<List<String>, Object[]> joined = new LinkedHashMap<>();

    private BufferedRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Opens a buffer for the batch {@code unitOfWork} applies: the view's handlers write through it
     * while that unit of work runs, and it is written to the view when the unit of work commits
     * (before its transaction does).
     */
    public static void bufferFor(UnitOfWork<?> unitOfWork, JdbcTemplate jdbc) {
        BufferedRows rows = new BufferedRows(jdbc);
        unitOfWork.root().resources().put(RESOURCE, rows);
        unitOfWork.root().onPrepareCommit(u -> rows.flush());
    }

    /** The buffer of the batch being applied on this thread, or null when events are written at once. */
    static BufferedRows current() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        return (BufferedRows) CurrentUnitOfWork.get().root().getResource(RESOURCE);
    }

    /** A row of {@code view_room}, as the buffer holds it. */
    static final class RoomRow {
        final String roomId;
        final String name;
        boolean live;
        String privacy;
        String properties;
        Long nbf;
        Long exp;
        Integer maxParticipants;
        boolean enableKnocking;
        int presentCount;
        final Timestamp createdAt;
        Timestamp deletedAt;
        String deletionCause;
        String sessionId;
        private final boolean created;
        private boolean changed;

        RoomRow(String roomId, String name, boolean live, String privacy, String properties, Long nbf, Long exp,
                Integer maxParticipants, boolean enableKnocking, int presentCount, Timestamp createdAt,
                Timestamp deletedAt, String deletionCause, String sessionId, boolean created) {
            this.roomId = roomId;
            this.name = name;
            this.live = live;
            this.privacy = privacy;
            this.properties = properties;
            this.nbf = nbf;
            this.exp = exp;
            this.maxParticipants = maxParticipants;
            this.enableKnocking = enableKnocking;
            this.presentCount = presentCount;
            this.createdAt = createdAt;
            this.deletedAt = deletedAt;
            this.deletionCause = deletionCause;
            this.sessionId = sessionId;
            this.created = created;
        }

        Object[] insertArgs() {
            return new Object[]{roomId, name, live, privacy, properties, nbf, exp, maxParticipants, enableKnocking,
                    presentCount, createdAt, deletedAt, deletionCause, sessionId};
        }
    }

    private static final String SELECT_ROOM = "select room_id, name, live, privacy, properties, nbf, exp, max_participants, "
            + "enable_knocking, present_count, created_at, deleted_at, deletion_cause, session_id from view_room where room_id = ?";
    private static final String UPDATE_ROOM = "update view_room set live = ?, privacy = ?, properties = ?, nbf = ?, exp = ?, "
            + "max_participants = ?, enable_knocking = ?, present_count = ?, deleted_at = ?, deletion_cause = ?, session_id = ? "
            + "where room_id = ?";

    /**
     * A room created in this batch. A room the buffer already knows is a key the view holds
     * twice: refused, as the insert would be.
     */
    void created(RoomRow row) {
        if (rooms.containsKey(row.roomId)) {
            throw new org.springframework.dao.DuplicateKeyException("view_room already holds room " + row.roomId);
        }
        rooms.put(row.roomId, row);
    }

    /**
     * Changes the room's row, taken from the buffer or else read from the view once. A room the
     * view does not hold is left alone, as the update statement would leave it.
     */
    void changeRoom(String roomId, java.util.function.Consumer<RoomRow> change) {
        RoomRow row = room(roomId);
        if (row != null) {
            change.accept(row);
            row.changed = true;
        }
    }

    private RoomRow room(String roomId) {
        RoomRow row = rooms.get(roomId);
        if (row != null) {
            return row;
        }
        List<RoomRow> found = jdbc.query(SELECT_ROOM, BufferedRows::roomRow, roomId);
        if (found.isEmpty()) {
            return null; // an update of a room the view does not hold changes nothing (as the statement would)
        }
        rooms.put(roomId, found.get(0));
        return found.get(0);
    }

    private static RoomRow roomRow(ResultSet rs, int i) throws SQLException {
        return new RoomRow(rs.getString(1), rs.getString(2), rs.getBoolean(3), rs.getString(4), rs.getString(5),
                (Long) rs.getObject(6, Long.class), (Long) rs.getObject(7, Long.class), (Integer) rs.getObject(8, Integer.class),
                rs.getBoolean(9), rs.getInt(10), rs.getTimestamp(11), rs.getTimestamp(12), rs.getString(13), rs.getString(14), false);
    }

    /** A participant joined: inserted when the batch ends, unless they leave first. */
    void joined(String roomId, String participantId, Object[] insertArgs) {
        if (joined.putIfAbsent(List.of(roomId, participantId), insertArgs) != null) {
            throw new org.springframework.dao.DuplicateKeyException("view_participant already holds " + participantId + " in " + roomId);
        }
    }

    /** Whether the participant joined in this batch (and so leaves without a statement). */
    boolean leftFromBuffer(String roomId, String participantId) {
        return joined.remove(List.of(roomId, participantId)) != null;
    }

    /** The room was deleted: those who joined in this batch are gone with everyone else. */
    void emptied(String roomId) {
        joined.keySet().removeIf(key -> key.get(0).equals(roomId));
    }

    /** Writes what the batch changed: new rooms, changed rooms, participants still present. */
    private void flush() {
        List<Object[]> inserts = new ArrayList<>();
        List<Object[]> updates = new ArrayList<>();
        for (RoomRow r : rooms.values()) {
            if (r.created) {
                inserts.add(r.insertArgs());
            } else if (r.changed) {
                updates.add(new Object[]{r.live, r.privacy, r.properties, r.nbf, r.exp, r.maxParticipants, r.enableKnocking,
                        r.presentCount, r.deletedAt, r.deletionCause, r.sessionId, r.roomId});
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate(JoinEligibilityProjection.INSERT_ROOM, inserts);
        }
        if (!updates.isEmpty()) {
            jdbc.batchUpdate(UPDATE_ROOM, updates);
        }
        if (!joined.isEmpty()) {
            jdbc.batchUpdate(JoinEligibilityProjection.INSERT_PARTICIPANT, new ArrayList<>(joined.values()));
        }
        rooms.clear();
        joined.clear();
    }
}
