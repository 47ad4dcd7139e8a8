package io.roomgate.app.reliability;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 part 1, bad input at scale: at least 10,000 generated requests over every endpoint
 * ({@link RequestFuzzer}, seeded: {@code -Droomgate.fuzz.seed}, {@code -Droomgate.fuzz.requests}),
 * one at a time so the event store's growth is attributable: no answer is a 5xx, every non-2xx
 * answer is Daily's {@code {"error","info"}}, every 2xx answer is JSON, and no rejected request
 * appended an event (every request carries its own {@code X-Request-Id}, which the events of a
 * request carry as metadata; events that deadlines of earlier accepted requests append meanwhile
 * and other test classes' deadlines firing meanwhile are told apart by it). Runs in the app the
 * other {@code @RoomgateTest} classes share and deletes every room it made afterwards, which
 * cancels their deadlines (room expiry, knock timeouts, ejections), so nothing fires into later
 * tests. Runs on H2 and, in the scenarios-on-postgresql run, on PostgreSQL (issue 16: 0 5xx on both).
 */
@Tag("slow")
@RoomgateTest
class FuzzIT extends WithEmbeddedApp {

    static final long SEED = Long.getLong("roomgate.fuzz.seed", 20261127L);
    static final int REQUESTS = Integer.getInteger("roomgate.fuzz.requests", 10_000);

    @Test
    void ten_thousand_generated_requests_no_5xx_dailys_error_shape_and_nothing_appended_by_a_rejection() {
        Http http = new Http(port);
        RequestFuzzer.Fixture fixture = fixture(api);
        RequestFuzzer fuzzer = new RequestFuzzer(SEED, fixture);

        Map<String, Integer> byStatus = new TreeMap<>();
        List<String> created = new ArrayList<>();
        lastSeen = maxPosition();
        Map<String, List<String>> problems = new LinkedHashMap<>();
        int serverErrors = 0;
        int traces = 0;
        int rejected = 0;
        int accepted = 0;
        long appendedByRejected = 0;
        long appendedMeanwhileByOthers = 0;
        long slowest = 0;
        String slowestRequest = "";
        long started = System.nanoTime();
        for (int i = 0; i < REQUESTS; i++) {
            RequestFuzzer.Request r = fuzzer.next();
            String requestId = "fz-" + SEED + "-" + i;
            Map<String, String> headers = new LinkedHashMap<>(r.headers());
            headers.put("X-Request-Id", requestId);
            long t0 = System.nanoTime();
            Http.Answer a;
            try {
                a = http.send(r.method(), r.path(), headers, r.body(), Duration.ofSeconds(30));
            } catch (RuntimeException e) {
                problem(problems, "no answer", r, e.toString());
                continue;
            }
            long took = (System.nanoTime() - t0) / 1_000_000;
            if (took > slowest) {
                slowest = took;
                slowestRequest = r.endpoint() + " [" + r.mutation() + "]";
            }
            byStatus.merge(String.valueOf(a.status()), 1, Integer::sum);
            boolean head = r.method().equals("HEAD");
            boolean trace = r.method().equals("TRACE");
            if (trace) {
                // refused by Tomcat's connector before any of roomgate runs: a bare 405 (TRACE stays disabled, see SECURITY.md)
                traces++;
                boolean bare405 = a.status() == 405 && a.raw().isEmpty();
                boolean dailyRefusal = a.status() >= 400 && a.status() < 500 && a.notDailyError() == null;
                if (!bare405 && !dailyRefusal) {
                    problem(problems, "TRACE not refused " + a.status(), r, a.raw());
                }
            }
            if (a.status() >= 500) {
                serverErrors++;
                problem(problems, "5xx " + a.status() + " " + r.endpoint(), r, a.raw());
            }
            if (a.status() >= 300) {
                rejected++;
                if (!head && !trace && a.notDailyError() != null) {
                    problem(problems, "not Daily's shape (" + a.notDailyError() + ") " + a.status() + " " + r.endpoint(), r, a.raw());
                }
                // every event stored since the last look: this request's (by its id) must be none; the others
                // are earlier accepted requests' or deadlines'
                for (String meta : eventsSince()) {
                    if (meta.contains("\"" + requestId + "\"")) {
                        appendedByRejected++;
                        problem(problems, "a rejected request appended an event " + r.endpoint(), r, a.status() + " " + a.raw());
                    } else if (!meta.contains("\"fz-" + SEED + "-")) {
                        appendedMeanwhileByOthers++;
                    }
                }
            } else {
                accepted++;
                String contentType = a.header("Content-Type") == null ? "" : a.header("Content-Type");
                if (!head && !contentType.startsWith("text/event-stream") && !contentType.startsWith("application/x-ndjson")
                        && a.json() == null && !r.method().equals("OPTIONS")) {
                    problem(problems, "a 2xx answer that is not JSON " + r.endpoint(), r, a.raw());
                }
                if (r.endpoint().equals("create webhook") && a.text("id") != null) {
                    http.send("DELETE", "/v1/webhooks/" + a.text("id"), Api.ADMIN, null);
                }
                if (r.endpoint().equals("create room") && a.text("name") != null) {
                    created.add(a.text("name"));
                }
            }
        }
        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
        // deleting its rooms cancels every deadline the fuzz scheduled
        created.add(fixture.publicRoom());
        created.add(fixture.privateRoom());
        for (String room : created) {
            http.send("DELETE", "/v1/rooms/" + encode(room), Api.ADMIN, null);
        }
        Summary.line(io.roomgate.app.postgres.ScenariosOnPostgres.active() ? "fuzz on PostgreSQL" : "fuzz", REQUESTS + " requests (seed " + SEED + ", " + seconds + " s, slowest " + slowest + " ms), " + serverErrors + " 5xx, "
                + accepted + " accepted, " + rejected + " rejected (" + countNotDaily(problems) + " not in Daily's error shape; "
                + traces + " TRACE refused by the connector), "
                + appendedByRejected + " events appended by rejected requests (" + appendedMeanwhileByOthers
                + " appended meanwhile by deadlines); statuses " + byStatus);
        StringBuilder report = new StringBuilder();
        problems.forEach((kind, examples) -> report.append("\n").append(kind).append(" (").append(examples.size()).append("x), e.g.\n    ")
                .append(String.join("\n    ", examples.subList(0, Math.min(3, examples.size())))));
        assertThat(problems).as("seed " + SEED + "; slowest request: " + slowestRequest + report).isEmpty();
    }

    private static long countNotDaily(Map<String, List<String>> problems) {
        return problems.entrySet().stream().filter(e -> e.getKey().startsWith("not Daily")).mapToLong(e -> e.getValue().size()).sum();
    }

    private static void problem(Map<String, List<String>> problems, String kind, RequestFuzzer.Request r, String answer) {
        String shown = answer == null ? "" : answer.length() > 300 ? answer.substring(0, 300) + "…" : answer;
        problems.computeIfAbsent(kind, k -> new ArrayList<>()).add(r.describe() + "  ->  " + shown);
    }

    private long maxPosition() {
        Long max = jdbc.queryForObject("select coalesce(max(global_index), 0) from domain_event_entry", Long.class);
        return max == null ? 0 : max;
    }

    private long lastSeen;

    /** The metadata of every event stored since the last call. */
    private List<String> eventsSince() {
        List<String> metas = new ArrayList<>();
        jdbc.query("select global_index, meta_data from domain_event_entry where global_index > ? order by global_index",
                (java.sql.ResultSet rs) -> {
                    lastSeen = Math.max(lastSeen, rs.getLong(1));
                    byte[] b = rs.getBytes(2);
                    metas.add(b == null ? "" : new String(b, StandardCharsets.UTF_8));
                }, lastSeen);
        return metas;
    }

    private static String encode(String segment) {
        return java.net.URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Rooms to aim at: a public one, a private knocking one with an owner present and a knock waiting, a member, a token. */
    private static RequestFuzzer.Fixture fixture(Api api) {
        String pub = Api.uniqueName("fuzz-public");
        String priv = Api.uniqueName("fuzz-private");
        ok(api.createRoom("{\"name\":\"" + pub + "\"}"));
        ok(api.createRoom("{\"name\":\"" + priv + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}"));
        String owner = api.token("{\"room_name\":\"" + priv + "\",\"is_owner\":true}");
        ok(api.post("/v1/rooms/" + priv + "/participants", Api.JOIN, "{\"participant_id\":\"p-owner\",\"token\":\"" + owner + "\"}"));
        ok(api.put("/v1/members/fuzz-member", Api.ADMIN));
        Api.Answer knock = ok(api.post("/v1/rooms/" + priv + "/knocks", Api.JOIN, "{\"user_name\":\"Kim\"}"));
        api.joinCheck("{\"room_name\":\"" + priv + "\"}", knock.consistencyToken());
        return new RequestFuzzer.Fixture(pub, priv, "p-owner", "fuzz-member", knock.text("id"),
                api.token("{\"room_name\":\"" + pub + "\"}"), Api.ADMIN, Api.JOIN, Api.AUDIT);
    }

    private static Api.Answer ok(Api.Answer a) {
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        return a;
    }
}
