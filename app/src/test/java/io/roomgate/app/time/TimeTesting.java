package io.roomgate.app.time;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Waiting;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.app.Api;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Helpers for the time-driven tests: what the event store says about a room, what the deadline
 * table holds, and bounded waits (a wait that runs out fails the test; no test asserts a duration).
 */
public final class TimeTesting {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TimeTesting() {
    }

    /** One stored event of a room: its simple type and its JSON payload. */
    public record Stored(String type, JsonNode payload) {
        public String field(String name) {
            JsonNode v = payload.get(name);
            return v == null || v.isNull() ? null : v.asText();
        }
    }

    public static List<Stored> events(JdbcTemplate jdbc, String roomId) {
        return jdbc.query("select payload_type, payload from domain_event_entry where aggregate_identifier = ? order by sequence_number",
                (rs, i) -> new Stored(simple(rs.getString(1)), json(rs.getBytes(2))), roomId);
    }

    public static List<Stored> events(JdbcTemplate jdbc, String roomId, String type) {
        return events(jdbc, roomId).stream().filter(e -> e.type().equals(type)).toList();
    }

    /** How many deadlines wait for this aggregate: Axon stores the scope (with the aggregate id) in the task data. */
    public static int scheduledTasksOf(JdbcTemplate jdbc, String roomId) {
        return (int) jdbc.query("select task_data from scheduled_tasks", (rs, i) -> rs.getBytes(1)).stream()
                .filter(data -> data != null && contains(data, roomId.getBytes(StandardCharsets.UTF_8)))
                .count();
    }

    /** How many deadlines of that name wait for this aggregate (the task data holds the deadline name too). */
    public static int scheduledTasksOf(JdbcTemplate jdbc, String roomId, String deadlineName) {
        byte[] id = roomId.getBytes(StandardCharsets.UTF_8);
        byte[] deadline = deadlineName.getBytes(StandardCharsets.UTF_8);
        return (int) jdbc.query("select task_data from scheduled_tasks", (rs, i) -> rs.getBytes(1)).stream()
                .filter(data -> data != null && contains(data, id) && contains(data, deadline))
                .count();
    }

    /** Reports a join as the join server does (JOIN key); a token may be null. */
    public static Api.Answer join(Api api, String room, String participantId, String userId, String token) {
        StringBuilder body = new StringBuilder("{\"participant_id\":\"" + participantId + "\"");
        if (userId != null) {
            body.append(",\"user_id\":\"").append(userId).append('"');
        }
        if (token != null) {
            body.append(",\"token\":\"").append(token).append('"');
        }
        return api.post("/v1/rooms/" + room + "/participants", Api.JOIN, body.append('}').toString());
    }

    /** Joins and insists it worked. */
    public static Api.Answer joined(Api api, String room, String participantId, String userId, String token) {
        Api.Answer a = join(api, room, participantId, userId, token);
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        return a;
    }

    /** Daily's presence list of the room, read once the view includes the given write. */
    static JsonNode presence(Api api, String room, String consistencyToken) {
        Api.Answer a = api.call("GET", "/v1/rooms/" + room + "/presence", Api.JOIN, null,
                consistencyToken == null ? java.util.Map.of() : java.util.Map.of("X-Consistency-Token", consistencyToken));
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        return a.body().get("data");
    }

    /** One participant's entry in the presence list, or null. */
    static JsonNode presenceOf(Api api, String room, String participantId, String consistencyToken) {
        for (JsonNode p : presence(api, room, consistencyToken)) {
            if (participantId.equals(p.get("id").asText())) {
                return p;
            }
        }
        return null;
    }

    /**
     * One participant's presence entry once the view shows it: the join's consistency token is
     * sent, and the read is also retried for a bounded time, so a lagging view fails only after
     * the bound.
     */
    static JsonNode awaitPresence(Api api, String room, String participantId, String consistencyToken) {
        JsonNode[] found = new JsonNode[1];
        Waiting.waitUntil(participantId + " shows in the presence of " + room, Duration.ofSeconds(10), () -> {
            Api.Answer a = api.call("GET", "/v1/rooms/" + room + "/presence", Api.JOIN, null,
                    consistencyToken == null ? java.util.Map.of() : java.util.Map.of("X-Consistency-Token", consistencyToken));
            if (a.status() != 200) {
                return false; // the view has not got the room yet
            }
            for (JsonNode p : a.body().get("data")) {
                if (participantId.equals(p.get("id").asText())) {
                    found[0] = p;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** The presence list once it has {@code count} entries (bounded wait, as above). */
    static JsonNode awaitPresenceCount(Api api, String room, int count, String consistencyToken) {
        JsonNode[] found = new JsonNode[1];
        Waiting.waitUntil(count + " present in " + room, Duration.ofSeconds(10), () -> {
            Api.Answer a = api.call("GET", "/v1/rooms/" + room + "/presence", Api.JOIN, null,
                    consistencyToken == null ? java.util.Map.of() : java.util.Map.of("X-Consistency-Token", consistencyToken));
            return a.status() == 200 && (found[0] = a.body().get("data")).size() == count;
        });
        return found[0];
    }

    /** The ParticipantEjected events of one participant. */
    public static List<Stored> ejections(JdbcTemplate jdbc, String roomId, String participantId) {
        return events(jdbc, roomId, "ParticipantEjected").stream()
                .filter(e -> participantId.equals(e.field("participant_id"))).toList();
    }

    public static String roomId(Api.Answer created) {
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        return created.text("id");
    }

    public static long epochSecondsIn(Duration d) {
        // round up to the next whole second so "exp" is never earlier than intended
        return Instant.now().plus(d).plusMillis(999).getEpochSecond();
    }


    /** Waits until {@code at} has passed on the wall clock (the app runs on the system clock). */
    static void sleepUntil(Instant at) {
        Duration left = Duration.between(Instant.now(), at);
        if (!left.isNegative()) {
            Waiting.sleep(left.plusMillis(50));
        }
    }


    private static String simple(String type) {
        return type.substring(type.lastIndexOf('.') + 1);
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
