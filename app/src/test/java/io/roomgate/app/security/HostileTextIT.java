package io.roomgate.app.security;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.token.MeetingTokens;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, row 1 (and 9): a NUL (U+0000) in a name or id was accepted, stored in an event, and
 * on PostgreSQL the join-eligibility view then failed on that event forever, answering every
 * later check from a frozen view. Now such text (NUL and other control characters,
 * bidirectional-text controls, unpaired surrogates; {@code /} in ids addressed by path) is a 400
 * that appends nothing, on the write API, on token issue and on the join check; and text that
 * reaches an event by another way (a self-signed token) is stored by the view without the NUL,
 * so the view goes on. Runs on H2 and, in the scenarios-on-postgresql run, on PostgreSQL.
 */
@RoomgateTest
class HostileTextIT extends WithEmbeddedApp {

    static final List<String> HOSTILE = List.of("nul\\u0000here", "bell\\u0007", "rtl\\u202Eevil", "isolate\\u2066x", "half\\ud800");

    @Autowired
    MeetingTokens tokens;

    String room;

    @BeforeEach
    void setUp() {
        room = Api.uniqueName("hostile");
        assertThat(api.createRoom("{\"name\":\"" + room + "\",\"privacy\":\"public\",\"properties\":{\"enable_knocking\":true}}").status()).isEqualTo(200);
    }

