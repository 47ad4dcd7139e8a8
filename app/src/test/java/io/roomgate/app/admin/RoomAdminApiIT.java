package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.roomgate.app.admin.AdminApiSupport.consistency;
import static io.roomgate.app.admin.AdminApiSupport.inOneHour;
import static io.roomgate.app.admin.AdminApiSupport.oversized;
import static io.roomgate.app.admin.AdminApiSupport.quoted;
import static io.roomgate.app.admin.AdminApiSupport.refused;
import static io.roomgate.app.admin.AdminApiSupport.written;
import static org.assertj.core.api.Assertions.assertThat;

/** Daily's room endpoints: create, get, list (with pagination), update, delete, and every bad input. */
@RoomgateTest
class RoomAdminApiIT extends WithEmbeddedApp {

    private static final String BAD = "invalid-request-error";
    private static final String PARSE = "json-parsing-error";

    private Api.Answer create(String name) {
        return written(api.createRoom("{\"name\":" + quoted(name) + "}"));
    }

    // ---- POST /v1/rooms

    @Test
    void create_answers_daily_room_object_and_get_reads_it_back() {
        String name = Api.uniqueName("create");
        long exp = inOneHour();
        long before = api.eventCount();
        Api.Answer created = written(api.createRoom("{\"name\":" + quoted(name) + ",\"privacy\":\"private\",\"properties\":"
                + "{\"exp\":" + exp + ",\"max_participants\":5,\"enable_knocking\":true,\"start_video_off\":true,"
                + "\"enable_recording\":\"cloud\",\"permissions\":{\"canSend\":[\"video\"],\"canAdmin\":false}}}"));
        assertThat(api.eventCount()).isEqualTo(before + 1);
        JsonNode room = created.body();
        assertThat(room.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(room.get("name").asText()).isEqualTo(name);
        assertThat(room.get("api_created").asBoolean()).isTrue();
        assertThat(room.get("privacy").asText()).isEqualTo("private");
        assertThat(room.get("url").asText()).isEqualTo("https://rooms.test/" + name);
        assertThat(Instant.parse(room.get("created_at").asText())).isBeforeOrEqualTo(Instant.now());
        JsonNode config = room.get("config");
        assertThat(config.get("exp").asLong()).isEqualTo(exp);
        assertThat(config.get("max_participants").asInt()).isEqualTo(5);
        assertThat(config.get("enable_knocking").asBoolean()).isTrue();
        assertThat(config.get("start_video_off").asBoolean()).isTrue();
        assertThat(config.get("enable_recording").asText()).isEqualTo("cloud");
        assertThat(config.at("/permissions/canSend/0").asText()).isEqualTo("video");

        Api.Answer read = api.call("GET", "/v1/rooms/" + name, Api.ADMIN, null, consistency(created));
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(room);
    }

    @Test
    void the_caller_and_the_request_id_travel_into_the_events_metadata() {
        String name = Api.uniqueName("meta");
        Api.Answer created = written(api.call("POST", "/v1/rooms", Api.ADMIN, "{\"name\":" + quoted(name) + "}",
                java.util.Map.of("X-Request-Id", "req-" + name)));
        byte[] meta = jdbc.queryForObject("select meta_data from domain_event_entry where aggregate_identifier = ?",
                byte[].class, created.text("id"));
        String metadata = new String(meta, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(metadata).contains("test-admin").contains("req-" + name).doesNotContain(Api.ADMIN);
    }

    @Test
    void springdoc_serves_roomgates_own_document() {
        Api.Answer docs = api.get("/v3/api-docs", null);
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body().get("paths").has("/v1/rooms")).isTrue();
        assertThat(docs.body().get("paths").has("/v1/meeting-tokens/{token}")).isTrue();
        // issue 16: the quarantine of streams the view could not apply, and its retry
        assertThat(docs.body().get("paths").has("/v1/admin/projections/{name}/quarantine")).isTrue();
        assertThat(docs.body().get("paths").has("/v1/admin/projections/{name}/quarantine/{stream}/retry")).isTrue();
    }

    @Test
    void create_without_a_body_or_name_generates_an_unguessable_name() {
        Api.Answer noBody = written(api.post("/v1/rooms", Api.ADMIN, null));
        Api.Answer emptyObject = written(api.createRoom("{}"));
        Api.Answer onlyPrivacy = written(api.createRoom("{\"privacy\":\"public\"}"));
        for (Api.Answer a : List.of(noBody, emptyObject, onlyPrivacy)) {
            assertThat(a.text("name")).matches("[A-Za-z0-9]{20,}");
            assertThat(a.text("privacy")).isEqualTo("public");
        }
        assertThat(noBody.text("name")).isNotEqualTo(emptyObject.text("name"));
    }

    @Test
    void create_accepts_every_property_of_dailys_document_with_its_default() {
        String name = Api.uniqueName("defaults");
        written(api.createRoom("{\"name\":" + quoted(name) + ",\"properties\":{\"max_participants\":200,"
                + "\"enable_screenshare\":true,\"enable_video_processing_ui\":true,\"enable_chat\":false,"
                + "\"enable_shared_chat_history\":true,\"start_video_off\":false,\"start_audio_off\":false,"
                + "\"eject_at_room_exp\":false,\"enable_advanced_chat\":false,\"enable_hidden_participants\":false,"
                + "\"sfu_switchover\":0.5,\"enable_adaptive_simulcast\":true,\"enable_multiparty_adaptive_simulcast\":false,"
                + "\"enforce_unique_user_ids\":false,\"lang\":\"en\",\"geo\":\"NULL\",\"disable_rtmp_geo_fallback\":false,"
                + "\"enable_terse_logging\":false,\"enable_transcription_storage\":false,\"enable_dialout\":false,"
                + "\"recordings_template\":\"{domain_name}/{room_name}/{epoch_time}.\"}}"));
    }

    @Test
    void a_room_name_at_the_length_limit_is_fine() {
        String name = Api.uniqueName("long") + "_".repeat(128 - 13);
        assertThat(name).hasSize(128);
        assertThat(create(name).text("name")).isEqualTo(name);
    }

    @Test
    void malformed_json_is_a_json_parsing_error() {
        for (String body : List.of("{\"name\":", "{name: 'x'}", "not json", "{\"name\":\"a\"} {}", "{\"name\":\"a\",}")) {
            refused(api, 400, PARSE, () -> api.createRoom(body));
        }
    }

    @Test
    void duplicate_keys_in_a_body_are_refused() {
        refused(api, 400, PARSE, () -> api.createRoom("{\"name\":\"dup-a\",\"name\":\"dup-b\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"name\":5}", "{\"name\":true}", "{\"name\":[\"x\"]}", "{\"name\":{}}",
            "{\"privacy\":true}", "{\"privacy\":\"secret\"}", "{\"privacy\":\"PRIVATE \"}",
            "{\"properties\":\"x\"}", "{\"properties\":[]}", "{\"properties\":{\"exp\":\"soon\"}}",
            "{\"properties\":{\"exp\":1.5e9}}", "{\"properties\":{\"nbf\":true}}",
            "{\"properties\":{\"max_participants\":1.5}}", "{\"properties\":{\"max_participants\":\"5\"}}",
            "{\"properties\":{\"max_participants\":99999999999}}", "{\"properties\":{\"max_participants\":0}}",
            "{\"properties\":{\"enable_knocking\":\"yes\"}}", "{\"properties\":{\"enable_knocking\":1}}",
            "{\"properties\":{\"eject_at_room_exp\":\"true\"}}", "{\"properties\":{\"eject_after_elapsed\":\"60\"}}",
            "{\"properties\":{\"eject_after_elapsed\":0}}", "{\"properties\":{\"enforce_unique_user_ids\":null,\"exp\":{}}}",
            "{\"properties\":{\"exp\":99999999999999999999999}}", "[]", "\"room\"", "42"})
    void wrong_types_and_values_are_invalid_requests(String body) {
        refused(api, 400, BAD, () -> api.createRoom(body));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"nmae\":\"x\"}", "{\"name\":\"x-unknown-field\",\"config\":{}}",
            "{\"properties\":{\"no_such_property\":1}}", "{\"properties\":{\"EXP\":1}}",
            "{\"properties\":{\"enable_knocking\":true,\"owner_only_broadcast\":false}}"})
    void unknown_fields_and_properties_are_refused(String body) {
        Api.Answer a = refused(api, 400, BAD, () -> api.createRoom(body));
        assertThat(a.text("info")).containsAnyOf("unknown", "Unknown");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "has space", "a/b", "a.b", "caf\u00e9", "semi;colon", "tab\there", "new\nline",
            "%2e%2e", "<script>", "x12345678901234567890123456789012345678901234567890123456789012345678901234567890"
            + "12345678901234567890123456789012345678901234567890"})
    void invalid_names_are_refused(String name) {
        Api.Answer a = refused(api, 400, BAD, () -> api.createRoom("{\"name\":" + quoted(name) + "}"));
        assertThat(a.text("info")).contains("name");
    }

