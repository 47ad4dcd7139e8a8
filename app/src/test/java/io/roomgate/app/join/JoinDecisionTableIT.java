package io.roomgate.app.join;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateTest;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.token.MeetingTokens;
import io.roomgate.token.SigningKeys;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.roomgate.app.join.Steps.body;
import static io.roomgate.app.join.Steps.nowSeconds;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * access rules §2, the join decision, one test per row of the table, over HTTP against the running app.
 * Each row also shows that the rows before it do not apply and, where it matters, that it wins
 * over the rows after it. Knocks that lapse with time are in {@link KnockTimeoutsIT}.
 */
@RoomgateTest
class JoinDecisionTableIT extends WithEmbeddedApp {

    /** The test profile's signing key (application-test.yml), for self-signed tokens. */
    static final byte[] TEST_KEY = Base64.getDecoder().decode("dGVzdC1vbmx5LXNpZ25pbmcta2V5LWZvci10aGUtc3VpdGUtMDAwMDAwMDAwMA==");

    @Autowired
    MeetingTokens tokens;

    @Test
    void row01_no_live_room_of_that_name_is_room_not_found() {
        steps.expect(body("room_name", Api.uniqueName("never")), null, "deny", "room-not-found");
        // a deleted room is no live room, whatever credential comes along
        String room = Api.uniqueName("gone");
        steps.createRoom(room, "public", null);
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.join(room, body("participant_id", "p1"));
        Answer deleted = steps.deleteRoom(room);
        steps.expect(body("room_name", room), deleted, "deny", "room-not-found");
        steps.expect(body("room_name", room, "participant_id", "p1"), deleted, "deny", "room-not-found");
        steps.expect(body("room_name", room, "token", owner.text("token")), deleted, "deny", "room-not-found");
        // a room name that could never exist is a plain "not found", not an error
        steps.expect(body("room_name", "no spaces/or slashes"), null, "deny", "room-not-found");
    }

    @Test
    void row02_room_exp_passed_is_room_expired_then_room_not_found() {
        String room = Api.uniqueName("expiring");
        long exp = nowSeconds() + 2;
        Answer created = steps.createRoom(room, "public", "{\"exp\":" + exp + "}");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.expect(body("room_name", room), created, "allow", "public-room");
        Waiting.waitUntil("exp has passed", Duration.ofSeconds(10), () -> System.currentTimeMillis() >= exp * 1000 + 100);
        // from exp on nobody gets in, not even with a token: the view may still hold the room
        // (room-expired) or already its deletion (room-not-found)
        for (String json : List.of(body("room_name", room), body("room_name", room, "token", owner.text("token")))) {
            Answer a = steps.check(json, created.consistencyToken());
            assertThat(a.text("decision")).isEqualTo("deny");
            assertThat(a.text("reason")).isIn("room-expired", "room-not-found");
        }
        // "A room with exp is deleted automatically at exp"
        Waiting.waitUntil("the expired room is deleted", Duration.ofSeconds(20),
                () -> "room-not-found".equals(steps.check(body("room_name", room), null).text("reason")));
        assertThat(api.get("/v1/rooms/" + room, Api.ADMIN).status()).isEqualTo(404);
    }

    @Test
    void row03_room_nbf_in_the_future_is_room_not_yet_open() {
        String room = Api.uniqueName("later");
        Answer created = steps.createRoom(room, "public", "{\"nbf\":" + (nowSeconds() + 3600) + "}");
        steps.expect(body("room_name", room), created, "deny", "room-not-yet-open");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.expect(body("room_name", room, "token", owner.text("token")), owner, "deny", "room-not-yet-open");
        // opening it now lets people in
        Answer opened = steps.updateRoom(room, "{\"properties\":{\"nbf\":null}}");
        steps.expect(body("room_name", room), opened, "allow", "public-room");
    }

