package io.roomgate.app.join;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed, {@code seed/daily-meeting-join-permissions.txt}, as one story over HTTP against the
 * running app: a public room anyone may join; flipped private while people are in it, they stay
 * and newcomers are refused; meeting tokens for this room, another room and every room; knocking
 * with a present owner, a non-owner and an owner who left. Every check sends back the
 * {@code X-Consistency-Token} of the write before it.
 */
@RoomgateTest
class DailyMeetingJoinPermissionsIT extends WithEmbeddedApp {

    @Test
    void daily_meeting_join_permissions() {
        String room = Api.uniqueName("standup");
        String other = Api.uniqueName("other");
        steps.createRoom(other, "private", null);

        // "When a room is created, the room's privacy setting defaults to public": no privacy given
        Answer created = api.createRoom("{\"name\":\"" + room + "\"}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.text("privacy")).isEqualTo("public");

        // "Anyone who knows the room's URL can join a public room."
        steps.expect(body("room_name", room), created, "allow", "public-room");
        Answer aliceIn = steps.join(room, body("participant_id", "p-alice", "user_name", "Alice"));
        assertThat(aliceIn.text("reason")).isEqualTo("public-room");
        Answer bobIn = steps.join(room, body("participant_id", "p-bob", "user_name", "Bob"));
        // the owner joins with an is_owner token (so a knock can be approved later)
        Answer ownerToken = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true,\"user_name\":\"Olga\"}");
        steps.expect(body("room_name", room, "token", ownerToken.text("token")), ownerToken, "allow", "valid-token");
        Answer olgaIn = steps.join(room, body("participant_id", "p-olga", "token", ownerToken.text("token")));
        assertThat(olgaIn.body().get("is_owner").asBoolean()).isTrue();

        // "If you change a room from public to private while there are people in the room, those people will stay"
        Answer flipped = steps.makePrivate(room);
        Answer presence = steps.get("/v1/rooms/" + room + "/presence", flipped);
        assertThat(presence.status()).isEqualTo(200);
        assertThat(ids(presence.body())).containsExactlyInAnyOrder("p-alice", "p-bob", "p-olga");
        // ... a reconnect of someone inside is allowed, private or not
        steps.expect(body("room_name", room, "participant_id", "p-alice"), flipped, "allow", "already-present");
        steps.expect(body("room_name", room, "participant_id", "p-bob"), flipped, "allow", "already-present");
        // "Anyone else who tries to join after the room is set to private will need to use one of those methods"
        steps.expect(body("room_name", room), flipped, "deny", "private-room");
        steps.expect(body("room_name", room, "participant_id", "p-newcomer"), flipped, "deny", "private-room");
        long before = api.eventCount();
        Answer refused = steps.reportJoin(room, body("participant_id", "p-newcomer"));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(403);
        assertThat(refused.text("error")).isEqualTo("forbidden-error");
        assertThat(api.eventCount()).as("a refused join appends nothing").isEqualTo(before);

        // "Any valid meeting token grants access to a private room"
        Answer forThisRoom = steps.issue("{\"room_name\":\"" + room + "\",\"user_name\":\"Tess\"}");
        Answer tokenCheck = steps.expect(body("room_name", room, "token", forThisRoom.text("token")), forThisRoom,
                "allow", "valid-token");
        assertThat(tokenCheck.body().get("is_owner").asBoolean()).isFalse();
        steps.join(room, body("participant_id", "p-tess", "token", forThisRoom.text("token")));
        // ... but a token for another room does not
        Answer forOtherRoom = steps.issue("{\"room_name\":\"" + other + "\"}");
        steps.expect(body("room_name", room, "token", forOtherRoom.text("token")), forOtherRoom, "deny", "token-wrong-room");
        assertThat(steps.reportJoin(room, body("participant_id", "p-wrong", "token", forOtherRoom.text("token"))).status())
                .isEqualTo(403);
        // "A meeting token without a room_name property allows access to any room in your domain."
        Answer anyRoom = steps.issueForAllRooms("{\"user_name\":\"Wanda\"}");
        steps.expect(body("room_name", room, "token", anyRoom.text("token")), anyRoom, "allow", "valid-token");
        steps.expect(body("room_name", other, "token", anyRoom.text("token")), anyRoom, "allow", "valid-token");
        steps.join(other, body("participant_id", "p-wanda", "token", anyRoom.text("token")));

        // "To allow users to knock to request access to a private room, set the room's enable_knocking property to true."
        Answer knocking = steps.updateRoom(room, "{\"properties\":{\"enable_knocking\":true}}");
        steps.expect(body("room_name", room), knocking, "knock", "knock-required");
        Answer knock = steps.knock(room, "Kim");
        String knockId = knock.text("id");
        steps.expect(body("room_name", room, "knock_id", knockId), knock, "wait", "knock-pending");
        Answer waiting = steps.get("/v1/rooms/" + room + "/knocks", knock);
        assertThat(waiting.status()).isEqualTo(200);
        assertThat(waiting.body().get("owner_present").asBoolean()).isTrue();
        assertThat(knockIds(waiting.body())).containsExactly(knockId);

        // "a room owner must be in the room to approve that join request": Alice is in, but no owner
        before = api.eventCount();
        Answer byNonOwner = steps.approve(knockId, "p-alice");
        assertThat(byNonOwner.status()).as(byNonOwner.raw()).isEqualTo(403);
        assertThat(byNonOwner.text("error")).isEqualTo("forbidden-error");
        assertThat(api.eventCount()).as("a refused approval appends nothing").isEqualTo(before);
        // ... and someone not in the room at all is refused the same way
        assertThat(steps.approve(knockId, "p-nobody").status()).isEqualTo(403);
        assertThat(api.eventCount()).isEqualTo(before);
        steps.expect(body("room_name", room, "knock_id", knockId), knock, "wait", "knock-pending");

        // the present owner approves; the knocker is admitted, once
        Answer approved = steps.approve(knockId, "p-olga");
        assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
        Answer admitted = steps.expect(body("room_name", room, "knock_id", knockId), approved, "allow", "knock-approved");
        assertThat(admitted.body().get("is_owner").asBoolean()).isFalse();
        Answer kimIn = steps.join(room, body("participant_id", "p-kim", "knock_id", knockId, "user_name", "Kim"));
        assertThat(kimIn.text("reason")).isEqualTo("knock-approved");
        assertThat(ids(steps.get("/v1/rooms/" + room + "/presence", kimIn).body()))
                .containsExactlyInAnyOrder("p-alice", "p-bob", "p-olga", "p-tess", "p-kim");
        // an approval admits once
        steps.expect(body("room_name", room, "knock_id", knockId), kimIn, "deny", "knock-used");

        // "an owner who left cannot approve"
        Answer second = steps.knock(room, "Lee");
        Answer olgaLeft = steps.leave(room, "p-olga");
        Answer noOwner = steps.get("/v1/rooms/" + room + "/knocks", olgaLeft);
        assertThat(noOwner.body().get("owner_present").asBoolean()).isFalse();
        assertThat(knockIds(noOwner.body())).containsExactly(second.text("id"));
        before = api.eventCount();
        Answer byLeftOwner = steps.approve(second.text("id"), "p-olga");
        assertThat(byLeftOwner.status()).as(byLeftOwner.raw()).isEqualTo(403);
        assertThat(byLeftOwner.text("error")).isEqualTo("forbidden-error");
        assertThat(steps.deny(second.text("id"), "p-olga").status()).isEqualTo(403);
        assertThat(api.eventCount()).as("a refused decision appends nothing").isEqualTo(before);
        steps.expect(body("room_name", room, "knock_id", second.text("id")), olgaLeft, "wait", "knock-pending");
        // the knock keeps waiting, and the owner's reconnect is no longer "already present"
        steps.expect(body("room_name", room, "participant_id", "p-olga"), olgaLeft, "knock", "knock-required");
        // the people who were inside when the room turned private are still there
        steps.expect(body("room_name", room, "participant_id", "p-alice"), olgaLeft, "allow", "already-present");
    }

    private static List<String> ids(JsonNode presence) {
        List<String> ids = new ArrayList<>();
        presence.get("data").forEach(p -> ids.add(p.get("id").asText()));
        return ids;
    }

    private static List<String> knockIds(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(k -> ids.add(k.get("id").asText()));
        return ids;
    }
}