    @Test
    void an_exp_in_the_past_is_refused() {
        long past = Instant.now().getEpochSecond() - 60;
        Api.Answer a = refused(api, 400, BAD, () -> api.createRoom("{\"name\":" + quoted(Api.uniqueName("past"))
                + ",\"properties\":{\"exp\":" + past + "}}"));
        assertThat(a.text("info")).contains("exp").contains("past");
    }

    @Test
    void millisecond_timestamps_are_refused_and_say_so() {
        long ms = Instant.now().toEpochMilli() + 3_600_000;
        for (String field : List.of("exp", "nbf")) {
            Api.Answer a = refused(api, 400, BAD, () -> api.createRoom("{\"name\":" + quoted(Api.uniqueName("ms"))
                    + ",\"properties\":{\"" + field + "\":" + ms + "}}"));
            assertThat(a.text("info")).contains(field).contains("milliseconds");
        }
    }

    @Test
    void nbf_after_exp_is_refused() {
        long exp = inOneHour();
        refused(api, 400, BAD, () -> api.createRoom("{\"properties\":{\"nbf\":" + (exp + 10) + ",\"exp\":" + exp + "}}"));
    }

    @Test
    void an_oversized_body_is_a_400() {
        Api.Answer a = refused(api, 400, BAD, () -> api.createRoom(oversized("name")));
        assertThat(a.text("info")).contains("exceeds");
        // the same with a body that is not even JSON
        refused(api, 400, BAD, () -> api.createRoom("x".repeat(AdminApiSupport.BODY_LIMIT + 1)));
    }

