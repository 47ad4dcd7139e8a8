package io.roomgate.query.view;

import io.roomgate.events.RoomCreated;
import org.axonframework.eventhandling.DomainEventMessage;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.TransactionException;

import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The streams (a room, a member, a meeting token) whose event the view could not apply. Such a
 * stream is set aside instead of stopping the view for every room: its failing event and every
 * later one are held (counted, not applied) until an operator retries it, and every read about
 * it answers 503 meanwhile, never an answer from the half-applied stream. Other streams go on.
 * <p>
 * Rows live in {@code view_quarantine}, written in the transaction that applies the batch, so a
 * read that waited for the view sees a quarantine as soon as it sees the events after it.
 */
public final class Quarantine {

    /** One quarantined stream, as health, the status endpoint and the 503 describe it. */
    public record Entry(String aggregateId, String roomName, long firstSequence, long heldToSequence, String eventId,
                        String eventType, String cause, Instant since) {

        /** Events held besides the one that failed. */
        public long held() {
            return Math.max(0, heldToSequence - firstSequence);
        }

        /** As the status endpoint, the quarantine list and health show it. */
        public java.util.Map<String, Object> describe() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("stream", aggregateId);
            m.put("room_name", roomName);
            m.put("event_id", eventId);
            m.put("event_type", eventType);
            m.put("sequence", firstSequence);
            m.put("held_events", held());
            m.put("cause", cause);
            m.put("since", since.toString());
            return m;
        }
    }

    private static final String COLUMNS = "aggregate_id, room_name, first_seq, held_to_seq, event_id, event_type, cause, quarantined_at";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public Quarantine(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Every quarantined stream's id (one query: the table is empty unless something went wrong). */
    Set<String> ids() {
        return new HashSet<>(jdbc.queryForList("select aggregate_id from view_quarantine", String.class));
    }

    public List<Entry> all() {
        return jdbc.query("select " + COLUMNS + " from view_quarantine order by quarantined_at, aggregate_id", Quarantine::entry);
    }

    public Optional<Entry> find(String aggregateId) {
        return jdbc.query("select " + COLUMNS + " from view_quarantine where aggregate_id = ?", Quarantine::entry, aggregateId)
                .stream().findFirst();
    }

    /**
     * The first quarantined stream among a room (by name, or by id where the view knows it) and
     * the other streams a read depends on (a member's, a token's); nulls are ignored.
     */
    public Optional<Entry> affecting(String roomName, String... aggregateIds) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from view_quarantine where room_name = ? "
                + "or aggregate_id in (select room_id from view_room where name = ?)");
        List<Object> args = new java.util.ArrayList<>(List.of(String.valueOf(roomName), String.valueOf(roomName)));
        for (String id : aggregateIds) {
            if (id != null) {
                sql.append(" or aggregate_id = ?");
                args.add(id);
            }
        }
        return jdbc.query(sql.append(" order by quarantined_at").toString(), Quarantine::entry, args.toArray()).stream().findFirst();
    }

    /**
     * Refuses a read about a quarantined stream (a room by name, or the member or token streams it
     * depends on) with a 503: never an answer from a stream the view could only half apply.
     */
    public void requireNone(String roomName, String... aggregateIds) {
        if (affecting(roomName, aggregateIds).isPresent()) {
            throw refusal();
        }
    }

    public static StreamQuarantined refusal() {
        return new StreamQuarantined();
    }

    /**
     * A held event of a quarantined stream: recorded against its row. False if the row is gone
     * (an operator retried the stream since the batch began): then the event is applied as usual.
     */
    boolean hold(String aggregateId, long sequence) {
        return jdbc.update("update view_quarantine set held_to_seq = greatest(held_to_seq, ?) where aggregate_id = ?",
                sequence, aggregateId) > 0;
    }

    /** Sets the stream aside at this event (the view's changes for it rolled back by the caller). */
    void add(DomainEventMessage<?> event, Throwable cause) {
        String roomName = roomName(event);
        jdbc.update("insert into view_quarantine (" + COLUMNS + ") values (?, ?, ?, ?, ?, ?, ?, ?)",
                event.getAggregateIdentifier(), roomName, event.getSequenceNumber(), event.getSequenceNumber(),
                event.getIdentifier(), event.getPayloadType().getSimpleName(), describe(cause), Timestamp.from(clock.instant()));
    }

    private String roomName(DomainEventMessage<?> event) {
        if (RoomCreated.class.equals(event.getPayloadType())) {
            try {
                return JoinEligibilityProjection.text(((RoomCreated) event.getPayload()).name());
            } catch (RuntimeException unreadable) {
                return null; // the payload itself may be what cannot be read
            }
        }
        return jdbc.queryForList("select name from view_room where room_id = ?", String.class, event.getAggregateIdentifier())
                .stream().findFirst().orElse(null);
    }

    /** Ends the quarantine of a stream once its held events are applied (the caller's transaction). */
    public void release(String aggregateId) {
        jdbc.update("delete from view_quarantine where aggregate_id = ?", aggregateId);
    }

    /** Locks the stream's row for a retry: the processor's next hold of it waits for the retry to end. */
    public Optional<Entry> lock(String aggregateId) {
        return jdbc.query("select " + COLUMNS + " from view_quarantine where aggregate_id = ? for update", Quarantine::entry, aggregateId)
                .stream().findFirst();
    }

    public void recordRetryFailure(String aggregateId, Throwable cause) {
        jdbc.update("update view_quarantine set cause = ? where aggregate_id = ?", describe(cause), aggregateId);
    }

    Savepoint savepoint() {
        return jdbc.execute((ConnectionCallback<Savepoint>) con -> con.setSavepoint());
    }

    void rollbackTo(Savepoint savepoint) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            con.rollback(savepoint);
            return null;
        });
    }

    void releaseSavepoint(Savepoint savepoint) {
        jdbc.execute((ConnectionCallback<Void>) con -> {
            con.releaseSavepoint(savepoint);
            return null;
        });
    }

    /**
     * Whether a failure belongs to the event rather than to the moment: a lost connection, a lock
     * timeout, a deadlock or a full pool is retried, not quarantined.
     */
    static boolean belongsToTheEvent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                    || t instanceof DataAccessResourceFailureException || t instanceof TransactionException
                    || t instanceof SQLTransientException || t instanceof SQLRecoverableException || t instanceof Error) {
                return false;
            }
        }
        return true;
    }

    /** The failure's class and message, printable and bounded (the message names columns, ids, not secrets). */
    public static String describe(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = cause.getClass().getSimpleName() + (root != cause ? " (" + root.getClass().getSimpleName() + ")" : "")
                + ": " + String.valueOf(root.getMessage());
        text = text.replaceAll("[\\p{Cntrl}\\p{Cf}]", " ");
        return text.length() > 1000 ? text.substring(0, 1000) : text;
    }

    private static Entry entry(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Entry(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5), rs.getString(6),
                rs.getString(7), rs.getTimestamp(8).toInstant());
    }
}
