package io.roomgate.app.join;

import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The steps of the join scenarios, over HTTP: each write asserts its status and hands back its
 * answer (with the {@code X-Consistency-Token} the following read sends back).
 */
public final class Steps {

    final Api api;

    public Steps(Api api) {
        this.api = api;
    }

    // ---- admin writes

    Answer createRoom(String name, String privacy, String propertiesJson) {
        String body = "{\"name\":\"" + name + "\",\"privacy\":\"" + privacy + "\""
                + (propertiesJson == null ? "" : ",\"properties\":" + propertiesJson) + "}";
        return ok(api.createRoom(body), "create room " + name);
    }

    Answer updateRoom(String name, String json) {
        return ok(api.post("/v1/rooms/" + name, Api.ADMIN, json), "update room " + name);
    }

    Answer makePrivate(String name) {
        return updateRoom(name, "{\"privacy\":\"private\"}");
    }

    /** Issues a token; the answer's {@code token} field is the token text. */
    Answer issue(String propertiesJson) {
        return ok(api.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":" + propertiesJson + "}"), "issue token");
    }

    Answer issueForAllRooms(String propertiesJson) {
        return ok(api.post("/v1/meeting-tokens", Api.ADMIN,
                "{\"properties\":" + propertiesJson + ",\"allow_all_rooms\":true}"), "issue all-rooms token");
    }

    Answer revoke(String token) {
        return ok(api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + token + "\"}"), "revoke");
    }

    Answer addMember(String memberId) {
        return ok(api.put("/v1/members/" + memberId, Api.ADMIN), "add member");
    }

    Answer removeMember(String memberId) {
        return ok(api.delete("/v1/members/" + memberId, Api.ADMIN), "remove member");
    }

    Answer eject(String room, String json) {
        return ok(api.post("/v1/rooms/" + room + "/eject", Api.ADMIN, json), "eject");
    }

    Answer deleteRoom(String room) {
        return ok(api.delete("/v1/rooms/" + room, Api.ADMIN), "delete room");
    }

    // ---- the join server's writes

    /** Reports a join; the caller asserts the status (a refused join is a 403/409). */
    Answer reportJoin(String room, String json) {
        return api.post("/v1/rooms/" + room + "/participants", Api.JOIN, json);
    }

    Answer join(String room, String json) {
        Answer a = reportJoin(room, json);
        assertThat(a.status()).as("join %s: %s", json, a.raw()).isEqualTo(200);
        assertThat(a.text("decision")).isEqualTo("allow");
        return a;
    }

    Answer leave(String room, String participantId) {
        return ok(api.delete("/v1/rooms/" + room + "/participants/" + participantId, Api.JOIN), "leave");
    }

    Answer knock(String room, String userName) {
        Answer a = ok(api.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"" + userName + "\"}"), "knock");
        assertThat(a.text("status")).isEqualTo("pending");
        return a;
    }

    Answer approve(String knockId, String byParticipantId) {
        return api.post("/v1/knocks/" + knockId + "/approve", Api.JOIN, "{\"by_participant_id\":\"" + byParticipantId + "\"}");
    }

    Answer deny(String knockId, String byParticipantId) {
        return api.post("/v1/knocks/" + knockId + "/deny", Api.JOIN, "{\"by_participant_id\":\"" + byParticipantId + "\"}");
    }

    // ---- reads

    Answer check(String json, String consistencyToken) {
        Answer a = api.joinCheck(json, consistencyToken);
        assertThat(a.status()).as("join check %s: %s", json, a.raw()).isEqualTo(200);
        return a;
    }

    /** Asserts decision and reason of a join check that waits for {@code after}'s write. */
    Answer expect(String json, Answer after, String decision, String reason) {
        Answer a = check(json, after == null ? null : after.consistencyToken());
        assertThat(a.text("decision") + " " + a.text("reason")).as("join check %s", json).isEqualTo(decision + " " + reason);
        return a;
    }

    Answer get(String path, Answer after) {
        return api.call("GET", path, Api.JOIN, null,
                after == null || after.consistencyToken() == null ? Map.of() : Map.of("X-Consistency-Token", after.consistencyToken()));
    }

    static String body(String... keyValues) {
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (i > 0) b.append(',');
            b.append('"').append(keyValues[i]).append("\":\"").append(keyValues[i + 1]).append('"');
        }
        return b.append('}').toString();
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }


    private static Answer ok(Answer a, String what) {
        assertThat(a.status()).as("%s: %s", what, a.raw()).isEqualTo(200);
        assertThat(a.consistencyToken()).as("%s carries X-Consistency-Token", what).isNotNull();
        return a;
    }
}