    @Test
    void an_oversized_body_streamed_without_a_content_length_is_a_400_too() throws Exception {
        byte[] body = oversized("name").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long before = api.eventCount();
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/v1/rooms"))
                .header("Authorization", "Bearer " + Api.ADMIN)
                .header("Content-Type", "application/json")
                // an InputStream publisher has no known length: the request goes out chunked
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
                .send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode error = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        assertThat(error.get("error").asText()).isEqualTo(BAD);
        assertThat(error.get("info").asText()).contains("exceeds");
        assertThat(api.eventCount()).isEqualTo(before);
    }

    @Test
    void a_taken_name_is_refused_in_dailys_words() {
        String name = Api.uniqueName("taken");
        create(name);
        Api.Answer a = refused(api, 400, BAD, () -> api.createRoom("{\"name\":" + quoted(name) + "}"));
        assertThat(a.text("info")).isEqualTo("a room named " + name + " already exists");
    }

    @Test
    void a_deleted_rooms_name_can_be_reused_as_a_new_room() {
        String name = Api.uniqueName("reuse");
        String firstId = create(name).text("id");
        written(api.delete("/v1/rooms/" + name, Api.ADMIN));
        Api.Answer second = create(name);
        assertThat(second.text("id")).isNotEqualTo(firstId);
    }

    // ---- GET /v1/rooms/{name}

    @Test
    void get_of_an_unknown_or_invalid_room_is_a_404() {
        refused(api, 404, "not-found", () -> api.get("/v1/rooms/" + Api.uniqueName("nobody"), Api.ADMIN));
        refused(api, 404, "not-found", () -> api.get("/v1/rooms/" + "x".repeat(300), Api.ADMIN));
        refused(api, 404, "not-found", () -> api.get("/v1/rooms/bad%20name", Api.ADMIN));
    }

    // ---- GET /v1/rooms

