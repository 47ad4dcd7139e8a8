package io.roomgate.app.join;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three consistency levels as a client chooses them: no header or {@code X-Consistency: full}
 * (the default), a write's {@code X-Consistency-Token}, {@code X-Consistency: minimize-latency};
 * what is refused, and how the OpenAPI document describes them. That reads are never stale at
 * the default level is {@code ReadAfterWriteIT}'s; that they wait for a lagging view, or answer
 * 503, is {@link ConsistencyWhileTheViewLagsIT}'s.
 */
@RoomgateTest
class ConsistencyLevelsIT extends WithEmbeddedApp {

    private Answer check(String room, Map<String, String> headers) {
        return api.call("POST", "/v1/join-checks", Api.JOIN, body("room_name", room), headers);
    }

    @Test
    void each_level_answers_a_check_made_right_after_the_write() {
        String room = Api.uniqueName("levels");
        Answer created = steps.createRoom(room, "public", null);
        for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("X-Consistency", "full"),
                Map.of("X-Consistency", "FULL "), Map.of("X-Consistency-Token", created.consistencyToken()),
                Map.of("X-Consistency", "full", "X-Consistency-Token", created.consistencyToken()))) {
            Answer a = check(room, headers);
            assertThat(a.status()).as("%s: %s", headers, a.raw()).isEqualTo(200);
            assertThat(a.text("reason")).as("%s", headers).isEqualTo("public-room");
        }
        // minimize-latency answers whatever the view holds: this room, once it has it
        Waiting.waitUntil("minimize-latency sees the room", java.time.Duration.ofSeconds(10),
                () -> "public-room".equals(check(room, Map.of("X-Consistency", "minimize-latency")).text("reason")));
    }

    @Test
    void a_level_that_does_not_exist_or_contradicts_the_token_is_a_400_that_changes_nothing() {
        String room = Api.uniqueName("levels-bad");
        Answer created = steps.createRoom(room, "public", null);
        long stored = api.eventCount();
        for (Map<String, String> headers : List.of(Map.of("X-Consistency", "eventual"), Map.of("X-Consistency", ""),
                Map.of("X-Consistency", "minimize-latency", "X-Consistency-Token", created.consistencyToken()),
                Map.of("X-Consistency", "full", "X-Consistency-Token", "not-a-token"),
                Map.of("X-Consistency-Token", "not-a-token"))) {
            for (Answer a : List.of(check(room, headers), api.call("GET", "/v1/rooms/" + room, Api.ADMIN, null, headers),
                    api.call("GET", "/v1/presence", Api.ADMIN, null, headers))) {
                assertThat(a.status()).as("%s: %s", headers, a.raw()).isEqualTo(400);
                assertThat(a.text("error")).isEqualTo("invalid-request-error");
                assertThat(a.text("info")).contains("X-Consistency");
            }
        }
        assertThat(api.eventCount()).isEqualTo(stored);
    }

    @Test
    void the_openapi_document_describes_the_levels_on_every_read() {
        JsonNode docs = api.get("/v3/api-docs", null).body();
        assertThat(docs.get("info").get("description").asText()).contains("minimize-latency", "X-Consistency-Token", "full");
        for (String[] op : new String[][]{{"/v1/join-checks", "post"}, {"/v1/rooms/{name}", "get"}, {"/v1/rooms", "get"},
                {"/v1/rooms/{name}/presence", "get"}, {"/v1/presence", "get"}, {"/v1/meeting-tokens/{token}", "get"},
                {"/v1/knocks/{knockId}", "get"}, {"/v1/rooms/{name}/knocks", "get"}, {"/v1/knocks/{knockId}/events", "get"}}) {
            JsonNode operation = docs.get("paths").get(op[0]).get(op[1]);
            assertThat(operation).as("%s %s", op[1], op[0]).isNotNull();
            List<String> headers = new ArrayList<>();
            JsonNode level = null;
            for (JsonNode p : operation.get("parameters")) {
                if ("query".equals(p.get("in").asText())) {
                    assertThat(p.get("name").asText()).as("no query parameter leaks the resolver's type").isNotIn("consistency", "level", "token");
                }
                if ("header".equals(p.get("in").asText())) {
                    headers.add(p.get("name").asText());
                    if ("X-Consistency".equals(p.get("name").asText())) {
                        level = p;
                    }
                }
            }
            assertThat(headers).as("%s %s", op[1], op[0]).contains("X-Consistency", "X-Consistency-Token");
            assertThat(level.get("schema").get("enum").toString()).contains("full", "minimize-latency");
            assertThat(level.get("description").asText()).contains("503");
        }
        // writes do not take the read headers
        List<String> createParams = new ArrayList<>();
        JsonNode create = docs.get("paths").get("/v1/rooms").get("post");
        if (create.has("parameters")) {
            create.get("parameters").forEach(p -> createParams.add(p.get("name").asText()));
        }
        assertThat(createParams).doesNotContain("X-Consistency");
    }
}
