package io.roomgate.app.audit;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Could X have joined at 14:03?": {@code POST /v1/join-checks} with {@code at}, for a room
 * whose privacy flipped, whose token was revoked and whose knock was approved at known
 * instants. Each instant between two writes gets the answer that moment deserved, and the
 * positions it rests on are exactly the audit log's events of that room (and token) up to then.
 */
@RoomgateTest
class TimeTravelIT extends WithEmbeddedApp {

    private AuditSteps steps() {
        return new AuditSteps(api);
    }

    @Test
    void each_moment_gets_the_answer_it_deserved() {
        AuditSteps s = steps();
        String room = Api.uniqueName("past");
        String rid = AuditSteps.requestId();

        Instant beforeRoom = AuditSteps.pause();
        s.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\",\"privacy\":\"private\","
                + "\"properties\":{\"enable_knocking\":true}}", rid);
        Instant created = AuditSteps.pause();

        String owner = s.write("POST", "/v1/meeting-tokens", Api.ADMIN,
                "{\"properties\":{\"room_name\":\"" + room + "\",\"is_owner\":true}}", rid).text("token");
        Answer guestIssue = s.write("POST", "/v1/meeting-tokens", Api.ADMIN,
                "{\"properties\":{\"room_name\":\"" + room + "\",\"user_id\":\"guest\"}}", rid);
        String guest = guestIssue.text("token");
        Instant tokensIssued = AuditSteps.pause();

        s.write("POST", "/v1/rooms/" + room + "/participants", Api.JOIN,
                "{\"participant_id\":\"owner-1\",\"token\":\"" + owner + "\"}", rid);
        String knock = s.write("POST", "/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"Kim\"}", rid).text("id");
        Instant knocked = AuditSteps.pause();

        s.write("POST", "/v1/knocks/" + knock + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner-1\"}", rid);
        Instant approved = AuditSteps.pause();

        s.write("POST", "/v1/rooms/" + room, Api.ADMIN, "{\"privacy\":\"public\"}", rid);
        Instant madePublic = AuditSteps.pause();

        s.write("POST", "/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + guest + "\"}", rid);
        Instant revoked = AuditSteps.pause();

        Answer last = s.write("POST", "/v1/rooms/" + room, Api.ADMIN, "{\"privacy\":\"private\"}", rid);
        Instant madePrivateAgain = AuditSteps.pause();
        // time travel finds the room's generation in the view: let the view have it
        assertThat(s.api.joinCheck("{\"room_name\":\"" + room + "\"}", last.consistencyToken()).status()).isEqualTo(200);

        // an auditor asks with the audit key (issue 16, row 11); a check of now stays the join key's
        Answer audited = s.api.call("POST", "/v1/join-checks", Api.AUDIT,
                "{\"room_name\":\"" + room + "\",\"at\":\"" + approved + "\"}", java.util.Map.of());
        assertThat(audited.status()).as(audited.raw()).isEqualTo(200);
        assertThat(audited.body().get("based_on_positions")).isNotEmpty();
        Answer auditNow = s.api.call("POST", "/v1/join-checks", Api.AUDIT, "{\"room_name\":\"" + room + "\"}", java.util.Map.of());
        assertThat(auditNow.status()).isEqualTo(403);
        assertThat(auditNow.text("error")).isEqualTo("forbidden-error");

        // before the room existed
        expect(s, room, beforeRoom, "{}", "deny", "room-not-found");
        expect(s, room, beforeRoom, "{\"token\":\"" + guest + "\"}", "deny", "room-not-found");

        // created, private, knocking; no token yet issued matters not to a token's own claims
        expect(s, room, created, "{}", "knock", "knock-required");
        expect(s, room, created, "{\"participant_id\":\"owner-1\"}", "knock", "knock-required");
        expect(s, room, created, "{\"knock_id\":\"" + knock + "\"}", "knock", "knock-required");

        expect(s, room, tokensIssued, "{\"token\":\"" + guest + "\"}", "allow", "valid-token");

        // the owner is in, Kim knocks
        expect(s, room, knocked, "{\"participant_id\":\"owner-1\"}", "allow", "already-present");
        expect(s, room, knocked, "{\"knock_id\":\"" + knock + "\"}", "wait", "knock-pending");
        expect(s, room, knocked, "{}", "knock", "knock-required");

        // approved, still private
        expect(s, room, approved, "{\"knock_id\":\"" + knock + "\"}", "allow", "knock-approved");
        expect(s, room, approved, "{}", "knock", "knock-required");

        // public: anyone; the guest's token still good
        expect(s, room, madePublic, "{}", "allow", "public-room");
        expect(s, room, madePublic, "{\"token\":\"" + guest + "\"}", "allow", "valid-token");

        // the guest's token revoked: refused even in a public room; others still welcome
        expect(s, room, revoked, "{\"token\":\"" + guest + "\"}", "deny", "token-revoked");
        expect(s, room, revoked, "{}", "allow", "public-room");
        expect(s, room, revoked, "{\"token\":\"" + owner + "\"}", "allow", "valid-token");

        // private again: the owner stays, newcomers knock, the approval still admits Kim once
        expect(s, room, madePrivateAgain, "{}", "knock", "knock-required");
        expect(s, room, madePrivateAgain, "{\"participant_id\":\"owner-1\"}", "allow", "already-present");
        expect(s, room, madePrivateAgain, "{\"knock_id\":\"" + knock + "\"}", "allow", "knock-approved");
        expect(s, room, madePrivateAgain, "{\"token\":\"" + guest + "\"}", "deny", "token-revoked");

