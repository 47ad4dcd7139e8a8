package io.roomgate.app.evolution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateApplication;
import io.roomgate.app.Waiting;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.JDBCType;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the fixture {@code evolution/jpa-written-store.json} of {@link JpaWrittenStoreIT}: run at
 * commit bc3759d (the last one whose event store and token store were JPA's), it starts roomgate
 * on an H2 file, sends a little traffic, stops it and writes every row of every table but
 * Flyway's history. Not a test; run by hand with the test classpath:
 * {@code java -cp ... io.roomgate.app.evolution.JpaStoreFixture <dir>}.
 */
public final class JpaStoreFixture {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        String knock;
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RoomgateApplication.class).profiles("test")
                .run("--server.port=0", "--spring.datasource.url=" + url, "--roomgate.room-url-base=https://rooms.test/",
                        "--roomgate.snapshots.threshold=3", "--roomgate.knocks.pending-timeout=P3650D")) {
            Api api = Api.of(app);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            ok(api.createRoom("{\"name\":\"jpa-private\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}"));
            String owner = api.token("{\"room_name\":\"jpa-private\",\"is_owner\":true}");
            ok(api.post("/v1/rooms/jpa-private/participants", Api.JOIN, "{\"participant_id\":\"owner\",\"token\":\"" + owner + "\"}"));
            for (int i = 2; i <= 5; i++) {
                ok(api.post("/v1/rooms/jpa-private", Api.ADMIN, "{\"properties\":{\"max_participants\":" + i * 10 + "}}"));
            }
            knock = ok(api.post("/v1/rooms/jpa-private/knocks", Api.JOIN, "{\"user_name\":\"guest\"}")).text("id");
            ok(api.createRoom("{\"name\":\"jpa-public\"}"));
            ok(api.put("/v1/members/jpa-member", Api.ADMIN));
            Waiting.waitUntil("the view has the knock", Duration.ofSeconds(30),
                    () -> api.get("/v1/knocks/" + knock, Api.JOIN).status() == 200);
            Waiting.waitUntil("a snapshot of the room", Duration.ofSeconds(30),
                    () -> jdbc.queryForObject("select count(*) from snapshot_event_entry", Integer.class) > 0);
        }
        Map<String, Object> fixture = new LinkedHashMap<>();
        fixture.put("written_by", "roomgate bc3759d (JPA event and token stores), JpaStoreFixture");
        fixture.put("pending_knock", knock);
        List<Object> tables = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, "PUBLIC", null, new String[]{"TABLE"})) {
                while (rs.next()) {
                    names.add(rs.getString("TABLE_NAME").toLowerCase());
                }
            }
            names.remove("flyway_schema_history");
            names.sort(null);
            for (String name : names) {
                Map<String, Object> table = new LinkedHashMap<>();
                List<Map<String, String>> columns = new ArrayList<>();
                List<List<Object>> rows = new ArrayList<>();
                try (ResultSet rs = c.createStatement().executeQuery("select * from " + name)) {
                    ResultSetMetaData md = rs.getMetaData();
                    for (int i = 1; i <= md.getColumnCount(); i++) {
                        columns.add(Map.of("name", md.getColumnName(i).toLowerCase(), "type", JDBCType.valueOf(md.getColumnType(i)).getName()));
                    }
                    while (rs.next()) {
                        List<Object> row = new ArrayList<>();
                        for (int i = 1; i <= md.getColumnCount(); i++) {
                            int type = md.getColumnType(i);
                            Object value;
                            if (type == Types.BINARY || type == Types.VARBINARY || type == Types.LONGVARBINARY || type == Types.BLOB) {
                                byte[] bytes = rs.getBytes(i);
                                value = bytes == null ? null : HexFormat.of().formatHex(bytes);
                            } else if (type == Types.TIMESTAMP_WITH_TIMEZONE) {
                                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                                value = t == null ? null : t.toString();
                            } else {
                                value = rs.getObject(i);
                            }
                            row.add(value);
                        }
                        rows.add(row);
                    }
                }
                table.put("name", name);
                table.put("columns", columns);
                table.put("rows", rows);
                tables.add(table);
            }
        }
        fixture.put("tables", tables);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve("jpa-written-store.json").toFile(), fixture);
        System.exit(0);
    }

    private static Api.Answer ok(Api.Answer answer) {
        if (answer.status() != 200) {
            throw new IllegalStateException(answer.status() + " " + answer.raw());
        }
        return answer;
    }
}
