package io.roomgate.app.evolution;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.RoomCreated;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A store that holds events written at an old revision still builds the view: a room and a
 * revision-1 KnockRequested are written as raw rows, exactly as the old code stored them, and
 * the running projection (through the event store's upcaster chain) applies them like new ones.
 */
@RoomgateTest
class RevisionOneEventsIT extends WithEmbeddedApp {

    @Test
    void a_revision_1_knock_in_the_store_is_applied_to_the_view() throws Exception {
        String roomId = UUID.randomUUID().toString();
        String knockId = UUID.randomUUID().toString();
        String name = Api.uniqueName("old");
        insert(roomId, 0, RoomCreated.class, "1", "{\"room_id\":\"" + roomId + "\",\"name\":\"" + name + "\",\"privacy\":\"private\","
                + "\"properties\":{\"nbf\":null,\"exp\":null,\"max_participants\":null,\"enable_knocking\":true,\"eject_at_room_exp\":false,"
                + "\"eject_after_elapsed\":null,\"enforce_unique_user_ids\":false,\"other\":{}}}");
        insert(roomId, 1, KnockRequested.class, "1", "{\"room_id\":\"" + roomId + "\",\"name\":\"" + name + "\",\"knock_id\":\""
                + knockId + "\",\"user_name\":\"Ada\",\"expires_at\":\"" + Instant.now().plusSeconds(600) + "\"}");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Api.Answer knock = api.get("/v1/knocks/" + knockId, Api.JOIN);
        while (knock.status() != 200 && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            knock = api.get("/v1/knocks/" + knockId, Api.JOIN);
        }
        assertThat(knock.status()).isEqualTo(200);
        assertThat(knock.text("user_name")).isEqualTo("Ada");
        assertThat(knock.text("status")).isEqualTo("pending");
        assertThat(api.joinCheck("{\"room_name\":\"" + name + "\",\"knock_id\":\"" + knockId + "\"}", null).text("reason"))
                .isEqualTo("knock-pending");
    }

    private void insert(String aggregateId, long sequence, Class<?> type, String revision, String json) {
        boolean postgres = Boolean.TRUE.equals(jdbc.execute((java.sql.Connection c) ->
                c.getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL")));
        String nextIndex = postgres ? "nextval('domain_event_entry_seq')" : "next value for domain_event_entry_seq";
        jdbc.update("insert into domain_event_entry (global_index, sequence_number, meta_data, payload, aggregate_identifier, "
                        + "event_identifier, payload_revision, payload_type, time_stamp, type) "
                        + "values (" + nextIndex + ", ?, ?, ?, ?, ?, ?, ?, ?, 'Room')",
                sequence, "{}".getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8), aggregateId,
                UUID.randomUUID().toString(), revision, type.getName(), Instant.now().toString());
    }
}