        // and the present agrees with the last moment
        Answer now = s.api.joinCheck("{\"room_name\":\"" + room + "\",\"token\":\"" + guest + "\"}", null);
        assertThat(now.text("reason")).isEqualTo("token-revoked");
        assertThat(s.api.joinCheck("{\"room_name\":\"" + room + "\"}", null).text("reason")).isEqualTo("knock-required");
    }

    @Test
    void the_positions_an_answer_rests_on_are_the_audit_logs_events_up_to_that_moment() {
        AuditSteps s = steps();
        String room = Api.uniqueName("basis");
        String rid = AuditSteps.requestId();
        s.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\",\"privacy\":\"private\"}", rid);
        String guest = s.write("POST", "/v1/meeting-tokens", Api.ADMIN,
                "{\"properties\":{\"room_name\":\"" + room + "\"}}", rid).text("token");
        s.write("POST", "/v1/rooms/" + room, Api.ADMIN, "{\"privacy\":\"public\"}", rid);
        Instant madePublic = AuditSteps.pause();
        Answer last = s.write("POST", "/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + guest + "\"}", rid);
        s.write("POST", "/v1/rooms/" + room, Api.ADMIN, "{\"privacy\":\"private\"}", rid);
        Instant end = AuditSteps.pause();
        assertThat(s.api.joinCheck("{\"room_name\":\"" + room + "\"}", last.consistencyToken()).status()).isEqualTo(200);

        List<JsonNode> history = s.all("room_name=" + room, 100);
        assertThat(AuditSteps.types(history))
                .containsExactly("RoomCreated", "TokenIssued", "PrivacyChanged", "TokenRevoked", "PrivacyChanged");

        for (Instant at : List.of(madePublic, end)) {
            Answer a = check(s, room, at, "{\"token\":\"" + guest + "\"}");
            Set<Long> basis = new TreeSet<>();
            a.body().get("based_on_positions").forEach(p -> basis.add(p.asLong()));
            Set<Long> upToThen = new TreeSet<>();
            history.stream().filter(e -> !Instant.parse(e.get("occurred_at").asText()).isAfter(at))
                    .forEach(e -> upToThen.add(e.get("position").asLong()));
            assertThat(basis).as("at %s", at).isEqualTo(upToThen);
            assertThat(Instant.parse(a.text("evaluated_at"))).isEqualTo(at);
        }
        assertThat(check(s, room, madePublic, "{\"token\":\"" + guest + "\"}").text("reason")).isEqualTo("valid-token");
        assertThat(check(s, room, end, "{\"token\":\"" + guest + "\"}").text("reason")).isEqualTo("token-revoked");
    }

    @Test
    void a_member_was_admitted_to_a_private_room_only_while_a_member() {
        AuditSteps s = steps();
        String room = Api.uniqueName("members-past");
        String member = Api.uniqueName("user");
        String rid = AuditSteps.requestId();
        s.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\",\"privacy\":\"private\"}", rid);
        Instant beforeMember = AuditSteps.pause();
        s.write("PUT", "/v1/members/" + member, Api.ADMIN, null, rid);
        Instant aMember = AuditSteps.pause();
        Answer removed = s.write("DELETE", "/v1/members/" + member, Api.ADMIN, null, rid);
        Instant removedAt = AuditSteps.pause();
        s.api.joinCheck("{\"room_name\":\"" + room + "\"}", removed.consistencyToken());

        String credentials = "{\"member_id\":\"" + member + "\"}";
        expect(s, room, beforeMember, credentials, "deny", "private-room");
        expect(s, room, aMember, credentials, "allow", "member");
        expect(s, room, removedAt, credentials, "deny", "private-room");
    }

    @Test
    void a_reused_name_is_answered_from_the_generation_that_lived_then() {
        AuditSteps s = steps();
        String room = Api.uniqueName("again");
        String rid = AuditSteps.requestId();
        s.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\",\"privacy\":\"private\"}", rid);
        Instant first = AuditSteps.pause();
        Answer deleted = s.write("DELETE", "/v1/rooms/" + room, Api.ADMIN, null, rid);
        Instant gone = AuditSteps.pause();
        Answer second = s.write("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\",\"privacy\":\"public\"}", rid);
        Instant now = AuditSteps.pause();
        s.api.joinCheck("{\"room_name\":\"" + room + "\"}", deleted.consistencyToken());
        s.api.joinCheck("{\"room_name\":\"" + room + "\"}", second.consistencyToken());

        expect(s, room, first, "{}", "deny", "private-room");
        expect(s, room, gone, "{}", "deny", "room-not-found");
        expect(s, room, now, "{}", "allow", "public-room");

        List<String> generations = new ArrayList<>();
        s.all("room_name=" + room + "&type=RoomCreated", 10).forEach(e -> generations.add(e.get("aggregate_id").asText()));
        assertThat(generations).hasSize(2).doesNotHaveDuplicates();
    }

    private static Answer check(AuditSteps s, String room, Instant at, String credentials) {
        String body = credentials.replaceFirst("^\\{", "{\"room_name\":\"" + room + "\",\"at\":\"" + at + "\""
                + (credentials.equals("{}") ? "" : ","));
        Answer a = s.api.post("/v1/join-checks", Api.JOIN, body);
        assertThat(a.status()).as(body + " → " + a.raw()).isEqualTo(200);
        return a;
    }

    private static void expect(AuditSteps s, String room, Instant at, String credentials, String decision, String reason) {
        Answer a = check(s, room, at, credentials);
        assertThat(a.text("decision") + " " + a.text("reason")).as("at %s with %s", at, credentials)
                .isEqualTo(decision + " " + reason);
    }
}