    @Test
    void row04_a_participant_present_is_allowed_back_even_when_the_room_turned_private_and_full() {
        String room = Api.uniqueName("reconnect");
        steps.createRoom(room, "public", "{\"max_participants\":1}");
        Answer in = steps.join(room, body("participant_id", "p-in", "user_id", "u-in"));
        Answer closed = steps.makePrivate(room);
        // private and full: a newcomer is turned away, the one inside is "already present"
        steps.expect(body("room_name", room), closed, "deny", "room-full");
        steps.expect(body("room_name", room, "participant_id", "p-in"), closed, "allow", "already-present");
        // even with a credential that would be refused: the session is already in
        steps.expect(body("room_name", room, "participant_id", "p-in", "token", "garbage"), closed, "allow", "already-present");
        // the authoritative join agrees and appends nothing for a reconnect
        long before = api.eventCount();
        Answer again = steps.join(room, body("participant_id", "p-in"));
        assertThat(again.text("reason")).isEqualTo("already-present");
        assertThat(api.eventCount()).isEqualTo(before);
        // once they left, the same participant id is a newcomer
        Answer left = steps.leave(room, "p-in");
        steps.expect(body("room_name", room, "participant_id", "p-in"), left, "deny", "private-room");
        assertThat(in.text("reason")).isEqualTo("public-room");
    }

    @Test
    void row05_an_invalid_token_is_token_invalid_even_in_a_public_room() throws Exception {
        String room = Api.uniqueName("public-invalid");
        Answer created = steps.createRoom(room, "public", null);
        String good = steps.issue("{\"room_name\":\"" + room + "\"}").text("token");
        steps.expect(body("room_name", room, "token", good), created, "allow", "valid-token");

        String[] parts = good.split("\\.");
        Instant now = Instant.now();
        MeetingTokenClaims claims = claims(room, null, null);
        byte[] otherKey = new byte[32];
        new SecureRandom().nextBytes(otherKey);
        List<String> invalid = List.of(
                "garbage",
                parts[0] + "." + parts[1],                                                  // no signature
                parts[0] + "." + parts[1] + "." + tamper(parts[2]),                          // signature does not verify
                parts[0] + "." + tamper(parts[1]) + "." + parts[2],                          // claims changed after signing
                new MeetingTokens(new SigningKeys(Map.of("test-1", otherKey), "test-1"), "test-domain")
                        .issue(claims, UUID.randomUUID().toString(), now),                   // another key
                new MeetingTokens(new SigningKeys(Map.of("test-1", TEST_KEY), "test-1"), "another-domain")
                        .issue(claims, UUID.randomUUID().toString(), now),                   // another domain
                jwt("{\"alg\":\"none\",\"typ\":\"JWT\"}", payload(room), null, null),       // alg none, no signature
                jwt("{\"alg\":\"HS384\",\"kid\":\"test-1\",\"typ\":\"JWT\"}", payload(room), "HmacSHA384", TEST_KEY), // another alg
                jwt("{\"alg\":\"HS256\",\"kid\":\"test-1\",\"typ\":\"JWT\"}", payload(room), "HmacSHA256", TEST_KEY)
                        + "=");                                                              // not canonical base64url
        for (String token : invalid) {
            Answer a = steps.check(body("room_name", room, "token", token), null);
            assertThat(a.text("decision") + " " + a.text("reason")).as("token %s", token).isEqualTo("deny token-invalid");
            assertThat(a.raw()).as("the answer never echoes the token").doesNotContain(token);
        }
        // the same self-signed token, correctly signed, is accepted: Daily-style self-signing works
        String selfSigned = jwt("{\"alg\":\"HS256\",\"kid\":\"test-1\",\"typ\":\"JWT\"}", payload(room), "HmacSHA256", TEST_KEY);
        steps.expect(body("room_name", room, "token", selfSigned), null, "allow", "valid-token");
    }

    @Test
    void row06_an_expired_or_not_yet_valid_token_is_refused() {
        String room = Api.uniqueName("token-times");
        Answer created = steps.createRoom(room, "public", null);
        // issuing a token with exp in the past is refused, so it is self-signed with the domain's key
        String expired = tokens.issue(claims(room, nowSeconds() - 60, null), UUID.randomUUID().toString(),
                Instant.now().minusSeconds(3600));
        steps.expect(body("room_name", room, "token", expired), created, "deny", "token-expired");
        Answer notYet = steps.issue("{\"room_name\":\"" + room + "\",\"nbf\":" + (nowSeconds() + 3600) + "}");
        steps.expect(body("room_name", room, "token", notYet.text("token")), notYet, "deny", "token-not-yet-valid");
        // an invalid token's time is never looked at: row 5 comes first
        steps.expect(body("room_name", room, "token", expired + "x"), null, "deny", "token-invalid");
        assertThat(steps.reportJoin(room, body("participant_id", "p-late", "token", expired)).status()).isEqualTo(403);
    }