    @Test
    void list_is_newest_first_with_dailys_pagination() {
        List<String> ids = new ArrayList<>();
        Api.Answer last = null;
        for (int i = 0; i < 5; i++) {
            last = create(Api.uniqueName("page" + i));
            ids.add(last.text("id"));
            // a consistency token waits for its own room only: read each one back so the view holds all five
            assertThat(api.call("GET", "/v1/rooms/" + last.text("name"), Api.ADMIN, null, consistency(last)).status()).isEqualTo(200);
        }
        List<String> newestFirst = new ArrayList<>(ids);
        java.util.Collections.reverse(newestFirst);

        Api.Answer all = api.call("GET", "/v1/rooms?limit=5", Api.ADMIN, null, consistency(last));
        assertThat(all.status()).isEqualTo(200);
        assertThat(idsOf(all)).containsExactlyElementsOf(newestFirst);
        long total = all.body().get("total_count").asLong();
        assertThat(total).isGreaterThanOrEqualTo(5);

        Api.Answer firstTwo = api.get("/v1/rooms?limit=2", Api.ADMIN);
        assertThat(idsOf(firstTwo)).containsExactlyElementsOf(newestFirst.subList(0, 2));
        assertThat(firstTwo.body().get("total_count").asLong()).isEqualTo(total);

        Api.Answer nextTwo = api.get("/v1/rooms?limit=2&starting_after=" + newestFirst.get(1), Api.ADMIN);
        assertThat(idsOf(nextTwo)).containsExactlyElementsOf(newestFirst.subList(2, 4));
        assertThat(nextTwo.body().get("total_count").asLong()).isEqualTo(total);

        Api.Answer back = api.get("/v1/rooms?limit=2&ending_before=" + newestFirst.get(3), Api.ADMIN);
        assertThat(idsOf(back)).containsExactlyElementsOf(newestFirst.subList(1, 3));

        Api.Answer newest = api.get("/v1/rooms?limit=2&ending_before=" + newestFirst.get(0), Api.ADMIN);
        assertThat(idsOf(newest)).isEmpty();

        // the default limit is 100, and no more than 100 in any case
        Api.Answer byDefault = api.get("/v1/rooms", Api.ADMIN);
        assertThat(byDefault.body().get("data").size()).isEqualTo((int) Math.min(100, total));
    }

    @Test
    void ending_before_oldest_is_the_oldest_page_newest_first() {
        Api.Answer last = create(Api.uniqueName("oldest"));
        List<String> everything = List.of();
        List<String> oldest = List.of();
        long total = -1;
        int k = 3;
        // the view may still be applying other tests' writes: look until two reads agree
        for (int attempt = 0; attempt < 10; attempt++) {
            everything = walk(last);
            total = api.get("/v1/rooms?limit=1", Api.ADMIN).body().get("total_count").asLong();
            Api.Answer page = api.get("/v1/rooms?limit=" + k + "&ending_before=OLDEST", Api.ADMIN);
            assertThat(page.status()).isEqualTo(200);
            oldest = idsOf(page);
            if (everything.size() == total && everything.equals(walk(last))) {
                break;
            }
        }
        assertThat(everything).doesNotHaveDuplicates();
        assertThat((long) everything.size()).isEqualTo(total);
        int n = Math.min(k, everything.size());
        assertThat(oldest).as("the oldest rooms, in the list's own order (newest first)")
                .containsExactlyElementsOf(everything.subList(everything.size() - n, everything.size()));
    }

    /** The whole list, newest first, page by page. */
    private List<String> walk(Api.Answer after) {
        List<String> everything = new ArrayList<>();
        String cursor = null;
        while (true) {
            Api.Answer page = api.call("GET", "/v1/rooms?limit=100" + (cursor == null ? "" : "&starting_after=" + cursor),
                    Api.ADMIN, null, consistency(after));
            List<String> ids = idsOf(page);
            if (ids.isEmpty()) {
                return everything;
            }
            everything.addAll(ids);
            cursor = ids.get(ids.size() - 1);
        }
    }

    @Test
    void bad_list_parameters_are_refused() {
        for (String query : List.of("limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1.5", "limit=99999999999",
                "starting_after=a&ending_before=b")) {
            refused(api, 400, BAD, () -> api.get("/v1/rooms?" + query, Api.ADMIN));
        }
    }

