package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Daily's presence shapes: {@code GET /v1/presence} is a map from room name to the room's
 * participants; each participant, there and in {@code GET /v1/rooms/{name}/presence}, has
 * Daily's {@code room, id, userId, userName, mtgSessionId, joinTime, duration}. A meeting
 * session begins when someone joins an empty room. Read without any consistency header, right
 * after the writes, as Daily's clients do.
 */
@RoomgateTest
class DailyPresenceIT extends WithEmbeddedApp {

    static final String DAILY_TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

    private void ok(Api.Answer a) {
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
    }

    private void join(String room, String participantId, String userId, String userName) {
        ok(api.post("/v1/rooms/" + room + "/participants", Api.JOIN, "{\"participant_id\":\"" + participantId + "\""
                + (userId == null ? "" : ",\"user_id\":\"" + userId + "\"")
                + (userName == null ? "" : ",\"user_name\":\"" + userName + "\"") + "}"));
    }

    @Test
    void get_presence_maps_every_room_with_someone_in_it_to_its_participants_in_dailys_fields() {
        String a = Api.uniqueName("pres-a");
        String b = Api.uniqueName("pres-b");
        String empty = Api.uniqueName("pres-empty");
        for (String room : List.of(a, b, empty)) {
            ok(api.createRoom("{\"name\":\"" + room + "\"}"));
        }
        join(a, "pa-1", "u-1", "Alice");
        join(a, "pa-2", null, "Bob");
        join(b, "pb-1", "u-3", null);

        for (String key : List.of(Api.ADMIN, Api.JOIN)) {
            Api.Answer all = api.get("/v1/presence", key);
            ok(all);
            JsonNode body = all.body();
            assertThat(body.has(empty)).as("a room with nobody in it is left out").isFalse();
            assertThat(body.has("total_count")).as("a map of rooms, not a page").isFalse();
            JsonNode inA = body.get(a);
            assertThat(inA).hasSize(2);
            assertThat(ids(inA)).containsExactly("pa-1", "pa-2");
            JsonNode alice = inA.get(0);
            assertThat(alice.get("room").asText()).isEqualTo(a);
            assertThat(alice.get("userId").asText()).isEqualTo("u-1");
            assertThat(alice.get("userName").asText()).isEqualTo("Alice");
            assertThat(inA.get(1).get("userId").isNull()).isTrue();
            assertThat(alice.get("joinTime").asText()).matches(DAILY_TIME);
            assertThat(alice.get("duration").isIntegralNumber()).isTrue();
            assertThat(alice.get("mtgSessionId").asText()).isNotBlank()
                    .as("one session for everyone in it").isEqualTo(inA.get(1).get("mtgSessionId").asText());
            assertThat(body.get(b).get(0).get("mtgSessionId").asText()).isNotEqualTo(alice.get("mtgSessionId").asText());
            // the room's own presence has the same entries
            JsonNode room = api.get("/v1/rooms/" + a + "/presence", key).body();
            assertThat(room.get("total_count").asInt()).isEqualTo(2);
            assertThat(room.get("data").get(0).get("mtgSessionId").asText()).isEqualTo(alice.get("mtgSessionId").asText());
            assertThat(room.get("data").get(0).get("joinTime").asText()).isEqualTo(alice.get("joinTime").asText());
        }
    }

    @Test
    void a_session_ends_when_the_room_empties_and_the_next_join_begins_another() {
        String room = Api.uniqueName("pres-session");
        ok(api.createRoom("{\"name\":\"" + room + "\"}"));
        join(room, "p-1", null, null);
        String first = api.get("/v1/presence", Api.ADMIN).body().get(room).get(0).get("mtgSessionId").asText();
        join(room, "p-2", null, null);
        ok(api.delete("/v1/rooms/" + room + "/participants/p-1", Api.JOIN));
        assertThat(api.get("/v1/presence", Api.ADMIN).body().get(room).get(0).get("mtgSessionId").asText())
                .as("someone stayed: the same session").isEqualTo(first);
        ok(api.delete("/v1/rooms/" + room + "/participants/p-2", Api.JOIN));
        assertThat(api.get("/v1/presence", Api.ADMIN).body().has(room)).isFalse();
        join(room, "p-3", null, null);
        assertThat(api.get("/v1/presence", Api.ADMIN).body().get(room).get(0).get("mtgSessionId").asText()).isNotEqualTo(first);
    }

    @Test
    void get_presence_needs_an_admin_or_join_key() {
        assertThat(api.get("/v1/presence", null).status()).as("no Authorization header: Daily's 400").isEqualTo(400);
        assertThat(api.get("/v1/presence", "not-a-key").status()).isEqualTo(401);
        assertThat(api.get("/v1/presence", Api.AUDIT).status()).isEqualTo(403);
    }

    private static List<String> ids(JsonNode participants) {
        List<String> ids = new ArrayList<>();
        participants.forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }
}
