package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.roomgate.app.admin.AdminApiSupport.consistency;
import static io.roomgate.app.admin.AdminApiSupport.oversized;
import static io.roomgate.app.admin.AdminApiSupport.quoted;
import static io.roomgate.app.admin.AdminApiSupport.refused;
import static io.roomgate.app.admin.AdminApiSupport.written;
import static org.assertj.core.api.Assertions.assertThat;

/** Members, presence, eject (with Daily's ban) and lifting a ban. */
@RoomgateTest
class PresenceMembersEjectApiIT extends WithEmbeddedApp {

    private static final String BAD = "invalid-request-error";

    private Api.Answer room(String name, String privacy) {
        return written(api.createRoom("{\"name\":" + quoted(name) + ",\"privacy\":\"" + privacy + "\"}"));
    }

    private Api.Answer join(String room, String participantId, String userId, String userName) {
        return written(api.post("/v1/rooms/" + room + "/participants", Api.JOIN, "{\"participant_id\":" + quoted(participantId)
                + (userId == null ? "" : ",\"user_id\":" + quoted(userId))
                + (userName == null ? "" : ",\"user_name\":" + quoted(userName)) + "}"));
    }

    // ---- members

    @Test
    void put_and_delete_a_member_change_what_a_private_room_admits() {
        String name = Api.uniqueName("members");
        Api.Answer r = room(name, "private");
        String member = Api.uniqueName("user");
        String check = "{\"room_name\":" + quoted(name) + ",\"member_id\":" + quoted(member) + "}";
        assertThat(api.joinCheck(check, r.consistencyToken()).text("reason")).isEqualTo("private-room");

        long before = api.eventCount();
        Api.Answer added = written(api.put("/v1/members/" + member, Api.ADMIN));
        assertThat(added.text("user_id")).isEqualTo(member);
        assertThat(api.eventCount()).isEqualTo(before + 1);
        assertThat(api.joinCheck(check, added.consistencyToken()).text("reason")).isEqualTo("member");
        // PUT is idempotent
        written(api.put("/v1/members/" + member, Api.ADMIN));
        assertThat(api.eventCount()).isEqualTo(before + 1);

        Api.Answer removed = written(api.delete("/v1/members/" + member, Api.ADMIN));
        assertThat(removed.body().get("deleted").asBoolean()).isTrue();
        assertThat(api.joinCheck(check, removed.consistencyToken()).text("reason")).isEqualTo("private-room");
    }

    @Test
    void bad_member_requests_are_refused() {
        refused(api, 404, "not-found", () -> api.delete("/v1/members/" + Api.uniqueName("never"), Api.ADMIN));
        String once = Api.uniqueName("once");
        written(api.put("/v1/members/" + once, Api.ADMIN));
        written(api.delete("/v1/members/" + once, Api.ADMIN));
        refused(api, 404, "not-found", () -> api.delete("/v1/members/" + once, Api.ADMIN));
        refused(api, 400, BAD, () -> api.put("/v1/members/" + "m".repeat(129), Api.ADMIN));
        refused(api, 400, BAD, () -> api.put("/v1/members/ctl%01char", Api.ADMIN));
    }

    // ---- presence

