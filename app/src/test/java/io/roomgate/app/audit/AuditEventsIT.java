package io.roomgate.app.audit;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.roomgate.app.audit.AuditSteps.lines;
import static io.roomgate.app.audit.AuditSteps.types;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /v1/audit/events}: one scenario over HTTP (admin and join server each with their
 * own key and request ids), a room name used twice, then read back through every filter, page
 * by page, and as JSON Lines.
 */
@RoomgateTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditEventsIT extends WithEmbeddedApp {

    private static final String ADMIN_ID = "test-admin";
    private static final String JOIN_ID = "test-join";

    AuditSteps steps;
    String room;
    String member;
    String token;
    /** Per event of the room's history, in order: type → who and which request. */
    final List<String[]> expected = new ArrayList<>();
    Instant afterCreate;
    Instant afterApprove;
    Instant afterRevoke;

    @BeforeAll
    void scenario() {
        steps = new AuditSteps(api);
        room = Api.uniqueName("audit");
        member = Api.uniqueName("member");

        String r = AuditSteps.requestId();
        steps.write("POST", "/v1/rooms", Api.ADMIN,
                "{\"name\":\"" + room + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}", r);
        expect("RoomCreated", ADMIN_ID, r);
        afterCreate = AuditSteps.pause();

        r = AuditSteps.requestId();
        token = steps.write("POST", "/v1/meeting-tokens", Api.ADMIN,
                "{\"properties\":{\"room_name\":\"" + room + "\",\"is_owner\":true,\"user_id\":\"owner-user\"}}", r).text("token");
        expect("TokenIssued", ADMIN_ID, r);

        r = AuditSteps.requestId();
        steps.write("POST", "/v1/rooms/" + room + "/participants", Api.JOIN,
                "{\"participant_id\":\"owner-1\",\"token\":\"" + token + "\"}", r);
        expect("ParticipantJoined", JOIN_ID, r);

        r = AuditSteps.requestId();
        String knock = steps.write("POST", "/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"Kim\"}", r).text("id");
        expect("KnockRequested", JOIN_ID, r);

        r = AuditSteps.requestId();
        steps.write("POST", "/v1/knocks/" + knock + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner-1\"}", r);
        expect("KnockApproved", JOIN_ID, r);
        afterApprove = AuditSteps.pause();

        r = AuditSteps.requestId();
        steps.write("POST", "/v1/rooms/" + room + "/participants", Api.JOIN,
                "{\"participant_id\":\"kim-1\",\"user_id\":\"kim\",\"knock_id\":\"" + knock + "\"}", r);
        expect("ParticipantJoined", JOIN_ID, r);

        r = AuditSteps.requestId();
        steps.write("POST", "/v1/rooms/" + room, Api.ADMIN, "{\"privacy\":\"public\"}", r);
        expect("PrivacyChanged", ADMIN_ID, r);

        r = AuditSteps.requestId();
        steps.write("POST", "/v1/rooms/" + room + "/eject", Api.ADMIN, "{\"ids\":[\"kim-1\"],\"user_ids\":[],\"ban\":true}", r);
        expect("ParticipantEjected", ADMIN_ID, r);
        expect("UserBanned", ADMIN_ID, r);

        assertThat(steps.api.get("/v1/meeting-tokens/" + token, Api.ADMIN).status()).as("validated").isEqualTo(200);
        r = AuditSteps.requestId();
        steps.write("POST", "/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + token + "\"}", r);
        expect("TokenRevoked", ADMIN_ID, r);
        afterRevoke = AuditSteps.pause();

        r = AuditSteps.requestId();
        steps.write("DELETE", "/v1/rooms/" + room + "/participants/owner-1", Api.JOIN, null, r);
        expect("ParticipantLeft", JOIN_ID, r);

        r = AuditSteps.requestId();
        steps.write("DELETE", "/v1/rooms/" + room, Api.ADMIN, null, r);
        expect("RoomDeleted", ADMIN_ID, r);

        // the name again: a second generation
        r = AuditSteps.requestId();
        steps.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\"}", r);
        expect("RoomCreated", ADMIN_ID, r);

        steps.write("PUT", "/v1/members/" + member, Api.ADMIN, null, AuditSteps.requestId());
    }

    private void expect(String type, String actor, String requestId) {
        expected.add(new String[]{type, actor, requestId});
    }

    private List<JsonNode> history() {
        Answer a = steps.page("room_name=" + room + "&limit=1000");
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        assertThat(a.body().get("next").isNull()).isTrue();
        List<JsonNode> entries = new ArrayList<>();
        a.body().get("data").forEach(entries::add);
        return entries;
    }

    @Test
    void a_room_names_history_holds_every_generation_and_its_tokens_with_who_did_it_and_in_which_request() {
        List<JsonNode> entries = history();

        assertThat(types(entries)).containsExactlyElementsOf(expected.stream().map(e -> e[0]).toList());
        for (int i = 0; i < entries.size(); i++) {
            JsonNode e = entries.get(i);
            assertThat(e.get("actor").asText()).as("actor of %s", e).isEqualTo(expected.get(i)[1]);
            assertThat(e.get("request_id").asText()).as("request of %s", e).isEqualTo(expected.get(i)[2]);
            // a revocation names only the token; every other entry names the room
            assertThat(e.get("room_name").isNull() ? null : e.get("room_name").asText())
                    .isEqualTo(e.get("type").asText().equals("TokenRevoked") ? null : room);
            assertThat(e.get("payload").isObject()).isTrue();
            // KnockRequested is at revision 2 since it gained user_id; the others are at 1
            assertThat(e.get("revision").asText()).isEqualTo(e.get("type").asText().equals("KnockRequested") ? "2" : "1");
            Instant.parse(e.get("occurred_at").asText());
            if (i > 0) {
                assertThat(e.get("position").asLong()).isGreaterThan(entries.get(i - 1).get("position").asLong());
                assertThat(Instant.parse(e.get("occurred_at").asText()))
                        .isAfterOrEqualTo(Instant.parse(entries.get(i - 1).get("occurred_at").asText()));
            }
        }
        // the payload is the stored JSON, snake_case
        JsonNode created = entries.get(0);
        assertThat(created.at("/payload/name").asText()).isEqualTo(room);
        assertThat(created.at("/payload/privacy").asText()).isEqualTo("private");
        assertThat(created.at("/payload/properties/enable_knocking").asBoolean()).isTrue();
        assertThat(created.get("aggregate_id").asText()).isEqualTo(created.at("/payload/room_id").asText());
        assertThat(created.get("sequence_number").asLong()).isZero();
        // two generations: two room ids under the one name
        JsonNode recreated = entries.get(entries.size() - 1);
        assertThat(recreated.get("type").asText()).isEqualTo("RoomCreated");
        assertThat(recreated.get("aggregate_id").asText()).isNotEqualTo(created.get("aggregate_id").asText());
        // the token's issue names the room through its claims; its payload holds the jti and claims, no token
        JsonNode issued = entries.get(1);
        assertThat(issued.at("/payload/claims/room_name").asText()).isEqualTo(room);
        assertThat(issued.at("/payload/token_id").asText()).isNotEmpty();
    }

    @Test
    void an_event_without_a_room_shows_its_actor_and_no_room_name() {
        List<JsonNode> added = steps.all("type=MemberAdded", 1000).stream()
                .filter(e -> member.equals(e.at("/payload/member_id").asText())).toList();
        assertThat(added).singleElement().satisfies(e -> {
            assertThat(e.get("actor").asText()).isEqualTo(ADMIN_ID);
            assertThat(e.get("room_name").isNull()).isTrue();
            assertThat(e.get("aggregate_id").asText()).isEqualTo("member:" + member);
        });
    }

    @Test
    void type_filters_take_a_comma_list_or_repeat() {
        assertThat(types(steps.all("room_name=" + room + "&type=RoomCreated,RoomDeleted", 100)))
                .containsExactly("RoomCreated", "RoomDeleted", "RoomCreated");
        assertThat(types(steps.all("room_name=" + room + "&type=TokenRevoked&type=PrivacyChanged", 100)))
                .containsExactly("PrivacyChanged", "TokenRevoked");
        List<JsonNode> allCreated = steps.all("type=RoomCreated", 1000);
        assertThat(types(allCreated)).containsOnly("RoomCreated");
        assertThat(allCreated).extracting(e -> e.get("room_name").asText()).contains(room);
    }

    @Test
    void a_time_range_is_from_inclusive_to_exclusive() {
        List<JsonNode> between = steps.all("room_name=" + room + "&from=" + afterCreate + "&to=" + afterApprove, 100);
        assertThat(types(between)).containsExactly("TokenIssued", "ParticipantJoined", "KnockRequested", "KnockApproved");

        List<JsonNode> later = steps.all("room_name=" + room + "&from=" + afterRevoke, 100);
        assertThat(types(later)).containsExactly("ParticipantLeft", "RoomDeleted", "RoomCreated");

        List<JsonNode> earlier = steps.all("room_name=" + room + "&to=" + afterCreate, 100);
        assertThat(types(earlier)).containsExactly("RoomCreated");

        // an offset is accepted and means the same instant
        String withOffset = afterApprove.atOffset(java.time.ZoneOffset.ofHours(2)).toString();
        assertThat(types(steps.all("room_name=" + room + "&type=PrivacyChanged&from="
                + URLEncoder.encode(withOffset, StandardCharsets.UTF_8), 100))).containsExactly("PrivacyChanged");

        // type and time together
        assertThat(types(steps.all("room_name=" + room + "&type=ParticipantJoined&from=" + afterApprove, 100)))
                .containsExactly("ParticipantJoined");
    }

    @Test
    void paging_with_next_walks_a_history_page_by_page() {
        List<JsonNode> whole = history();
        for (int limit : new int[]{1, 4, 13, 100}) {
            List<JsonNode> paged = steps.all("room_name=" + room, limit);
            assertThat(paged).as("limit %d", limit).containsExactlyElementsOf(whole);
        }
        // after: the entries beyond a position
        long third = whole.get(2).get("position").asLong();
        Answer beyond = steps.page("room_name=" + room + "&after=" + third + "&limit=5");
        List<JsonNode> next5 = new ArrayList<>();
        beyond.body().get("data").forEach(next5::add);
        assertThat(next5).containsExactlyElementsOf(whole.subList(3, 8));
        assertThat(beyond.body().get("next").asLong()).isEqualTo(whole.get(7).get("position").asLong());
        // the default limit is 100; the last page says next: null
        Answer first = steps.page("room_name=" + room);
        assertThat(first.body().get("data")).hasSize(whole.size());
        assertThat(first.body().get("next").isNull()).isTrue();
    }

    @Test
    void paging_through_the_whole_store_gives_every_event_once_in_order() {
        List<Long> stored = jdbc.queryForList("select global_index from domain_event_entry order by global_index", Long.class);
        List<JsonNode> all = steps.all("", 37);
        List<Long> positions = all.stream().map(e -> e.get("position").asLong()).toList();
        assertThat(positions).isSorted().doesNotHaveDuplicates();
        assertThat(positions.size()).isGreaterThanOrEqualTo(stored.size());
        assertThat(positions.subList(0, stored.size())).containsExactlyElementsOf(stored);
        Answer defaultPage = steps.page("");
        assertThat(defaultPage.body().get("data").size()).isEqualTo(Math.min(100, positions.size()));
        Answer max = steps.page("limit=1000");
        assertThat(max.body().get("data").size()).isEqualTo(Math.min(1000, positions.size()));
    }

    @Test
    void an_unknown_room_name_has_no_history() {
        Answer a = steps.page("room_name=" + Api.uniqueName("never"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("data")).isEmpty();
        assertThat(a.body().get("next").isNull()).isTrue();
    }

    @Test
    void bad_parameters_are_400_invalid_request_errors() {
        Map<String, String> bad = new LinkedHashMap<>();
        bad.put("limit=0", "limit");
        bad.put("limit=1001", "limit");
        bad.put("limit=ten", "limit");
        bad.put("limit=", "limit");
        bad.put("after=-1", "after");
        bad.put("after=x", "after");
        bad.put("type=NoSuchEvent", "NoSuchEvent");
        bad.put("type=RoomCreated,", "type");
        bad.put("type=roomcreated", "roomcreated");
        bad.put("from=yesterday", "from");
        bad.put("to=2026-13-01T00:00:00Z", "to");
        bad.put("from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from");
        bad.put("from=2026-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from");
        bad.put("room_name=" + URLEncoder.encode("no spaces", StandardCharsets.UTF_8), "room_name");
        bad.put("room_name=" + "x".repeat(129), "room_name");
        bad.put("room_name=a&room_name=b", "room_name");
        bad.put("roomname=a", "roomname");
        bad.put("after=1&after=2", "after");
        for (var e : bad.entrySet()) {
            Answer a = steps.page(e.getKey());
            assertThat(a.status()).as(e.getKey()).isEqualTo(400);
            assertThat(a.text("error")).as(e.getKey()).isEqualTo("invalid-request-error");
            assertThat(a.text("info")).as(e.getKey()).contains(e.getValue());

            Answer x = steps.export(e.getKey());
            if (!e.getKey().startsWith("limit=1001")) { // the export has no upper limit
                assertThat(x.status()).as("export " + e.getKey()).isEqualTo(400);
                assertThat(x.text("error")).as("export " + e.getKey()).isEqualTo("invalid-request-error");
            }
        }
    }

    @Test
    void only_audit_keys_read_the_audit_log() {
        assertThat(steps.api.get("/v1/audit/events", null).text("error")).isEqualTo("authorization-header-error");
        assertThat(steps.api.get("/v1/audit/events", "not-a-key").status()).isEqualTo(401);
        assertThat(steps.api.get("/v1/audit/events", Api.ADMIN).status()).isEqualTo(403);
        assertThat(steps.api.get("/v1/audit/events", Api.JOIN).text("error")).isEqualTo("forbidden-error");
        Answer ndjson = steps.api.call("GET", "/v1/audit/events", Api.JOIN, null, Map.of("Accept", "application/x-ndjson"));
        assertThat(ndjson.status()).isEqualTo(403);
        assertThat(ndjson.text("error")).isEqualTo("forbidden-error");
    }

    @Test
    void the_ndjson_export_is_the_same_entries_one_per_line() {
        Answer export = steps.export("room_name=" + room);
        assertThat(export.status()).isEqualTo(200);
        List<JsonNode> lines = lines(export.raw());
        assertThat(lines).containsExactlyElementsOf(history());

        assertThat(types(lines(steps.export("room_name=" + room + "&type=RoomCreated").raw())))
                .containsExactly("RoomCreated", "RoomCreated");
        assertThat(lines(steps.export("room_name=" + room + "&limit=2").raw())).hasSize(2);
        assertThat(lines(steps.export("room_name=" + room + "&from=" + afterRevoke).raw())).hasSize(3);
        assertThat(steps.export("room_name=" + Api.uniqueName("never")).raw()).isEmpty();
    }

    @Test
    void the_export_says_it_is_json_lines() {
        var answer = steps.api.call("GET", "/v1/audit/events?room_name=" + room, Api.AUDIT, null,
                Map.of("Accept", "application/x-ndjson"));
        assertThat(answer.status()).isEqualTo(200);
        // Api.Answer keeps no content type: ask again with a raw client
        try {
            var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/v1/audit/events?room_name=" + room))
                    .header("Authorization", "Bearer " + Api.AUDIT).header("Accept", "application/x-ndjson").build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("application/x-ndjson");
            var json = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://localhost:" + port + "/v1/audit/events?room_name=" + room))
                    .header("Authorization", "Bearer " + Api.AUDIT).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(json.headers().firstValue("Content-Type")).get().asString().startsWith("application/json");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void no_entry_holds_a_token_string() {
        // the token was issued, used to join, validated and revoked by its text
        String everything = steps.export("").raw();
        assertThat(everything).isNotEmpty();
        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        assertThat(everything).doesNotContain(token).doesNotContain(parts[2]).doesNotContain(parts[1]);
        String paged = steps.page("room_name=" + room + "&limit=1000").raw();
        assertThat(paged).doesNotContain(token).doesNotContain(parts[2]).doesNotContain(parts[1]);
    }
}
