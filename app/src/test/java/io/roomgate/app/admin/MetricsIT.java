package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 (part): {@code /actuator/prometheus} answers an admin or audit key only, and after a
 * scripted story its domain meters hold the expected counts: join checks by decision, reason and
 * consistency level, commands by type and outcome, knocks by outcome with their time to decision;
 * the view's lag (events, seconds) and rebuild progress are there. No meter has a tag whose values grow with
 * rooms or users: the same story again under new names adds no series, and no tag value is a
 * room name, a user id or a token.
 */
@RoomgateTest
class MetricsIT extends WithEmbeddedApp {

    private static final Pattern SAMPLE = Pattern.compile("^(roomgate_[a-z_]+)(?:\\{([^}]*)\\})? ([0-9.eE+-]+|NaN)$");

    @Test
    void prometheus_needs_an_admin_or_audit_key() {
        assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(400);
        assertThat(api.get("/actuator/prometheus", "not-a-key").status()).isEqualTo(401);
        assertThat(api.get("/actuator/prometheus", Api.JOIN).status()).isEqualTo(403);
        assertThat(api.get("/actuator/metrics", null).status()).isEqualTo(400);
        assertThat(api.get("/actuator/prometheus", Api.AUDIT).status()).isEqualTo(200);
        assertThat(api.get("/actuator/prometheus", Api.ADMIN).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
        assertThat(api.get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }

    @Test
    void a_scripted_story_shows_in_the_meters_and_the_same_story_again_adds_no_series() {
        Map<String, Double> before = scrape(api);
        List<String> names = story(api);
        Map<String, Double> after = scrape(api);

        assertThat(delta(before, after, "roomgate_join_checks_seconds_count",
                "at=now,consistency=full,decision=allow,reason=public-room")).isEqualTo(3);
        assertThat(delta(before, after, "roomgate_join_checks_seconds_count",
                "at=now,consistency=full,decision=knock,reason=knock-required")).isEqualTo(2);
        assertThat(delta(before, after, "roomgate_join_checks_seconds_count",
                "at=now,consistency=minimize-latency,decision=allow,reason=valid-token")).isEqualTo(1);
        assertThat(delta(before, after, "roomgate_join_checks_seconds_count",
                "at=now,consistency=full,decision=allow,reason=knock-approved")).isEqualTo(1);
        assertThat(delta(before, after, "roomgate_commands_seconds_count", "command=CreateRoom,outcome=ok")).isEqualTo(2);
        assertThat(delta(before, after, "roomgate_commands_seconds_count", "command=IssueToken,outcome=ok")).isEqualTo(2);
        assertThat(delta(before, after, "roomgate_commands_seconds_count", "command=RequestKnock,outcome=ok")).isEqualTo(2);
        assertThat(delta(before, after, "roomgate_commands_seconds_count", "command=DenyKnock,outcome=ok")).isEqualTo(1);
        assertThat(delta(before, after, "roomgate_commands_seconds_count", "command=ApproveKnock,outcome=ok")).isEqualTo(1);
        assertThat(delta(before, after, "roomgate_commands_seconds_count", "command=ApproveKnock,outcome=rejected-conflict"))
                .as("approving it again").isEqualTo(1);
        assertThat(after).containsKey("roomgate_view_lag_events{}");
        assertThat(after).containsKey("roomgate_view_lag_seconds{}");
        assertThat(after).containsKey("roomgate_view_quarantined{}");
        assertThat(after).containsKey("roomgate_view_rebuild_running{}");
        assertThat(after).containsKey("roomgate_view_rebuild_percent{}");
        assertThat(after).containsKey("roomgate_view_rebuild_events_applied{}");
        // knocks are counted by the view's processor after its commit: a moment after the answers
        String denials = "roomgate_knocks_time_to_decision_seconds_count{outcome=denied}";
        Waiting.waitUntil("the knock meters", Duration.ofSeconds(10),
                () -> scrape(api).getOrDefault(denials, 0.0) > before.getOrDefault(denials, 0.0));
        Map<String, Double> knocks = scrape(api);
        assertThat(delta(before, knocks, "roomgate_knocks_total", "outcome=requested")).isEqualTo(2);
        assertThat(delta(before, knocks, "roomgate_knocks_total", "outcome=approved")).isEqualTo(1);
        assertThat(delta(before, knocks, "roomgate_knocks_total", "outcome=denied")).isEqualTo(1);
        assertThat(delta(before, knocks, "roomgate_knocks_time_to_decision_seconds_count", "outcome=approved")).isEqualTo(1);
        assertThat(delta(before, knocks, "roomgate_knocks_time_to_decision_seconds_count", "outcome=denied")).isEqualTo(1);

        // the same story under new names: no new series, and no name, user or token in any tag
        Set<String> series = storySeries(after);
        List<String> more = story(api);
        Map<String, Double> again = scrape(api);
        assertThat(storySeries(again)).as("series after the same story under new names").isEqualTo(series);
        for (String key : again.keySet()) {
            for (String name : concat(names, more)) {
                assertThat(key).as("a meter's tags").doesNotContain(name);
            }
        }
    }

    /** Two rooms, two tokens, checks allowed and denied, a knock approved (and approved again: a conflict). */
    private static List<String> story(Api api) {
        String open = Api.uniqueName("metrics-open");
        String closed = Api.uniqueName("metrics-closed");
        String user = Api.uniqueName("metrics-user");
        assertThat(api.createRoom("{\"name\":\"" + open + "\",\"privacy\":\"public\"}").status()).isEqualTo(200);
        assertThat(api.createRoom("{\"name\":\"" + closed + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}").status())
                .isEqualTo(200);
        String guest = api.token("{\"room_name\":\"" + closed + "\",\"user_id\":\"" + user + "\"}");
        String owner = api.token("{\"room_name\":\"" + closed + "\",\"is_owner\":true}");
        for (int i = 0; i < 3; i++) {
            assertThat(api.joinCheck("{\"room_name\":\"" + open + "\"}", null).text("decision")).isEqualTo("allow");
        }
        for (int i = 0; i < 2; i++) {
            assertThat(api.joinCheck("{\"room_name\":\"" + closed + "\"}", null).text("decision")).isEqualTo("knock");
        }
        Api.Answer fast = api.call("POST", "/v1/join-checks", Api.JOIN, "{\"room_name\":\"" + closed + "\",\"token\":\"" + guest + "\"}",
                Map.of("X-Consistency", "minimize-latency"));
        assertThat(fast.text("reason")).isIn("valid-token");
        assertThat(api.post("/v1/rooms/" + closed + "/participants", Api.JOIN,
                "{\"participant_id\":\"owner\",\"token\":\"" + owner + "\"}").status()).isEqualTo(200);
        String knock = api.post("/v1/rooms/" + closed + "/knocks", Api.JOIN, "{\"user_name\":\"" + user + "\"}").text("id");
        assertThat(api.post("/v1/knocks/" + knock + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner\"}").status()).isEqualTo(200);
        assertThat(api.post("/v1/knocks/" + knock + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner\"}").status()).isEqualTo(409);
        assertThat(api.joinCheck("{\"room_name\":\"" + closed + "\",\"knock_id\":\"" + knock + "\"}", null).text("reason"))
                .isEqualTo("knock-approved");
        String refused = api.post("/v1/rooms/" + closed + "/knocks", Api.JOIN, "{\"user_name\":\"" + user + "\"}").text("id");
        assertThat(api.post("/v1/knocks/" + refused + "/deny", Api.JOIN, "{\"by_participant_id\":\"owner\"}").status()).isEqualTo(200);
        return List.of(open, closed, user, guest, owner, knock, refused);
    }

    /** Every roomgate sample: "name{sorted tags}" → value. */
    private static Map<String, Double> scrape(Api api) {
        Api.Answer answer = api.get("/actuator/prometheus", Api.AUDIT);
        assertThat(answer.status()).isEqualTo(200);
        Map<String, Double> samples = new TreeMap<>();
        for (String line : answer.raw().split("\n")) {
            Matcher m = SAMPLE.matcher(line.trim());
            if (m.matches()) {
                TreeSet<String> tags = new TreeSet<>();
                for (String tag : (m.group(2) == null ? "" : m.group(2)).split(",")) {
                    if (!tag.isBlank()) {
                        tags.add(tag.trim().replace("\"", ""));
                    }
                }
                tags.removeIf(t -> t.startsWith("application="));
                samples.put(m.group(1) + "{" + String.join(",", tags) + "}", Double.parseDouble(m.group(3)));
            }
        }
        return samples;
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String name, String tags) {
        String key = name + "{" + tags + "}";
        assertThat(after).as("the series %s", key).containsKey(key);
        return after.get(key) - before.getOrDefault(key, 0.0);
    }

    /** The series the story touches (other meters may move meanwhile: earlier tests' webhooks, deadlines). */
    private static Set<String> storySeries(Map<String, Double> samples) {
        Set<String> series = new TreeSet<>();
        samples.keySet().stream().filter(k -> k.startsWith("roomgate_join_checks") || k.startsWith("roomgate_commands")
                        || k.startsWith("roomgate_knocks"))
                .forEach(series::add);
        return series;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
