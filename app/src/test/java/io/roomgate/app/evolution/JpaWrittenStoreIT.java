package io.roomgate.app.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateApplication;
import io.roomgate.app.Waiting;
import io.roomgate.app.postgres.ScenariosOnPostgres;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18: a database whose events, snapshots and tokens the JPA event store and token store
 * wrote keeps working on the JDBC ones. The fixture {@code evolution/jpa-written-store.json} is
 * every row of such a database as roomgate bc3759d (the last JPA one) left it after a little
 * traffic ({@link JpaStoreFixture}): ten events, a room's snapshot, the processors' tokens, the
 * view's tables, a pending knock's deadline. Here it goes into a database migrated as that
 * roomgate migrated it (V1–V4 and the services' migrations, not V5), today's roomgate starts on
 * it and Flyway adds V5. Then:
 * <ul>
 * <li>the aggregates load from the JPA-written snapshot and events: the room's owner approves the
 * knock that was pending;</li>
 * <li>new events take positions above every stored one (V5's default, from the sequence);</li>
 * <li>the processors go on from the tokens the JPA store wrote: the view applies the approval,
 * and never reads a probe event stored at position 0, below every token (a processor that
 * started over would: it is what a rebuild, which reads every event, then applies).</li>
 * </ul>
 */
class JpaWrittenStoreIT {

    private static final String STATUS = "/v1/admin/projections/join-eligibility/status";
    private static final String REPLAY = "/v1/admin/projections/join-eligibility/replay";

    @TempDir
    Path dir;

    @Test
    void events_snapshots_and_tokens_the_jpa_stores_wrote_carry_on_after_v5() throws Exception {
        JsonNode fixture;
        try (InputStream in = getClass().getResourceAsStream("/evolution/jpa-written-store.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
        String url = "jdbc:h2:mem:jpa-written-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        String probeRoom = Api.uniqueName("probe");
        long storedHead;
        int storedEvents;
        List<Object[]> storedTokens;
        try (Connection c = ScenariosOnPostgres.connection(url)) {
            migrateAsBeforeV5(c);
            load(c, fixture);
            JdbcTemplate jdbc = new JdbcTemplate(new SingleConnectionDataSource(c, true));
            storedHead = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
            storedEvents = jdbc.queryForObject("select count(*) from domain_event_entry", Integer.class);
            storedTokens = jdbc.query("select segment, token, token_type from token_entry where processor_name = ?",
                    (rs, i) -> new Object[]{rs.getInt(1), rs.getBytes(2), rs.getString(3)}, "join-eligibility");
            storeProbeAtPositionZero(jdbc, probeRoom);
        }
        String knock = fixture.get("pending_knock").asText();

        try (ConfigurableApplicationContext app = start(url)) {
            Api api = Api.of(app);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            Map<Integer, Long> stored = new TreeMap<>();
            for (Object[] token : storedTokens) {
                stored.put((Integer) token[0], position(app.getBean(Serializer.class), (byte[]) token[1], (String) token[2]));
            }
            assertThat(stored).as("the view's segments in the fixture").hasSize(2);
            assertThat(jdbc.queryForObject("select count(*) from \"flyway_schema_history\" where \"version\" = '5' and \"success\"",
                    Integer.class)).as("V5 applied on start").isEqualTo(1);
            assertThat(api.get("/v1/rooms/jpa-private", Api.ADMIN).status()).isEqualTo(200);

            // the room loads from the JPA engine's snapshot and events: its owner is in, its knock pending
            Api.Answer approved = api.post("/v1/knocks/" + knock + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner\"}");
            assertThat(approved.status()).as(approved.raw()).isEqualTo(200);

            // appended above every position the JPA engine took
            Long approval = jdbc.queryForObject("select global_index from domain_event_entry where payload_type = ?",
                    Long.class, "io.roomgate.events.KnockApproved");
            assertThat(approval).isGreaterThan(storedHead);
            assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where global_index <= ?", Integer.class, storedHead))
                    .as("the stored events, and the probe").isEqualTo(storedEvents + 1);

            // the view's processor went on from the JPA store's tokens: it applies the approval...
            Waiting.waitUntil("the view applies the approval", Duration.ofSeconds(30),
                    () -> "approved".equals(api.get("/v1/knocks/" + knock, Api.JOIN).text("status")));
            assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
            Map<Integer, Long> resumed = segmentPositions(jdbc, app.getBean(Serializer.class));
            assertThat(resumed.keySet()).isEqualTo(stored.keySet());
            stored.forEach((segment, position) -> assertThat(resumed.get(segment)).as("segment %d", segment).isGreaterThanOrEqualTo(position));
            assertThat(resumed.values()).as("the segment that applied the approval").anySatisfy(p -> assertThat(p).isGreaterThanOrEqualTo(approval));
            // ...and never read what lies below them
            assertThat(api.get("/v1/rooms/" + probeRoom, Api.ADMIN).status()).as("the probe below every token").isEqualTo(404);

            // a rebuild reads every event from the start through the JDBC engine: the JPA-written ones and the probe
            Api.Answer replay = api.post(REPLAY, Api.ADMIN, "");
            assertThat(replay.status()).as(replay.raw()).isEqualTo(202);
            Waiting.waitUntil("the rebuild is done", Duration.ofMinutes(2),
                    () -> !api.get(STATUS, Api.ADMIN).body().get("replaying").asBoolean());
            JsonNode status = api.get(STATUS, Api.ADMIN).body();
            assertThat(status.get("state").asText()).as(status.toString()).isEqualTo("done");
            assertThat(status.get("events_applied").asLong()).isEqualTo(api.eventCount());
            assertThat(api.get("/v1/rooms/" + probeRoom, Api.ADMIN).status()).isEqualTo(200);
            assertThat(api.get("/v1/knocks/" + knock, Api.JOIN).text("status")).isEqualTo("approved");
        }
    }

    /** Each segment's stored position of the view's processor. */
    private static Map<Integer, Long> segmentPositions(JdbcTemplate jdbc, Serializer serializer) {
        Map<Integer, Long> positions = new TreeMap<>();
        jdbc.query("select segment, token, token_type from token_entry where processor_name = ?",
                rs -> {
                    positions.put(rs.getInt(1), position(serializer, rs.getBytes(2), rs.getString(3)));
                }, "join-eligibility");
        return positions;
    }

    /** A stored token's position, deserialized as the token store does. */
    private static long position(Serializer serializer, byte[] token, String type) {
        return serializer.<byte[], GapAwareTrackingToken>deserialize(new SimpleSerializedObject<>(token, byte[].class, type, null)).getIndex();
    }

    private ConfigurableApplicationContext start(String url) {
        // as arguments: builder.properties(...) are only defaults, and application.yml's url and port win over them
        return new SpringApplicationBuilder(RoomgateApplication.class)
                .profiles("test")
                .run("--server.port=0", "--spring.datasource.url=" + url, "--roomgate.room-url-base=https://rooms.test/");
    }

    /** Every migration roomgate ships but V5, applied by Flyway as the JPA roomgate's start applied them. */
    private void migrateAsBeforeV5(Connection c) throws Exception {
        String vendor = c.getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL") ? "postgresql" : "h2";
        Path before = Files.createDirectories(dir.resolve("migrations-" + vendor));
        for (Resource script : new PathMatchingResourcePatternResolver().getResources("classpath*:db/migration/" + vendor + "/*.sql")) {
            if (!script.getFilename().startsWith("V5__")) {
                try (InputStream in = script.getInputStream()) {
                    Files.write(before.resolve(script.getFilename()), in.readAllBytes());
                }
            }
        }
        Flyway.configure().dataSource(new SingleConnectionDataSource(c, true))
                .locations("filesystem:" + before.toAbsolutePath()).load().migrate();
    }

    /** The fixture's rows, into the tables of the same names (bytes as hex, times with their offset). */
    private static void load(Connection c, JsonNode fixture) throws Exception {
        for (JsonNode table : fixture.get("tables")) {
            List<String> names = new ArrayList<>();
            List<String> types = new ArrayList<>();
            table.get("columns").forEach(column -> {
                names.add(column.get("name").asText());
                types.add(column.get("type").asText());
            });
            String sql = "insert into " + table.get("name").asText() + " (" + String.join(", ", names) + ") values ("
                    + String.join(", ", Collections.nCopies(names.size(), "?")) + ")";
            for (JsonNode row : table.get("rows")) {
                try (PreparedStatement insert = c.prepareStatement(sql)) {
                    for (int i = 0; i < names.size(); i++) {
                        JsonNode value = row.get(i);
                        int parameter = i + 1;
                        if (value.isNull()) {
                            insert.setObject(parameter, null, java.sql.JDBCType.valueOf(types.get(i)).getVendorTypeNumber());
                            continue;
                        }
                        switch (types.get(i)) {
                            case "VARBINARY", "BINARY", "LONGVARBINARY", "BLOB" -> insert.setBytes(parameter, HexFormat.of().parseHex(value.asText()));
                            case "TIMESTAMP_WITH_TIMEZONE" -> insert.setObject(parameter, OffsetDateTime.parse(value.asText()));
                            case "BIGINT" -> insert.setLong(parameter, value.asLong());
                            case "INTEGER", "SMALLINT" -> insert.setInt(parameter, value.asInt());
                            case "BOOLEAN" -> insert.setBoolean(parameter, value.asBoolean());
                            default -> insert.setString(parameter, value.asText());
                        }
                    }
                    insert.executeUpdate();
                }
            }
        }
    }

    /** A copy of the public room's creation under a new id and name, stored at position 0 as the JPA engine stored it. */
    private static void storeProbeAtPositionZero(JdbcTemplate jdbc, String name) {
        Map<String, Object> created = jdbc.queryForMap("select * from domain_event_entry where aggregate_identifier = "
                + "(select room_id from view_room where name = 'jpa-public')");
        String roomId = (String) created.get("aggregate_identifier");
        String probeId = UUID.randomUUID().toString();
        String payload = new String((byte[]) created.get("payload"), StandardCharsets.UTF_8)
                .replace(roomId, probeId).replace("\"jpa-public\"", "\"" + name + "\"");
        jdbc.update("insert into domain_event_entry (global_index, sequence_number, meta_data, payload, aggregate_identifier, "
                        + "event_identifier, payload_revision, payload_type, time_stamp, type) values (0, 0, ?, ?, ?, ?, ?, ?, ?, ?)",
                created.get("meta_data"), payload.getBytes(StandardCharsets.UTF_8), probeId, UUID.randomUUID().toString(),
                created.get("payload_revision"), created.get("payload_type"), created.get("time_stamp"), created.get("type"));
    }
}