    @Test
    void row07_a_token_for_another_room_is_token_wrong_room() {
        String room = Api.uniqueName("this");
        String other = Api.uniqueName("that");
        steps.createRoom(room, "public", null);
        steps.createRoom(other, "public", null);
        Answer forOther = steps.issue("{\"room_name\":\"" + other + "\",\"is_owner\":true}");
        // even in a public room: a credential for another room is refused, not ignored
        steps.expect(body("room_name", room, "token", forOther.text("token")), forOther, "deny", "token-wrong-room");
        steps.expect(body("room_name", other, "token", forOther.text("token")), forOther, "allow", "valid-token");
        // a token expired and for another room: the time rule (row 6) comes first
        String expired = tokens.issue(claims(other, nowSeconds() - 60, null), UUID.randomUUID().toString(), Instant.now());
        steps.expect(body("room_name", room, "token", expired), null, "deny", "token-expired");
    }

    @Test
    void row08_a_revoked_token_is_token_revoked() {
        String room = Api.uniqueName("revoked");
        steps.createRoom(room, "private", null);
        Answer issued = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        String token = issued.text("token");
        steps.expect(body("room_name", room, "token", token), issued, "allow", "valid-token");
        Answer revoked = steps.revoke(token);
        steps.expect(body("room_name", room, "token", token), revoked, "deny", "token-revoked");
        Answer refused = steps.reportJoin(room, body("participant_id", "p-revoked", "token", token));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.raw()).contains("token-revoked");
        // revoked by jti works the same, for a token roomgate issued
        Answer second = steps.issue("{\"room_name\":\"" + room + "\"}");
        Answer byJti = steps.api.post("/v1/meeting-tokens/revoke", Api.ADMIN,
                "{\"jti\":\"" + MeetingTokens.tokenIdOf(second.text("token")) + "\"}");
        assertThat(byJti.status()).isEqualTo(200);
        steps.expect(body("room_name", room, "token", second.text("token")), byJti, "deny", "token-revoked");
        // a self-signed token (no jti) is revoked by its text's hash
        String selfSigned = jwt("{\"alg\":\"HS256\",\"kid\":\"test-1\",\"typ\":\"JWT\"}",
                "{\"r\":\"" + room + "\",\"d\":\"test-domain\"}", "HmacSHA256", TEST_KEY);
        steps.expect(body("room_name", room, "token", selfSigned), null, "allow", "valid-token");
        Answer selfRevoked = steps.revoke(selfSigned);
        steps.expect(body("room_name", room, "token", selfSigned), selfRevoked, "deny", "token-revoked");
    }

    @Test
    void row09_a_banned_user_id_is_banned_whether_given_or_in_the_token() {
        String room = Api.uniqueName("banned");
        steps.createRoom(room, "public", null);
        steps.join(room, body("participant_id", "p-troll", "user_id", "u-troll"));
        Answer ejected = steps.eject(room, "{\"user_ids\":[\"u-troll\"],\"ban\":true}");
        assertThat(ejected.body().get("ejectedIds").toString()).contains("p-troll");
        steps.expect(body("room_name", room, "user_id", "u-troll"), ejected, "deny", "banned");
        steps.expect(body("room_name", room, "user_id", "u-troll", "participant_id", "p-troll"), ejected, "deny", "banned");
        Answer withToken = steps.issue("{\"room_name\":\"" + room + "\",\"user_id\":\"u-troll\",\"is_owner\":true}");
        steps.expect(body("room_name", room, "token", withToken.text("token")), withToken, "deny", "banned");
        // the token's user_id wins over the one the join server asserts
        steps.expect(body("room_name", room, "token", withToken.text("token"), "user_id", "u-nice"), withToken, "deny", "banned");
        assertThat(steps.reportJoin(room, body("participant_id", "p-troll2", "user_id", "u-troll")).status()).isEqualTo(403);
        steps.expect(body("room_name", room, "user_id", "u-nice"), ejected, "allow", "public-room");
        // eject by participant id with ban: that participant's user id is banned too
        steps.join(room, body("participant_id", "p-spam", "user_id", "u-spam"));
        Answer byId = steps.eject(room, "{\"ids\":[\"p-spam\"],\"ban\":true}");
        steps.expect(body("room_name", room, "user_id", "u-spam"), byId, "deny", "banned");
        // an admin lifts the ban
        Answer lifted = steps.api.delete("/v1/rooms/" + room + "/bans/u-troll", Api.ADMIN);
        assertThat(lifted.status()).isEqualTo(200);
        steps.expect(body("room_name", room, "user_id", "u-troll"), lifted, "allow", "public-room");
    }

    @Test
    void row10_a_full_room_is_room_full_even_with_a_valid_token() {
        String room = Api.uniqueName("full");
        steps.createRoom(room, "public", "{\"max_participants\":2}");
        steps.join(room, body("participant_id", "p1"));
        Answer second = steps.join(room, body("participant_id", "p2"));
        steps.expect(body("room_name", room), second, "deny", "room-full");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.expect(body("room_name", room, "token", owner.text("token")), owner, "deny", "room-full");
        long before = api.eventCount();
        Answer refused = steps.reportJoin(room, body("participant_id", "p3"));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("error")).isEqualTo("conflict");
        assertThat(api.eventCount()).isEqualTo(before);
        // someone leaves: there is room again
        Answer left = steps.leave(room, "p1");
        steps.expect(body("room_name", room), left, "allow", "public-room");
        // raising the cap works the same way
        steps.join(room, body("participant_id", "p3"));
        Answer raised = steps.updateRoom(room, "{\"properties\":{\"max_participants\":3}}");
        steps.expect(body("room_name", room), raised, "allow", "public-room");
    }

    @Test
    void row11_a_valid_token_is_valid_token_with_is_owner_from_the_token() {
        String room = Api.uniqueName("tokens");
        steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        Answer a = steps.expect(body("room_name", room, "token", owner.text("token")), owner, "allow", "valid-token");
        assertThat(a.body().get("is_owner").asBoolean()).isTrue();
        Answer guest = steps.issue("{\"room_name\":\"" + room + "\",\"user_name\":\"Guest\"}");
        a = steps.expect(body("room_name", room, "token", guest.text("token")), guest, "allow", "valid-token");
        assertThat(a.body().get("is_owner").asBoolean()).isFalse();
        // a token with knocking: true must knock in a knocking room (row 14 on)
        Answer knocker = steps.issue("{\"room_name\":\"" + room + "\",\"knocking\":true}");
        steps.expect(body("room_name", room, "token", knocker.text("token")), knocker, "knock", "knock-required");
        // ... and is just a valid token where there is no knocking
        String open = Api.uniqueName("tokens-open");
        Answer created = steps.createRoom(open, "private", null);
        Answer knockerOpen = steps.issue("{\"room_name\":\"" + open + "\",\"knocking\":true}");
        steps.expect(body("room_name", open, "token", knockerOpen.text("token")), knockerOpen, "allow", "valid-token");
        // a token that is valid, unexpired, with exp and nbf around now
        Answer timed = steps.issue("{\"room_name\":\"" + open + "\",\"nbf\":" + (nowSeconds() - 5) + ",\"exp\":" + (nowSeconds() + 600) + "}");
        steps.expect(body("room_name", open, "token", timed.text("token")), timed, "allow", "valid-token");
        // the join it admits records the owner flag
        Answer joined = steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        assertThat(joined.body().get("is_owner").asBoolean()).isTrue();
        assertThat(created.status()).isEqualTo(200);
    }

    @Test
    void row12_a_public_room_is_public_room() {
        String room = Api.uniqueName("open");
        Answer created = steps.createRoom(room, "public", null);
        Answer a = steps.expect(body("room_name", room), created, "allow", "public-room");
        assertThat(a.body().get("is_owner").asBoolean()).isFalse();
        assertThat(a.text("room_name")).isEqualTo(room);
        assertThat(Instant.parse(a.text("evaluated_at"))).isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
        // a knock id, member id or user id changes nothing in a public room
        steps.expect(body("room_name", room, "member_id", "nobody", "knock_id", "none", "user_id", "u"), created, "allow", "public-room");
        // flipping back to public opens the room again
        Answer closed = steps.makePrivate(room);
        steps.expect(body("room_name", room), closed, "deny", "private-room");
        Answer reopened = steps.updateRoom(room, "{\"privacy\":\"public\"}");
        steps.expect(body("room_name", room), reopened, "allow", "public-room");
    }

    @Test
    void row13_an_active_member_is_member() {
        String room = Api.uniqueName("members");
        Answer created = steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        String memberId = Api.uniqueName("member");
        steps.expect(body("room_name", room, "member_id", memberId), created, "knock", "knock-required");
        Answer added = steps.addMember(memberId);
        steps.expect(body("room_name", room, "member_id", memberId), added, "allow", "member");
        Answer joined = steps.join(room, body("participant_id", "p-member", "member_id", memberId));
        assertThat(joined.text("reason")).isEqualTo("member");
        Answer removed = steps.removeMember(memberId);
        steps.expect(body("room_name", room, "member_id", memberId), removed, "knock", "knock-required");
        assertThat(steps.reportJoin(room, body("participant_id", "p-member2", "member_id", memberId)).status()).isEqualTo(403);
    }

    @Test
    void row14_an_approved_unused_knock_of_this_room_is_knock_approved_once() {
        String room = Api.uniqueName("knock-ok");
        steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        Answer knock = steps.knock(room, "Kim");
        String knockId = knock.text("id");
        Answer approved = steps.approve(knockId, "p-owner");
        assertThat(approved.status()).isEqualTo(200);
        Answer a = steps.expect(body("room_name", room, "knock_id", knockId), approved, "allow", "knock-approved");
        assertThat(a.body().get("is_owner").asBoolean()).isFalse();
        // an approval is for its own room only
        String other = Api.uniqueName("knock-other");
        Answer otherRoom = steps.createRoom(other, "private", "{\"enable_knocking\":true}");
        steps.expect(body("room_name", other, "knock_id", knockId), otherRoom, "knock", "knock-required");
        // it admits once
        Answer joined = steps.join(room, body("participant_id", "p-kim", "knock_id", knockId));
        assertThat(joined.text("reason")).isEqualTo("knock-approved");
        assertThat(joined.body().get("is_owner").asBoolean()).isFalse();
        steps.expect(body("room_name", room, "knock_id", knockId), joined, "deny", "knock-used");
        assertThat(steps.reportJoin(room, body("participant_id", "p-kim2", "knock_id", knockId)).status()).isEqualTo(403);
        // an owner by permissions.canAdmin participants may approve too
        Answer admin = steps.issue("{\"room_name\":\"" + room + "\",\"permissions\":{\"canAdmin\":[\"participants\"]}}");
        steps.join(room, body("participant_id", "p-admin", "token", admin.text("token")));
        Answer second = steps.knock(room, "Lee");
        Answer byAdmin = steps.approve(second.text("id"), "p-admin");
        assertThat(byAdmin.status()).as(byAdmin.raw()).isEqualTo(200);
        steps.expect(body("room_name", room, "knock_id", second.text("id")), byAdmin, "allow", "knock-approved");
    }

    @Test
    void row15_a_pending_or_denied_knock_is_wait_or_deny() {
        String room = Api.uniqueName("knock-wait");
        steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        Answer knock = steps.knock(room, "Kim");
        Answer pending = steps.expect(body("room_name", room, "knock_id", knock.text("id")), knock, "wait", "knock-pending");
        assertThat(pending.body().get("is_owner").asBoolean()).isFalse();
        assertThat(steps.reportJoin(room, body("participant_id", "p-kim", "knock_id", knock.text("id"))).status()).isEqualTo(403);
        Answer denied = steps.deny(knock.text("id"), "p-owner");
        assertThat(denied.status()).isEqualTo(200);
        steps.expect(body("room_name", room, "knock_id", knock.text("id")), denied, "deny", "knock-denied");
        // a denial is final
        Answer approveLater = steps.approve(knock.text("id"), "p-owner");
        assertThat(approveLater.status()).isEqualTo(409);
        steps.expect(body("room_name", room, "knock_id", knock.text("id")), denied, "deny", "knock-denied");
        // a withdrawn knock is refused as such
        Answer third = steps.knock(room, "Max");
        Answer withdrawn = steps.api.post("/v1/knocks/" + third.text("id") + "/withdraw", Api.JOIN, null);
        assertThat(withdrawn.status()).as(withdrawn.raw()).isEqualTo(200);
        steps.expect(body("room_name", room, "knock_id", third.text("id")), withdrawn, "deny", "knock-withdrawn");
        // an unknown knock id is no knock: the room still takes knocks
        steps.expect(body("room_name", room, "knock_id", UUID.randomUUID().toString()), null, "knock", "knock-required");
    }

    @Test
    void row16_a_knocking_room_without_other_credentials_is_knock_required() {
        String room = Api.uniqueName("knocking");
        Answer created = steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer a = steps.expect(body("room_name", room), created, "knock", "knock-required");
        assertThat(a.body().get("is_owner").asBoolean()).isFalse();
        steps.expect(body("room_name", room, "member_id", "not-a-member", "user_id", "u"), created, "knock", "knock-required");
        // a public room does not take knocks: anyone is in
        Answer reopened = steps.updateRoom(room, "{\"privacy\":\"public\"}");
        steps.expect(body("room_name", room), reopened, "allow", "public-room");
        assertThat(api.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"Kim\"}").status()).isEqualTo(400);
    }

    @Test
    void row17_otherwise_private_room() {
        String room = Api.uniqueName("closed");
        Answer created = steps.createRoom(room, "private", null);
        steps.expect(body("room_name", room), created, "deny", "private-room");
        steps.expect(body("room_name", room, "user_id", "u", "member_id", "not-a-member", "knock_id", "nope"), created,
                "deny", "private-room");
        long before = api.eventCount();
        assertThat(api.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"Kim\"}").status()).isEqualTo(400);
        assertThat(steps.reportJoin(room, body("participant_id", "p-x")).status()).isEqualTo(403);
        assertThat(api.eventCount()).isEqualTo(before);
    }

    @Test
    void the_join_check_validates_its_request() {
        assertThat(api.joinCheck("{}", null).status()).isEqualTo(400);
        assertThat(api.joinCheck("{\"room_name\":\"x\",\"unknown\":1}", null).status()).isEqualTo(400);
        assertThat(api.joinCheck("{not json", null).status()).isEqualTo(400);
        assertThat(api.call("POST", "/v1/join-checks", Api.ADMIN, body("room_name", "x"), Map.of()).status()).isEqualTo(403);
        assertThat(api.call("POST", "/v1/join-checks", null, body("room_name", "x"), Map.of()).status()).isEqualTo(400);
        assertThat(api.call("POST", "/v1/join-checks", "wrong-key", body("room_name", "x"), Map.of()).status()).isEqualTo(401);
    }

    // ---- self-signed tokens

    private static MeetingTokenClaims claims(String room, Long exp, Long nbf) {
        return new MeetingTokenClaims(room, exp, nbf, false, null, null, false, null, false, null, null);
    }

    private static String payload(String room) {
        return "{\"r\":\"" + room + "\",\"d\":\"test-domain\",\"jti\":\"" + UUID.randomUUID() + "\"}";
    }

    /** A compact JWT made by hand: Daily-style self-signing, or a forgery. */
    static String jwt(String header, String payload, String macAlgorithm, byte[] key) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String signingInput = b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        if (macAlgorithm == null) {
            return signingInput + ".";
        }
        try {
            Mac mac = Mac.getInstance(macAlgorithm);
            mac.init(new SecretKeySpec(key, macAlgorithm));
            return signingInput + "." + b64.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same base64url text with one character in the middle changed. */
    private static String tamper(String part) {
        char[] c = part.toCharArray();
        int i = c.length / 2;
        c[i] = c[i] == 'A' ? 'B' : 'A';
        return new String(c);
    }
}
