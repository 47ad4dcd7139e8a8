package io.roomgate.bench.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import io.roomgate.events.Admission;
import io.roomgate.events.EventJson;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.StreamIds;
import io.roomgate.events.TokenIssued;
import org.axonframework.messaging.MetaData;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.UUID;

/**
 * Writes events straight into a stopped app's event store, serialized exactly as the app
 * serializes them (Axon's JacksonSerializer on {@link EventJson}'s mapper, with metadata), and
 * the command side's {@code live_room} rows for the rooms, so the aggregates load and the
 * projection builds its view from them on the next start. Much faster than the HTTP API: it is
 * how the benchmarks get 10^5-10^7 events in minutes.
 *
 * <pre>
 * generate --dir D --rooms N [--cycles C] [--heavy-events H] [--marker NAME] [--view direct]
 * </pre>
 * Each room: RoomCreated, then C × (TokenIssued, ParticipantJoined, ParticipantLeft). With
 * {@code --heavy-events H} one more public room {@code bench-heavy} gets H events (RoomCreated and
 * join/leave pairs). {@code --marker NAME} appends one last RoomCreated (a public room): when a
 * join check on it stops answering room-not-found, the view has applied everything.
 * {@code --view direct} also writes the view's rows (view_room) and moves the join-eligibility
 * processor's tokens to the head, so the app starts with the view built without replaying (for
 * the scale rows, where only the read path is measured).
 * {@code --bulk-sql true} (for 10^6 rooms / 10^7 events): the same rows, but made by H2 itself
 * with INSERT ... SELECT FROM SYSTEM_RANGE from JSON templates that this class takes from the
 * real serializer (so payloads are what the app writes, ids are synthetic but well-formed);
 * always with the view written directly and the processor at the head.
 */
public final class GenerateEvents {

