package io.roomgate.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.TokenIssued;
import org.axonframework.common.DateTimeUtils;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The audit log: reads {@code domain_event_entry} directly with JDBC. It is the audit of the
 * store itself, so nothing is deserialized into event classes and no view is consulted: what
 * an entry shows is what is stored (payload JSON as written, at its stored revision).
 *
 * <p><b>Room names.</b> {@code room_name} is resolved from the store, not from the
 * join-eligibility view: the ids of every room whose {@code RoomCreated} has that name (every
 * generation, deleted or live) and of every token whose {@code TokenIssued} claims name that
 * room; the history is then every event of those aggregates. Not {@code view_room}, because the
 * view is eventually consistent and is rebuilt by a replay, and an audit of the store must not
 * depend on either; and by aggregate rather than by matching each event's {@code name}, so the
 * token events (which carry no room name) and any event of a room that does not repeat its
 * name come along. A room's name never changes, so the two agree on room events. A self-signed
 * token that names the room but was never issued here is not found this way (its revocation
 * shows under type {@code TokenRevoked}).
 *
 * <p><b>Constant memory.</b> The store is read in keyset chunks ({@code global_index > last
 * order by global_index}, {@value #CHUNK} rows each, the JDBC fetch size the same): a page or
 * an export of any length holds at most one chunk, and no connection is held while entries
 * are written to a slow client. The same works on H2 (which would otherwise buffer a large
 * result) and PostgreSQL (which streams only inside a transaction).
 *
 * <p><b>Time.</b> {@code time_stamp} is Axon's ISO text with 3 to 9 fraction digits, so text
 * order is not instant order within a second: SQL narrows by the whole second and the exact
 * bounds are applied to the parsed instant.
 */
public class AuditLog {

    static final int CHUNK = 500;
    /** Beyond this many aggregates a room name's ids are matched in Java instead of an IN list. */
    private static final int MAX_IN_LIST = 500;
    private static final String COLUMNS = "global_index, aggregate_identifier, sequence_number, payload_type, "
            + "payload_revision, time_stamp, payload, meta_data";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final String payloadAsText;

    /** A page: its entries and the position to pass as {@code after} for the next, or null at the end. */
    public record Page(List<AuditEntry> data, Long next) {
    }

    public AuditLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        this.json = new ObjectMapper();
        String vendor = jdbc.execute((ConnectionCallback<String>) c -> c.getMetaData().getDatabaseProductName());
        // only to narrow a room name's lookup in the database; every candidate is checked in Java
        this.payloadAsText = vendor == null ? null
                : vendor.startsWith("H2") ? "utf8tostring(payload)"
                : vendor.startsWith("PostgreSQL") ? "convert_from(payload, 'UTF8')"
                : null;
    }

    public Page page(AuditQuery query) {
        int limit = query.limit();
        List<AuditEntry> entries = new ArrayList<>();
        boolean more = scan(query, entry -> {
            if (entries.size() == limit) {
                return false;
            }
            entries.add(entry);
            return true;
        });
        return new Page(entries, more && !entries.isEmpty() ? entries.get(entries.size() - 1).position() : null);
    }

    /**
     * Hands every matching entry, in order, to {@code sink} (up to the query's limit, if any)
     * and returns how many. The sink may throw to stop (a client that went away).
     */
    public long export(AuditQuery query, java.util.function.Consumer<AuditEntry> sink) {
        long[] count = {0};
        Integer limit = query.limit();
        scan(query, entry -> {
            if (limit != null && count[0] == limit) {
                return false;
            }
            sink.accept(entry);
            count[0]++;
            return true;
        });
        return count[0];
    }

    /** Walks the matching entries in order; returns true if the sink stopped it before the end. */
    private boolean scan(AuditQuery query, Predicate<AuditEntry> sink) {
        Set<String> aggregates = null;
        if (query.roomName() != null) {
            aggregates = aggregatesOf(query.roomName());
            if (aggregates.isEmpty()) {
                return false;
            }
        }
        List<Object> fixedArgs = new ArrayList<>();
        StringBuilder where = new StringBuilder();
        if (!query.types().isEmpty()) {
            where.append(" and payload_type in (").append(placeholders(query.types().size())).append(')');
            fixedArgs.addAll(query.types());
        }
        if (query.from() != null && secondText(query.from()) != null) {
            // text at or after the whole second of from: a superset, exact check below
            where.append(" and time_stamp >= ?");
            fixedArgs.add(secondText(query.from()));
        }
        if (query.to() != null && secondText(query.to()) != null) {
            where.append(" and time_stamp < ?");
            fixedArgs.add(secondText(query.to()) + "~"); // '~' sorts after '.', digits and 'Z'
        }
        if (aggregates != null && aggregates.size() <= MAX_IN_LIST) {
            where.append(" and aggregate_identifier in (").append(placeholders(aggregates.size())).append(')');
            fixedArgs.addAll(aggregates);
        }
        String sql = "select " + COLUMNS + " from domain_event_entry where global_index > ?" + where
                + " order by global_index limit " + CHUNK;
        Set<String> inJava = aggregates != null && aggregates.size() > MAX_IN_LIST ? aggregates : null;

        long after = query.after();
        while (true) {
            List<Object> args = new ArrayList<>(fixedArgs.size() + 1);
            args.add(after);
            args.addAll(fixedArgs);
            List<Row> rows = chunk(sql, args.toArray());
            for (Row row : rows) {
                after = row.position;
                if (inJava != null && !inJava.contains(row.aggregateId)) {
                    continue;
                }
                Instant at = DateTimeUtils.parseInstant(row.timeStamp);
                if ((query.from() != null && at.isBefore(query.from())) || (query.to() != null && !at.isBefore(query.to()))) {
                    continue;
                }
                if (!sink.test(entry(row, at))) {
                    return true;
                }
            }
            if (rows.size() < CHUNK) {
                return false;
            }
        }
    }

    private record Row(long position, String aggregateId, long sequence, String payloadType, String revision,
                       String timeStamp, byte[] payload, byte[] metaData) {
    }

    private List<Row> chunk(String sql, Object[] args) {
        List<Row> rows = new ArrayList<>(CHUNK);
        jdbc.query(con -> {
            var ps = con.prepareStatement(sql);
            ps.setFetchSize(CHUNK);
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps;
        }, (ResultSet rs) -> {
            rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                    rs.getString(6), rs.getBytes(7), rs.getBytes(8)));
        });
        return rows;
    }

    private AuditEntry entry(Row row, Instant at) {
        JsonNode payload = read(row.payload);
        JsonNode meta = row.metaData == null ? null : read(row.metaData);
        String type = row.payloadType.substring(row.payloadType.lastIndexOf('.') + 1);
        return new AuditEntry(row.position, type, row.revision, at.toString(), text(meta, "actor"), text(meta, "request_id"),
                roomName(row.payloadType, payload), row.aggregateId, row.sequence, payload);
    }

    private static String roomName(String payloadType, JsonNode payload) {
        String name = text(payload, "name");
        if (name == null && TokenIssued.class.getName().equals(payloadType)) {
            name = text(payload.get("claims"), "room_name");
        }
        return name;
    }

    /**
     * The aggregates in a room name's history: every room generation created under the name,
     * every token issued for it.
     */
    Set<String> aggregatesOf(String roomName) {
        Set<String> ids = new HashSet<>();
        String roomType = RoomCreated.class.getName();
        String tokenType = TokenIssued.class.getName();
        String sql = "select aggregate_identifier, payload_type, payload from domain_event_entry where payload_type in (?, ?)";
        List<Object> args = new ArrayList<>(List.of(roomType, tokenType));
        if (payloadAsText != null) {
            sql += " and (" + payloadAsText + " like ? escape '\\' or " + payloadAsText + " like ? escape '\\')";
            args.add("%\"name\":\"" + likeEscaped(roomName) + "\"%");
            args.add("%\"room_name\":\"" + likeEscaped(roomName) + "\"%");
        }
        jdbc.query(sql, (ResultSet rs) -> {
            JsonNode payload = read(rs.getBytes(3));
            String named = roomType.equals(rs.getString(2)) ? text(payload, "name") : text(payload.get("claims"), "room_name");
            if (roomName.equals(named)) {
                ids.add(rs.getString(1));
            }
        }, args.toArray());
        return Collections.unmodifiableSet(ids);
    }

    private JsonNode read(byte[] bytes) {
        try {
            return json.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("a stored payload or metadata is not JSON", e);
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    /** "yyyy-MM-ddTHH:mm:ss" of the instant's second, or null outside years 0000-9999 (then Java alone filters). */
    private static String secondText(Instant at) {
        String text = at.truncatedTo(ChronoUnit.SECONDS).toString();
        return text.length() == 20 && text.charAt(4) == '-' ? text.substring(0, 19) : null;
    }

    private static String likeEscaped(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String placeholders(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