    @Test
    void presence_lists_who_is_in_the_room_in_dailys_shape() {
        String name = Api.uniqueName("presence");
        room(name, "public");
        join(name, "p-1", "user-1", "Ada");
        Api.Answer last = join(name, "p-2", null, "Grace");
        Api.Answer presence = api.call("GET", "/v1/rooms/" + name + "/presence", Api.ADMIN, null, consistency(last));
        assertThat(presence.status()).as(presence.raw()).isEqualTo(200);
        assertThat(presence.body().get("total_count").asInt()).isEqualTo(2);
        JsonNode data = presence.body().get("data");
        assertThat(data).hasSize(2);
        JsonNode ada = data.get(0).get("id").asText().equals("p-1") ? data.get(0) : data.get(1);
        assertThat(ada.get("room").asText()).isEqualTo(name);
        assertThat(ada.get("userId").asText()).isEqualTo("user-1");
        assertThat(ada.get("userName").asText()).isEqualTo("Ada");
        assertThat(Instant.parse(ada.get("joinTime").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(ada.get("duration").isIntegralNumber()).isTrue();

        // Daily's query parameters: userId, userName, limit
        Api.Answer byUser = api.get("/v1/rooms/" + name + "/presence?userId=user-1", Api.JOIN);
        assertThat(byUser.body().get("data")).hasSize(1);
        assertThat(byUser.body().at("/data/0/id").asText()).isEqualTo("p-1");
        Api.Answer byName = api.get("/v1/rooms/" + name + "/presence?userName=Grace", Api.ADMIN);
        assertThat(byName.body().get("data")).hasSize(1);
        assertThat(byName.body().at("/data/0/id").asText()).isEqualTo("p-2");
        Api.Answer limited = api.get("/v1/rooms/" + name + "/presence?limit=1", Api.ADMIN);
        assertThat(limited.body().get("data")).hasSize(1);
        assertThat(limited.body().get("total_count").asInt()).isEqualTo(2);
    }

    @Test
    void presence_of_an_empty_room_is_empty_and_of_an_unknown_room_a_404() {
        String name = Api.uniqueName("empty");
        Api.Answer r = room(name, "public");
        Api.Answer presence = api.call("GET", "/v1/rooms/" + name + "/presence", Api.ADMIN, null, consistency(r));
        assertThat(presence.body().get("total_count").asInt()).isZero();
        assertThat(presence.body().get("data")).isEmpty();
        refused(api, 404, "not-found", () -> api.get("/v1/rooms/" + Api.uniqueName("nobody") + "/presence", Api.ADMIN));
        refused(api, 400, BAD, () -> api.get("/v1/rooms/" + name + "/presence?limit=abc", Api.ADMIN));
        refused(api, 400, BAD, () -> api.get("/v1/rooms/" + name + "/presence?limit=0", Api.ADMIN));
    }

    // ---- eject and bans

    @Test
    void eject_by_participant_id_and_by_user_id_answers_daily_ejected_ids() {
        String name = Api.uniqueName("eject");
        room(name, "public");
        join(name, "p-1", "user-1", null);
        join(name, "p-2", "user-2", null);
        join(name, "p-3", null, null);
        Api.Answer ejected = written(api.post("/v1/rooms/" + name + "/eject", Api.ADMIN,
                "{\"ids\":[\"p-3\",\"p-unknown\"],\"user_ids\":[\"user-2\"]}"));
        assertThat(ejected.body().size()).isEqualTo(1);
        assertThat(toList(ejected.body().get("ejectedIds"))).containsExactlyInAnyOrder("p-2", "p-3");

        Api.Answer presence = api.call("GET", "/v1/rooms/" + name + "/presence", Api.ADMIN, null, consistency(ejected));
        assertThat(presence.body().at("/data/0/id").asText()).isEqualTo("p-1");
        assertThat(presence.body().get("total_count").asInt()).isEqualTo(1);

        // without ban, an ejected user may come back
        join(name, "p-2b", "user-2", null);
    }

    @Test
    void eject_with_ban_keeps_the_user_out_until_the_ban_is_lifted() {
        String name = Api.uniqueName("ban");
        room(name, "public");
        join(name, "p-1", "user-1", null);
        Api.Answer banned = written(api.post("/v1/rooms/" + name + "/eject", Api.ADMIN, "{\"user_ids\":[\"user-1\"],\"ban\":true}"));
        assertThat(toList(banned.body().get("ejectedIds"))).containsExactly("p-1");
        String check = "{\"room_name\":" + quoted(name) + ",\"user_id\":\"user-1\"}";
        assertThat(api.joinCheck(check, banned.consistencyToken()).text("reason")).isEqualTo("banned");
        AdminApiSupport.assertDailyError(api.post("/v1/rooms/" + name + "/participants", Api.JOIN,
                "{\"participant_id\":\"p-1b\",\"user_id\":\"user-1\"}"), 403, "forbidden-error");

        long before = api.eventCount();
        Api.Answer lifted = written(api.delete("/v1/rooms/" + name + "/bans/user-1", Api.ADMIN));
        assertThat(api.eventCount()).isEqualTo(before + 1);
        assertThat(lifted.text("user_id")).isEqualTo("user-1");
        assertThat(api.joinCheck(check, lifted.consistencyToken()).text("reason")).isEqualTo("public-room");

        refused(api, 404, "not-found", () -> api.delete("/v1/rooms/" + name + "/bans/user-1", Api.ADMIN));
        refused(api, 404, "not-found", () -> api.delete("/v1/rooms/" + name + "/bans/never-banned", Api.ADMIN));
        refused(api, 404, "not-found", () -> api.delete("/v1/rooms/" + Api.uniqueName("nobody") + "/bans/user-1", Api.ADMIN));
    }

    @Test
    void bad_ejects_are_refused() {
        String name = Api.uniqueName("badeject");
        room(name, "public");
        join(name, "p-1", "user-1", null);
        String path = "/v1/rooms/" + name + "/eject";
        refused(api, 400, "json-parsing-error", () -> api.post(path, Api.ADMIN, "{\"ids\":["));
        refused(api, 400, "json-parsing-error", () -> api.post(path, Api.ADMIN, null));
        String tooMany = IntStream.range(0, 101).mapToObj(i -> "\"p-" + i + "\"").collect(Collectors.joining(",", "[", "]"));
        for (String body : List.of("{}", "{\"ids\":[]}", "{\"ids\":\"p-1\"}", "{\"ids\":[1]}", "{\"ids\":[null]}",
                "{\"user_ids\":{}}", "{\"ids\":[\"p-1\"],\"ban\":\"yes\"}", "{\"ids\":[\"p-1\"],\"ban\":1}",
                "{\"ids\":[\"p-1\"],\"reason\":\"x\"}", "{\"ids\":" + tooMany + "}", "{\"user_ids\":" + tooMany + "}", "[]",
                "{\"user_ids\":[" + quoted("u".repeat(129)) + "],\"ban\":true}", "{\"ids\":[\"\"]}",
                "{\"user_ids\":[\"ctl\\u0000\"],\"ban\":true}")) {
            refused(api, 400, BAD, () -> api.post(path, Api.ADMIN, body));
        }
        refused(api, 400, BAD, () -> api.post(path, Api.ADMIN, oversized("ids")));
        refused(api, 404, "not-found", () -> api.post("/v1/rooms/" + Api.uniqueName("nobody") + "/eject", Api.ADMIN, "{\"ids\":[\"p-1\"]}"));
        // p-1 is still there
        Api.Answer presence = api.get("/v1/rooms/" + name + "/presence", Api.ADMIN);
        assertThat(presence.body().get("total_count").asInt()).isEqualTo(1);
    }

    @Test
    void a_join_report_with_an_overlong_user_id_or_name_is_refused() {
        String name = Api.uniqueName("longuser");
        room(name, "public");
        String path = "/v1/rooms/" + name + "/participants";
        refused(api, 400, BAD, () -> api.post(path, Api.JOIN, "{\"participant_id\":\"p-1\",\"user_id\":" + quoted("u".repeat(129)) + "}"));
        refused(api, 400, BAD, () -> api.post(path, Api.JOIN, "{\"participant_id\":\"p-1\",\"user_name\":" + quoted("n".repeat(201)) + "}"));
        refused(api, 400, BAD, () -> api.post(path, Api.JOIN, "{\"participant_id\":" + quoted("p".repeat(129)) + "}"));
        // a knock's user id is the same user id: the same limit, before any event
        String knocking = Api.uniqueName("longknock");
        assertThat(api.createRoom("{\"name\":\"" + knocking + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}")
                .status()).isEqualTo(200);
        String knocks = "/v1/rooms/" + knocking + "/knocks";
        assertThat(api.post(knocks, Api.JOIN, "{\"user_name\":\"Kim\",\"user_id\":" + quoted("u".repeat(128)) + "}").status())
                .as("128 characters are fine").isEqualTo(200);
        refused(api, 400, BAD, () -> api.post(knocks, Api.JOIN, "{\"user_name\":\"Kim\",\"user_id\":" + quoted("u".repeat(129)) + "}"));
        refused(api, 400, BAD, () -> api.post(knocks, Api.JOIN, "{\"user_name\":\"Kim\",\"user_id\":\"a\\u0007b\"}"));
        // the view still follows: a good join right after is visible
        Api.Answer ok = join(name, "p-1", "u".repeat(128), "n".repeat(200));
        Api.Answer presence = api.call("GET", "/v1/rooms/" + name + "/presence", Api.ADMIN, null, consistency(ok));
        assertThat(presence.status()).as(presence.raw()).isEqualTo(200);
        assertThat(presence.body().at("/data/0/userId").asText()).hasSize(128);
    }

    @Test
    void deleting_a_room_ejects_everyone_present() {
        String name = Api.uniqueName("delpresent");
        room(name, "public");
        join(name, "p-1", "user-1", null);
        long before = api.eventCount();
        Api.Answer deleted = written(api.delete("/v1/rooms/" + name, Api.ADMIN));
        assertThat(api.eventCount()).isGreaterThanOrEqualTo(before + 2);
        refused(api, 404, "not-found", () -> api.call("GET", "/v1/rooms/" + name + "/presence", Api.ADMIN, null, consistency(deleted)));
    }

    private static List<String> toList(JsonNode array) {
        assertThat(array.isArray()).isTrue();
        java.util.ArrayList<String> list = new java.util.ArrayList<>();
        array.forEach(n -> list.add(n.asText()));
        return list;
    }
}
