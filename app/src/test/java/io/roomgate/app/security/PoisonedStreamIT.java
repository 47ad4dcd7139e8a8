package io.roomgate.app.security;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Waiting;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomgate.app.Api;
import io.roomgate.events.KnockRequested;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, the drill: an event the view cannot apply (written straight to the store, as a
 * buggy writer or a hand edit would) poisons one room's stream. Before, the view stopped on it
 * for every room, forever. Now only that stream is quarantined: checks on another room answer
 * correctly throughout, every read about the poisoned room answers 503 (never a stale allow), its
 * later events are held, health and the status endpoint name it, a retry before the cause is
 * fixed changes nothing (409), a rebuild quarantines it the same way instead of failing, and
 * after the fix the operator's retry applies the held events and the room answers correctly.
 * Runs on H2 and, in the scenarios-on-postgresql run, on PostgreSQL.
 * <p>
 * The poison: a knock id longer than the view's column (64); the "fix" widens the column, as a
 * schema migration would. On a database of its own: the poison stays in that store for good.
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-poisoned;DB_CLOSE_DELAY=-1",
        // no periodic retry here: the operator's retries are what this test drives
        "roomgate.view.quarantine-retry-interval=PT0S"})
class PoisonedStreamIT extends WithEmbeddedApp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STATUS = "/v1/admin/projections/join-eligibility/status";

    @Test
    void one_poisoned_room_is_quarantined_the_others_are_served_and_a_retry_after_the_fix_restores_it() throws Exception {
        String poisoned = Api.uniqueName("poisoned");
        String healthy = Api.uniqueName("healthy");
        assertThat(api.createRoom("{\"name\":\"" + poisoned + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}").status()).isEqualTo(200);
        assertThat(api.createRoom("{\"name\":\"" + healthy + "\",\"privacy\":\"public\"}").status()).isEqualTo(200);
        assertThat(api.post("/v1/rooms/" + poisoned + "/knocks", Api.JOIN, "{\"user_name\":\"first\"}").status()).isEqualTo(200);
        String roomId = jdbc.queryForObject("select room_id from view_room where name = ?", String.class, poisoned);

        // checks on the healthy room run the whole time: every answer right, none a 5xx
        AtomicBoolean running = new AtomicBoolean(true);
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        int[] checked = new int[1];
        Thread checker = new Thread(() -> {
            while (running.get()) {
                Api.Answer a = api.joinCheck("{\"room_name\":\"" + healthy + "\"}", null);
                checked[0]++;
                if (a.status() != 200 || !"allow".equals(a.text("decision"))) {
                    wrong.add(a.status() + " " + a.raw());
                }
            }
        }, "healthy-room-checks");
        checker.start();
        try {
            String longKnock = "k".repeat(100);
            poison(roomId, longKnock);

            // the poisoned room: 503 on every read about it, never an answer from the half-applied stream
            Waiting.waitUntil("the stream quarantined", Duration.ofSeconds(20), () -> "view-quarantined".equals(
                    api.joinCheck("{\"room_name\":\"" + poisoned + "\"}", null).text("error")));
            Api.Answer check = api.joinCheck("{\"room_name\":\"" + poisoned + "\"}", null);
            assertThat(check.status()).isEqualTo(503);
            assertThat(check.text("error")).isEqualTo("view-quarantined");
            assertThat(api.get("/v1/rooms/" + poisoned, Api.ADMIN).status()).isEqualTo(503);
            assertThat(api.get("/v1/rooms/" + poisoned + "/presence", Api.ADMIN).status()).isEqualTo(503);
            assertThat(api.get("/v1/rooms/" + poisoned + "/knocks", Api.JOIN).status()).isEqualTo(503);

            // its later events are held, not applied: the room turned public still answers 503
            assertThat(api.post("/v1/rooms/" + poisoned, Api.ADMIN, "{\"privacy\":\"public\"}").status()).isEqualTo(200);
            assertThat(api.joinCheck("{\"room_name\":\"" + poisoned + "\"}", null).status()).isEqualTo(503);

            // health and the status endpoint name the stream, the room and why
            JsonNode health = JSON.readTree(api.get("/actuator/health", null).raw());
            assertThat(health.get("status").asText()).isEqualTo("DEGRADED");
            JsonNode view = health.get("components").get("joinEligibilityView");
            assertThat(view.get("details").get("quarantined").get(0).get("stream").asText()).isEqualTo(roomId);
            assertThat(view.get("details").get("quarantined").get(0).get("room_name").asText()).isEqualTo(poisoned);
            assertThat(view.get("details").get("quarantined").get(0).get("event_type").asText()).isEqualTo("KnockRequested");
            assertThat(view.get("details").get("quarantined").get(0).get("held_events").asLong()).isEqualTo(1);
            JsonNode listed = api.get(STATUS, Api.ADMIN).body().get("quarantined");
            assertThat(listed).hasSize(1);
            assertThat(listed.get(0).get("cause").asText()).isNotBlank();

            // a retry before the cause is fixed: 409 with the cause, and nothing changes
            Api.Answer early = api.post("/v1/admin/projections/join-eligibility/quarantine/" + roomId + "/retry", Api.ADMIN, "{}");
            assertThat(early.status()).as(early.raw()).isEqualTo(409);
            assertThat(api.joinCheck("{\"room_name\":\"" + poisoned + "\"}", null).status()).isEqualTo(503);

            // a rebuild meets the same event: it quarantines the stream in the rebuilt view and finishes
            assertThat(api.post("/v1/admin/projections/join-eligibility/replay", Api.ADMIN, "").status()).isEqualTo(202);
            Waiting.waitUntil("the rebuild finished", Duration.ofSeconds(120), () -> !List.of("rebuilding", "switching").contains(api.get(STATUS, Api.ADMIN).text("state")));
            JsonNode rebuilt = api.get(STATUS, Api.ADMIN).body();
            assertThat(rebuilt.get("state").asText()).as(rebuilt.toString()).isEqualTo("done");
            assertThat(rebuilt.get("quarantined").get(0).get("stream").asText()).isEqualTo(roomId);
            assertThat(api.joinCheck("{\"room_name\":\"" + poisoned + "\"}", null).status()).isEqualTo(503);

            // the fix (a wider column, as a migration would bring), then the operator's retry
            widen(128);
            Api.Answer retried = api.post("/v1/admin/projections/join-eligibility/quarantine/" + roomId + "/retry", Api.ADMIN, "{}");
            assertThat(retried.status()).as(retried.raw()).isEqualTo(200);
            assertThat(retried.body().get("events_applied").asInt()).isEqualTo(2);
            Api.Answer after = api.joinCheck("{\"room_name\":\"" + poisoned + "\"}", null);
            assertThat(after.status()).as(after.raw()).isEqualTo(200);
            assertThat(after.text("reason")).isEqualTo("public-room"); // the held update, applied
            assertThat(api.get("/v1/knocks/" + longKnock, Api.JOIN).status()).isEqualTo(200);
            assertThat(JSON.readTree(api.get("/actuator/health", null).raw()).get("status").asText()).isEqualTo("UP");
            assertThat(api.get(STATUS, Api.ADMIN).body().get("quarantined")).isEmpty();
        } finally {
            running.set(false);
            checker.join();
        }
        assertThat(checked[0]).isGreaterThan(10);
        assertThat(wrong).as("checks on the healthy room while the other was poisoned").isEmpty();
    }

    /** The room's own KnockRequested, copied with a knock id the view's column cannot hold, appended to its stream. */
    private void poison(String roomId, String knockId) throws Exception {
        Map<String, Object> knock = jdbc.queryForMap("select payload, payload_revision from domain_event_entry where aggregate_identifier = ? "
                + "and payload_type = ? order by sequence_number desc limit 1", roomId, KnockRequested.class.getName());
        ObjectNode payload = (ObjectNode) JSON.readTree(new String((byte[]) knock.get("payload"), StandardCharsets.UTF_8));
        payload.put("knock_id", knockId); // the event JSON is snake_case
        payload.put("user_name", "poison");
        Long last = jdbc.queryForObject("select max(sequence_number) from domain_event_entry where aggregate_identifier = ?", Long.class, roomId);
        boolean postgres = postgres();
        String nextIndex = postgres ? "nextval('domain_event_entry_seq')" : "next value for domain_event_entry_seq";
        jdbc.update("insert into domain_event_entry (global_index, sequence_number, meta_data, payload, aggregate_identifier, "
                        + "event_identifier, payload_revision, payload_type, time_stamp, type) "
                        + "values (" + nextIndex + ", ?, ?, ?, ?, ?, ?, ?, ?, 'Room')",
                last + 1, "{}".getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(payload), roomId,
                UUID.randomUUID().toString(), knock.get("payload_revision"), KnockRequested.class.getName(), Instant.now().toString());
    }

    private void widen(int width) {
        for (String table : List.of("view_knock", "rebuild_view_knock")) {
            jdbc.execute("alter table " + table + " alter column knock_id set data type varchar(" + width + ")");
        }
    }

    private boolean postgres() {
        return Boolean.TRUE.equals(jdbc.execute((java.sql.Connection c) ->
                c.getMetaData().getDatabaseProductName().equalsIgnoreCase("PostgreSQL")));
    }

}