    @Test
    void hostile_text_in_any_name_or_id_is_a_400_that_appends_nothing() {
        for (String bad : HOSTILE) {
            long stored = api.eventCount();
            for (String body : List.of(
                    "{\"participant_id\":\"" + bad + "\"}",
                    "{\"participant_id\":\"p-ok\",\"user_name\":\"" + bad + "\"}",
                    "{\"participant_id\":\"p-ok\",\"user_id\":\"" + bad + "\"}",
                    "{\"participant_id\":\"p-ok\",\"member_id\":\"" + bad + "\"}")) {
                refused(api.post("/v1/rooms/" + room + "/participants", Api.JOIN, body), body);
            }
            refused(api.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"" + bad + "\"}"), "knock " + bad);
            refused(api.post("/v1/rooms/" + room + "/eject", Api.ADMIN, "{\"user_ids\":[\"" + bad + "\"]}"), "eject " + bad);
            refused(api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"room_name\":\"" + room + "\",\"user_name\":\"" + bad + "\"}}"),
                    "token user_name " + bad);
            refused(api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"room_name\":\"" + room + "\",\"user_id\":\"" + bad + "\"}}"),
                    "token user_id " + bad);
            for (String field : List.of("user_id", "member_id", "participant_id", "knock_id")) {
                refused(api.post("/v1/join-checks", Api.JOIN, "{\"room_name\":\"" + room + "\",\"" + field + "\":\"" + bad + "\"}"),
                        "check " + field + " " + bad);
            }
            assertThat(api.eventCount()).as("appended by refusals of %s", bad).isEqualTo(stored);
        }
        refused(api.post("/v1/rooms/" + room + "/participants", Api.JOIN, "{\"participant_id\":\"a/b\"}"), "a participant id with /");
        refused(api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"user_name\":\"" + "n".repeat(7_000) + "\"}}"),
                "a user_name the join would refuse");
        assertViewStillApplies();
    }

    @Test
    void a_nul_that_reaches_an_event_through_a_self_signed_token_does_not_stop_the_view() {
        MeetingTokenClaims claims = new MeetingTokenClaims(room, null, null, false, "self\u0000signed", "u-self",
                false, null, false, Map.of(), Map.of());
        String token = tokens.issue(claims, UUID.randomUUID().toString(), Instant.now());
        Api.Answer joined = api.post("/v1/rooms/" + room + "/participants", Api.JOIN,
                "{\"participant_id\":\"p-self\",\"token\":\"" + token + "\"}");
        assertThat(joined.status()).as(joined.raw()).isIn(200, 400, 403);
        assertViewStillApplies();
        if (joined.status() == 200) {
            Api.Answer presence = api.get("/v1/rooms/" + room + "/presence", Api.ADMIN);
            assertThat(presence.status()).isEqualTo(200);
            assertThat(presence.raw()).doesNotContain("\\u0000");
        }
    }

    /**
     * Rows 4 and 8: free-form values nested ~995 levels deep were stored and then broke the audit
     * API; properties whose stored form outgrew the view's column made creates say "exists" and
     * updates 409 forever; an {@code eject_after_elapsed} of 2^63-1 made every later join a 500.
     * Each is now a 400 that appends nothing, and the audit API reads every page.
     */
    @Test
    void deep_huge_and_extreme_values_are_refused_before_any_event() {
        long stored = api.eventCount();
        String deep = "{\"a\":".repeat(995) + "1" + "}".repeat(995);
        refused(api.post("/v1/rooms", Api.ADMIN, "{\"name\":\"" + Api.uniqueName("deep") + "\",\"properties\":{\"sfu_switchover\":" + deep + "}}"),
                "room properties nested 995 deep");
        refused(api.post("/v1/rooms/" + room, Api.ADMIN, "{\"properties\":{\"enable_chat\":" + deep + "}}"), "update nested 995 deep");
        refused(api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"room_name\":\"" + room + "\",\"permissions\":"
                + "{\"canSend\":" + deep + "}}}"), "token permissions nested 995 deep");
        refused(api.post("/v1/rooms/" + room, Api.ADMIN, "{\"properties\":{\"eject_after_elapsed\":9223372036854775807}}"),
                "eject_after_elapsed 2^63-1");
        refused(api.post("/v1/rooms/" + room, Api.ADMIN, "{\"properties\":{\"exp\":9223372036854775807}}"), "exp 2^63-1");
        refused(api.post("/v1/rooms", Api.ADMIN, "{\"name\":\"" + Api.uniqueName("big") + "\",\"properties\":{\"sfu_switchover\":"
                + "\"" + "x".repeat(20_000) + "\"}}"), "properties over the stored limit (16,384)");
        assertThat(api.eventCount()).as("appended by refusals").isEqualTo(stored);
        Api.Answer audit = api.get("/v1/audit/events?limit=1000", Api.AUDIT);
        assertThat(audit.status()).as(audit.raw()).isEqualTo(200);
        assertViewStillApplies();
    }

    @Test
    void the_error_path_asked_for_directly_answers_in_dailys_shape() {
        for (String method : List.of("GET", "POST", "DELETE")) {
            Api.Answer a = api.call(method, "/error", null, null, Map.of());
            assertThat(a.status()).as(method + " /error: " + a.raw()).isEqualTo(404);
            assertThat(a.text("error")).isEqualTo("not-found");
            assertThat(a.raw()).doesNotContain("timestamp").doesNotContain("\"path\"");
        }
    }

    @Test
    void answers_that_carry_a_token_or_anything_else_are_neither_cached_nor_sniffed() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String[] call : new String[][]{{"POST", "/v1/meeting-tokens", "{\"properties\":{\"room_name\":\"" + room + "\"}}"},
                {"GET", "/v1/rooms/" + room, null}, {"GET", "/v1/rooms/no-such-room-" + room, null}}) {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + call[1]))
                    .header("Authorization", "Bearer " + Api.ADMIN).header("Content-Type", "application/json")
                    .method(call[0], call[2] == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                            : java.net.http.HttpRequest.BodyPublishers.ofString(call[2])).build();
            var response = http.send(request, java.net.http.HttpResponse.BodyHandlers.discarding());
            assertThat(response.headers().firstValue("Cache-Control")).as(call[1]).hasValue("no-store");
            assertThat(response.headers().firstValue("X-Content-Type-Options")).as(call[1]).hasValue("nosniff");
        }
    }

    /** Writes after the hostile requests reach the view: it is not frozen. */
    private void assertViewStillApplies() {
        assertThat(api.post("/v1/rooms/" + room, Api.ADMIN, "{\"privacy\":\"private\"}").status()).isEqualTo(200);
        Api.Answer check = api.post("/v1/join-checks", Api.JOIN, "{\"room_name\":\"" + room + "\"}");
        assertThat(check.status()).as(check.raw()).isEqualTo(200);
        assertThat(check.text("reason")).isIn("knock-required", "private-room");
        assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
    }

    private static void refused(Api.Answer a, String what) {
        assertThat(a.status()).as("%s: %s", what, a.raw()).isEqualTo(400);
        assertThat(a.text("error")).as(what).isEqualTo("invalid-request-error");
    }
}