    @Test
    void an_unknown_cursor_gives_an_empty_page_not_an_error() {
        Api.Answer a = api.get("/v1/rooms?starting_after=" + java.util.UUID.randomUUID(), Api.ADMIN);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body().get("data").size()).isZero();
    }

    // ---- POST /v1/rooms/{name}

    @Test
    void update_changes_privacy_and_properties_and_keeps_the_rest() {
        String name = Api.uniqueName("update");
        create(name);
        long exp = inOneHour();
        long before = api.eventCount();
        Api.Answer updated = written(api.post("/v1/rooms/" + name, Api.ADMIN,
                "{\"privacy\":\"private\",\"properties\":{\"exp\":" + exp + ",\"start_audio_off\":true}}"));
        assertThat(api.eventCount()).isEqualTo(before + 2);
        assertThat(updated.text("privacy")).isEqualTo("private");
        assertThat(updated.body().at("/config/exp").asLong()).isEqualTo(exp);
        assertThat(updated.body().at("/config/start_audio_off").asBoolean()).isTrue();

        Api.Answer cleared = written(api.post("/v1/rooms/" + name, Api.ADMIN, "{\"properties\":{\"exp\":null}}"));
        assertThat(cleared.body().at("/config/exp").isMissingNode()).isTrue();
        assertThat(cleared.body().at("/config/start_audio_off").asBoolean()).isTrue();

        Api.Answer read = api.call("GET", "/v1/rooms/" + name, Api.ADMIN, null, consistency(cleared));
        assertThat(read.body()).isEqualTo(cleared.body());
    }

    @Test
    void an_update_that_changes_nothing_appends_nothing_and_still_answers_the_room() {
        String name = Api.uniqueName("noop");
        create(name);
        long before = api.eventCount();
        Api.Answer same = written(api.post("/v1/rooms/" + name, Api.ADMIN, "{\"privacy\":\"public\"}"));
        assertThat(same.text("name")).isEqualTo(name);
        assertThat(api.eventCount()).isEqualTo(before);
    }

    @Test
    void bad_updates_are_refused() {
        String name = Api.uniqueName("badupdate");
        create(name);
        String path = "/v1/rooms/" + name;
        long past = Instant.now().getEpochSecond() - 1;
        long ms = Instant.now().toEpochMilli() + 3_600_000;
        refused(api, 400, PARSE, () -> api.post(path, Api.ADMIN, "{\"privacy\":"));
        refused(api, 400, PARSE, () -> api.post(path, Api.ADMIN, null));
        for (String body : List.of("{\"privacy\":5}", "{\"privacy\":\"open\"}", "{\"properties\":7}",
                "{\"properties\":{\"exp\":\"x\"}}", "{\"properties\":{\"max_participants\":true}}", "[]",
                "{\"name\":\"rename\"}", "{\"privacy\":\"public\",\"colour\":\"red\"}",
                "{\"properties\":{\"shiny\":true}}", "{\"properties\":{\"exp\":" + past + "}}",
                "{\"properties\":{\"exp\":" + ms + "}}", "{\"properties\":{\"nbf\":" + ms + "}}")) {
            refused(api, 400, BAD, () -> api.post(path, Api.ADMIN, body));
        }
        refused(api, 400, BAD, () -> api.post(path, Api.ADMIN, oversized("privacy")));
        refused(api, 404, "not-found", () -> api.post("/v1/rooms/" + Api.uniqueName("nobody"), Api.ADMIN, "{\"privacy\":\"private\"}"));
    }

    // ---- DELETE /v1/rooms/{name}

    @Test
    void delete_answers_dailys_shape_then_the_room_is_gone() {
        String name = Api.uniqueName("delete");
        create(name);
        Api.Answer deleted = written(api.delete("/v1/rooms/" + name, Api.ADMIN));
        assertThat(deleted.body()).hasSize(2);
        assertThat(deleted.body().get("deleted").asBoolean()).isTrue();
        assertThat(deleted.text("name")).isEqualTo(name);
        refused(api, 404, "not-found", () -> api.call("GET", "/v1/rooms/" + name, Api.ADMIN, null, consistency(deleted)));
        refused(api, 404, "not-found", () -> api.delete("/v1/rooms/" + name, Api.ADMIN));
        refused(api, 404, "not-found", () -> api.post("/v1/rooms/" + name, Api.ADMIN, "{}"));
    }

    @Test
    void delete_of_an_unknown_room_is_a_404() {
        refused(api, 404, "not-found", () -> api.delete("/v1/rooms/" + Api.uniqueName("nobody"), Api.ADMIN));
        refused(api, 404, "not-found", () -> api.delete("/v1/rooms/bad.name", Api.ADMIN));
    }

    private static List<String> idsOf(Api.Answer page) {
        assertThat(page.status()).as(page.raw()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.body().get("data").forEach(r -> ids.add(r.get("id").asText()));
        return ids;
    }
}