    private static final DateTimeFormatter AXON_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    public static void main(String[] argv) throws Exception {
        Args a = new Args(argv, 0);
        String dir = a.str("dir", ".");
        int rooms = a.integer("rooms", 100_000);
        int cycles = a.integer("cycles", 0);
        int heavy = a.integer("heavy-events", 0);
        String marker = a.str("marker", null);
        boolean directView = "direct".equals(a.str("view", "projection"));
        boolean bulkSql = "true".equals(a.str("bulk-sql", "false"));
        String url = Db.url(dir);
        long t0 = System.nanoTime();
        try (HikariDataSource ds = Db.open(url, 2)) {
            Db.migrate(ds, "h2");
            if (bulkSql) {
                new GenerateEvents(ds).bulkSql(rooms, cycles, a.integer("chunk", 50_000));
            } else {
                new GenerateEvents(ds).run(rooms, cycles, heavy, marker, directView);
            }
        }
        System.out.printf("generated in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    }

    private final HikariDataSource ds;
    /**
     * As the app's event serializer ({@code StoreConfiguration.eventSerializer}): keep the two in
     * step. Since d55c870 events are stored without Jackson default typing; the 2026-11-27 runs in
     * BENCHMARKS.md were made on 7f151b0, whose event serializer still had it (system property
     * {@code BENCH_JAVA_OPTS=-Dbench.defaultTyping=true} reproduces that).
     */
    private final Serializer serializer = Boolean.getBoolean("bench.defaultTyping")
            ? JacksonSerializer.builder().objectMapper(EventJson.newMapper()).defaultTyping().build()
            : JacksonSerializer.builder().objectMapper(EventJson.newMapper()).build();
    private final ObjectMapper json = EventJson.newMapper();
    private long globalIndex;
    private long events;
    private PreparedStatement insert;
    private PreparedStatement liveRoom;
    private PreparedStatement viewRoom;
    private byte[] metaData;
    private Connection con;
    private final Instant base = Instant.now().minusSeconds(86_400);

    private GenerateEvents(HikariDataSource ds) {
        this.ds = ds;
    }

    private void run(int rooms, int cycles, int heavy, String marker, boolean directView) throws Exception {
        con = ds.getConnection();
        con.setAutoCommit(false);
        try (Statement s = con.createStatement(); ResultSet rs = s.executeQuery("select coalesce(max(global_index), 0) from domain_event_entry")) {
            rs.next();
            globalIndex = rs.getLong(1);
        }
        long startIndex = globalIndex;
        insert = con.prepareStatement("insert into domain_event_entry (global_index, sequence_number, meta_data, payload, "
                + "aggregate_identifier, event_identifier, payload_revision, payload_type, time_stamp, type) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        liveRoom = con.prepareStatement("insert into live_room (name, room_id, privacy, properties, created_at) values (?, ?, ?, ?, ?)");
        viewRoom = con.prepareStatement("insert into view_room (room_id, name, live, privacy, properties, enable_knocking, "
                + "present_count, created_at) values (?, ?, true, ?, ?, false, 0, ?)");
        metaData = serializer.serialize(MetaData.from(Map.of("actor", "bench-generator", "traceId", UUID.randomUUID().toString(),
                "correlationId", UUID.randomUUID().toString())), byte[].class).getData();
        String props = json.writeValueAsString(RoomProperties.defaults());
        long exp = Instant.now().getEpochSecond() + 30L * 86_400;
        int pending = 0;
        for (int r = 0; r < rooms; r++) {
            String name = "bench-room-" + r;
            String roomId = roomId(name);
            Privacy privacy = r % 2 == 0 ? Privacy.PUBLIC : Privacy.PRIVATE;
            room(roomId, name, privacy, props, directView);
            long seq = 1;
            for (int c = 0; c < cycles; c++) {
                String jti = UUID.randomUUID().toString();
                String user = "user-" + r + "-" + c;
                event(StreamIds.meetingToken(jti), 0, "MeetingToken", new TokenIssued(jti, "demo-1", new MeetingTokenClaims(name, exp, null, false,
                        null, user, false, null, false, Map.of(), Map.of()), false));
                String participant = "p-" + r + "-" + c;
                event(roomId, seq++, "Room", new ParticipantJoined(roomId, name, participant, null, user, Admission.token(jti),
                        false, false, null));
                event(roomId, seq++, "Room", new ParticipantLeft(roomId, name, participant));
            }
            if (events - pending >= 2_000) {
                insert.executeBatch();
                liveRoom.executeBatch();
                if (directView) viewRoom.executeBatch();
                con.commit();
                pending = (int) events;
            }
            if ((r + 1) % 100_000 == 0) {
                System.out.printf("%d rooms, %d events%n", r + 1, events);
            }
        }
        if (heavy > 0) {
            String name = "bench-heavy";
            String roomId = roomId(name);
            room(roomId, name, Privacy.PUBLIC, props, directView);
            long seq = 1;
            for (int i = 1; i + 1 < heavy; i += 2) {
                String participant = "h-" + i;
                event(roomId, seq++, "Room", new ParticipantJoined(roomId, name, participant, null, null,
                        Admission.publicRoom(), false, false, null));
                event(roomId, seq++, "Room", new ParticipantLeft(roomId, name, participant));
                if (i % 2_000 == 1) {
                    insert.executeBatch();
                    con.commit();
                }
            }
            System.out.printf("heavy room %s (%s): %d events%n", name, roomId, seq);
        }
        if (marker != null) {
            room(roomId(marker), marker, Privacy.PUBLIC, props, false);
        }
        insert.executeBatch();
        liveRoom.executeBatch();
        if (directView) viewRoom.executeBatch();
        con.commit();
        try (Statement s = con.createStatement()) {
            s.execute("alter sequence domain_event_entry_seq restart with " + (globalIndex + 1));
            if (directView) {
                viewPositions(s, startIndex);
            }
            processorsAtHead(directView);
        }
        con.commit();
        con.close();
        System.out.printf("wrote %d events (global index %d..%d), %d rooms%s%n", events, startIndex + 1, globalIndex,
                rooms + (heavy > 0 ? 1 : 0) + (marker != null ? 1 : 0), directView ? ", view rows written directly, processor at head" : "");
    }

    // ---- bulk mode: H2 builds the rows itself

    private void bulkSql(int rooms, int cycles, int chunk) throws Exception {
        con = ds.getConnection();
        con.setAutoCommit(false);
        try (Statement s = con.createStatement(); ResultSet rs = s.executeQuery("select coalesce(max(global_index), 0) from domain_event_entry")) {
            rs.next();
            globalIndex = rs.getLong(1);
        }
        long base = globalIndex;
        int perRoom = 1 + 3 * cycles;
        metaData = serializer.serialize(MetaData.from(Map.of("actor", "bench-generator", "traceId", UUID.randomUUID().toString(),
                "correlationId", UUID.randomUUID().toString())), byte[].class).getData();
        String props = json.writeValueAsString(RoomProperties.defaults());
        long exp = Instant.now().getEpochSecond() + 30L * 86_400;
        String name = "'bench-room-' || X";
        String id = "'00000000-0000-4000-8000-' || LPAD(CAST(X AS VARCHAR), 12, '0')";
        String pub = template(new RoomCreated("§ID§", "§NAME§", Privacy.PUBLIC, RoomProperties.defaults()), Map.of("§ID§", id, "§NAME§", name));
        String priv = template(new RoomCreated("§ID§", "§NAME§", Privacy.PRIVATE, RoomProperties.defaults()), Map.of("§ID§", id, "§NAME§", name));
        String ts = "'" + AXON_TIME.format(base()) + "'";
        long t0 = System.nanoTime();
        for (int lo = 0; lo < rooms; lo += chunk) {
            int hi = Math.min(rooms, lo + chunk) - 1;
            String range = " from system_range(" + lo + ", " + hi + ")";
            String gi = base + " + X * " + perRoom + " + ";
            insertSelect(gi + "1", "0", "case when mod(X, 2) = 0 then " + pub + " else " + priv + " end", id,
                    RoomCreated.class, "Room", ts, range);
            for (int c = 0; c < cycles; c++) {
                String jti = "'tok-' || X || '-" + c + "'";
                String participant = "'p-' || X || '-" + c + "'";
                String user = "'user-' || X || '-" + c + "'";
                insertSelect(gi + (2 + 3 * c), "0", template(new TokenIssued("§JTI§", "demo-1", new MeetingTokenClaims("§NAME§", exp, null,
                        false, null, "§USER§", false, null, false, Map.of(), Map.of()), false),
                        Map.of("§JTI§", jti, "§NAME§", name, "§USER§", user)), "'" + StreamIds.meetingToken("") + "' || " + jti,
                        TokenIssued.class, "MeetingToken", ts, range);
                insertSelect(gi + (3 + 3 * c), String.valueOf(2 * c + 1), template(new ParticipantJoined("§ID§", "§NAME§", "§P§", null, "§USER§",
                        Admission.token("§JTI§"), false, false, null), Map.of("§ID§", id, "§NAME§", name, "§P§", participant, "§USER§", user,
                        "§JTI§", jti)), id, ParticipantJoined.class, "Room", ts, range);
                insertSelect(gi + (4 + 3 * c), String.valueOf(2 * c + 2), template(new ParticipantLeft("§ID§", "§NAME§", "§P§"),
                        Map.of("§ID§", id, "§NAME§", name, "§P§", participant)), id, ParticipantLeft.class, "Room", ts, range);
            }
            try (PreparedStatement p = con.prepareStatement("insert into live_room (name, room_id, privacy, properties, created_at) select "
                    + name + ", " + id + ", case when mod(X, 2) = 0 then 'public' else 'private' end, ?, current_timestamp" + range)) {
                p.setString(1, props);
                p.executeUpdate();
            }
            try (PreparedStatement p = con.prepareStatement("insert into view_room (room_id, name, live, privacy, properties, enable_knocking, "
                    + "present_count, created_at) select " + id + ", " + name + ", true, case when mod(X, 2) = 0 then 'public' else 'private' end, "
                    + "?, false, 0, current_timestamp" + range)) {
                p.setString(1, props);
                p.executeUpdate();
            }
            con.commit();
            System.out.printf("%d rooms, %d events, %.0f s%n", hi + 1, (long) (hi + 1) * perRoom, (System.nanoTime() - t0) / 1e9);
        }
        globalIndex = base + (long) rooms * perRoom;
        events = (long) rooms * perRoom;
        try (Statement s = con.createStatement()) {
            s.execute("alter sequence domain_event_entry_seq restart with " + (globalIndex + 1));
            viewPositions(s, base);
        }
        processorsAtHead(true);
        con.commit();
        con.close();
        System.out.printf("wrote %d events (global index %d..%d), %d rooms (bulk SQL), view rows written directly, processor at head%n",
                events, base + 1, globalIndex, rooms);
    }

    /**
     * Event processors at the head of the written events, as on a system that has been running:
     * always the command side's {@code webhooks} processor (else it would walk the whole history
     * during the measurement, competing for the CPU; on a running system it is at the head), and
     * with the view written directly also the view's processor (2 segments).
     */
    private void processorsAtHead(boolean view) throws Exception {
        String token = "{\"index\":" + globalIndex + ",\"gaps\":[\"java.util.Collections$UnmodifiableSortedSet\",[]]}";
        Map<String, Integer> processors = view ? Map.of("webhooks", 1, "join-eligibility", 2) : Map.of("webhooks", 1);
        try (PreparedStatement delete = con.prepareStatement("delete from token_entry where processor_name = ?");
             PreparedStatement insert = con.prepareStatement("insert into token_entry (segment, token, owner, processor_name, "
                     + "timestamp, token_type) values (?, ?, null, ?, ?, 'org.axonframework.eventhandling.GapAwareTrackingToken')")) {
            for (Map.Entry<String, Integer> processor : processors.entrySet()) {
                delete.setString(1, processor.getKey());
                delete.executeUpdate();
                for (int segment = 0; segment < processor.getValue(); segment++) {
                    insert.setInt(1, segment);
                    insert.setBytes(2, token.getBytes(StandardCharsets.UTF_8));
                    insert.setString(3, processor.getKey());
                    insert.setString(4, AXON_TIME.format(Instant.now()));
                    insert.executeUpdate();
                }
            }
        }
    }

    /**
     * The view's read-your-writes rows for the events written here, as the projection would have
     * recorded them: without them a join check with a consistency token finds every generated
     * event "not yet applied" and waits its full bound (the app's ViewPositions).
     */
    private void viewPositions(Statement s, long after) throws Exception {
        s.execute("merge into view_position (aggregate_id, seq) key (aggregate_id) select aggregate_identifier, max(sequence_number) "
                + "from domain_event_entry where global_index > " + after + " group by aggregate_identifier");
    }

    private Instant base() {
        return base;
    }

    private void insertSelect(String globalIndexExpr, String seqExpr, String payloadExpr, String aggregateExpr, Class<?> type,
                              String aggregateType, String ts, String range) throws Exception {
        SerializedObject<byte[]> sample = serializer.serialize(type == RoomCreated.class
                ? new RoomCreated("x", "x", Privacy.PUBLIC, RoomProperties.defaults()) : type == ParticipantLeft.class
                ? new ParticipantLeft("x", "x", "x") : type == ParticipantJoined.class
                ? new ParticipantJoined("x", "x", "x", null, null, Admission.publicRoom(), false, false, null)
                : new TokenIssued("x", "x", new MeetingTokenClaims(null, null, null, false, null, null, false, null, false, Map.of(), Map.of()), false),
                byte[].class);
        String sql = "insert into domain_event_entry (global_index, sequence_number, meta_data, payload, aggregate_identifier, "
                + "event_identifier, payload_revision, payload_type, time_stamp, type) select " + globalIndexExpr + ", " + seqExpr
                + ", ?, stringtoutf8(" + payloadExpr + "), " + aggregateExpr + ", 'ev-' || (" + globalIndexExpr + "), '"
                + sample.getType().getRevision() + "', '" + sample.getType().getName() + "', " + ts + ", '" + aggregateType + "'" + range;
        try (PreparedStatement p = con.prepareStatement(sql)) {
            p.setBytes(1, metaData);
            p.executeUpdate();
        }
        con.commit();
    }

    /** The event's JSON as the app writes it, as a SQL string expression with the placeholders replaced by SQL expressions. */
    private String template(Object event, Map<String, String> placeholders) throws Exception {
        String text = new String(serializer.serialize(event, byte[].class).getData(), StandardCharsets.UTF_8).replace("'", "''");
        for (Map.Entry<String, String> e : placeholders.entrySet()) {
            text = text.replace(e.getKey(), "' || " + e.getValue() + " || '");
        }
        return "('" + text + "')";
    }

    static String roomId(String name) {
        return UUID.nameUUIDFromBytes(("room:" + name).getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void room(String roomId, String name, Privacy privacy, String props, boolean directView) throws Exception {
        Instant at = event(roomId, 0, "Room", new RoomCreated(roomId, name, privacy, RoomProperties.defaults()));
        liveRoom.setString(1, name);
        liveRoom.setString(2, roomId);
        liveRoom.setString(3, privacy.wireName());
        liveRoom.setString(4, props);
        liveRoom.setTimestamp(5, Timestamp.from(at));
        liveRoom.addBatch();
        if (directView) {
            viewRoom.setString(1, roomId);
            viewRoom.setString(2, name);
            viewRoom.setString(3, privacy.wireName());
            viewRoom.setString(4, props);
            viewRoom.setTimestamp(5, Timestamp.from(at));
            viewRoom.addBatch();
        }
    }

    private Instant event(String aggregateId, long seq, String type, Object payload) throws Exception {
        SerializedObject<byte[]> p = serializer.serialize(payload, byte[].class);
        Instant at = base.plusMillis(globalIndex);
        insert.setLong(1, ++globalIndex);
        insert.setLong(2, seq);
        insert.setBytes(3, metaData);
        insert.setBytes(4, p.getData());
        insert.setString(5, aggregateId);
        insert.setString(6, UUID.randomUUID().toString());
        insert.setString(7, p.getType().getRevision());
        insert.setString(8, p.getType().getName());
        insert.setString(9, AXON_TIME.format(at));
        insert.setString(10, type);
        insert.addBatch();
        events++;
        return at;
    }
}
