package io.roomgate.app.evolution;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store written before members and meeting tokens had typed streams (their events under the
 * plain member id or jti): the shipped migrations {@code V3__typed_stream_ids} and
 * {@code V220__typed_stream_positions} move those events, and the view's positions for them, to
 * {@code member:<id>} and {@code token:<jti>}, and leave rooms alone.
 */
class TypedStreamIdsMigrationTest {

    @Test
    void events_and_positions_stored_under_plain_ids_move_to_their_typed_streams() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:typed-streams-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/h2").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);

        String room = UUID.randomUUID().toString();
        // as the code before the typed streams stored them: a member "alice", a token "t-1", a room
        insert(jdbc, "alice", 0, "Member", "io.roomgate.events.MemberAdded");
        insert(jdbc, "alice", 1, "Member", "io.roomgate.events.MemberRemoved");
        insert(jdbc, "t-1", 0, "MeetingToken", "io.roomgate.events.TokenIssued");
        insert(jdbc, "t-1", 1, "MeetingToken", "io.roomgate.events.TokenRevoked");
        insert(jdbc, room, 0, "Room", "io.roomgate.events.RoomCreated");
        for (String id : List.of("alice", "t-1", room)) {
            jdbc.update("insert into view_position (aggregate_id, seq) values (?, ?)", id, id.equals(room) ? 0 : 1);
        }

        try (Connection c = ds.getConnection()) {
            ScriptUtils.executeSqlScript(c, new ClassPathResource("db/migration/h2/V3__typed_stream_ids.sql"));
            ScriptUtils.executeSqlScript(c, new ClassPathResource("db/migration/h2/V220__typed_stream_positions.sql"));
        }

        assertThat(jdbc.queryForList("select aggregate_identifier || '#' || sequence_number from domain_event_entry "
                + "order by aggregate_identifier, sequence_number", String.class))
                .containsExactlyInAnyOrder("member:alice#0", "member:alice#1", room + "#0", "token:t-1#0", "token:t-1#1");
        assertThat(jdbc.queryForList("select aggregate_id || '#' || seq from view_position order by aggregate_id", String.class))
                .containsExactlyInAnyOrder("member:alice#1", room + "#0", "token:t-1#1");
    }

    private static void insert(JdbcTemplate jdbc, String aggregateId, long sequence, String aggregateType, String payloadType) {
        jdbc.update("insert into domain_event_entry (global_index, sequence_number, meta_data, payload, aggregate_identifier, "
                        + "event_identifier, payload_revision, payload_type, time_stamp, type) "
                        + "values (next value for domain_event_entry_seq, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                sequence, "{}".getBytes(StandardCharsets.UTF_8), "{}".getBytes(StandardCharsets.UTF_8), aggregateId,
                UUID.randomUUID().toString(), "1", payloadType, Instant.now().toString(), aggregateType);
    }
}
