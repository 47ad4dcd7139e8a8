package io.roomgate.app.reliability;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by {@link FuzzIT}: a member's id (chosen by the admin) and a meeting token's id (its
 * {@code jti}, chosen by whoever signs a token, or given to {@code revoke}) were both used as
 * aggregate identifiers in the one event store, and so could be a room's id. When they
 * coincided, the write on the second aggregate loaded the first one's events: a 500 instead of
 * an answer. Each kind now has a stream of its own, and the consistency token of each write
 * still names it.
 */
@RoomgateTest
class AggregateIdCollisionIT extends WithEmbeddedApp {

    @Test
    void a_member_whose_id_is_a_revoked_jti_can_still_be_added() {
        String id = Api.uniqueName("collide");
        String room = privateRoom(api);
        Api.Answer revoke = api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"jti\":\"" + id + "\"}");
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(200);
        Api.Answer member = api.put("/v1/members/" + id, Api.ADMIN);
        assertThat(member.status()).as("PUT /v1/members/%s after revoking jti %s: %s", id, id, member.raw()).isEqualTo(200);
        assertThat(api.joinCheck(memberCheck(room, id), member.consistencyToken()).text("reason")).isEqualTo("member");
    }

    @Test
    void a_jti_that_is_a_member_id_can_still_be_revoked_and_the_member_stays() {
        String id = Api.uniqueName("collide");
        String room = privateRoom(api);
        assertThat(api.put("/v1/members/" + id, Api.ADMIN).status()).isEqualTo(200);
        Api.Answer revoke = api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"jti\":\"" + id + "\"}");
        assertThat(revoke.status()).as("revoke jti %s of member %s: %s", id, id, revoke.raw()).isEqualTo(200);
        assertThat(api.joinCheck(memberCheck(room, id), revoke.consistencyToken()).text("reason")).isEqualTo("member");
        assertThat(api.delete("/v1/members/" + id, Api.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void a_member_whose_id_is_a_rooms_id_leaves_the_room_working() {
        String name = Api.uniqueName("collide");
        String roomId = roomId(api, name);

        Api.Answer member = api.put("/v1/members/" + roomId, Api.ADMIN);
        assertThat(member.status()).as("PUT /v1/members/%s, the id of room %s: %s", roomId, name, member.raw()).isEqualTo(200);

        assertRoomStillWorks(api, name, roomId, member.consistencyToken());
        assertThat(api.joinCheck(memberCheck(name, roomId), null).text("reason")).isEqualTo("member");
    }

    @Test
    void a_jti_that_is_a_rooms_id_can_be_revoked_and_the_room_stays() {
        String name = Api.uniqueName("collide");
        String roomId = roomId(api, name);

        Api.Answer revoke = api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"jti\":\"" + roomId + "\"}");
        assertThat(revoke.status()).as("revoke jti %s, the id of room %s: %s", roomId, name, revoke.raw()).isEqualTo(200);

        assertRoomStillWorks(api, name, roomId, revoke.consistencyToken());
    }

    /** Readable and updatable: made private, which the view shows. */
    private static void assertRoomStillWorks(Api api, String name, String roomId, String consistencyToken) {
        Api.Answer read = api.call("GET", "/v1/rooms/" + name, Api.ADMIN, null, Map.of("X-Consistency-Token", consistencyToken));
        assertThat(read.status()).as(read.raw()).isEqualTo(200);
        assertThat(read.text("id")).isEqualTo(roomId);
        Api.Answer updated = api.post("/v1/rooms/" + name, Api.ADMIN, "{\"privacy\":\"private\"}");
        assertThat(updated.status()).as(updated.raw()).isEqualTo(200);
        assertThat(api.joinCheck("{\"room_name\":\"" + name + "\"}", updated.consistencyToken()).text("reason"))
                .isEqualTo("private-room");
    }

    /** Creates a public room of that name and returns its id, the room's aggregate id. */
    private static String roomId(Api api, String name) {
        return created(api, "{\"name\":\"" + name + "\"}").text("id");
    }

    private static String privateRoom(Api api) {
        String name = Api.uniqueName("collide-room");
        created(api, "{\"name\":\"" + name + "\",\"privacy\":\"private\"}");
        return name;
    }

    private static Api.Answer created(Api api, String json) {
        Api.Answer created = api.createRoom(json);
        assertThat(created.status()).as(created.raw()).isEqualTo(200);
        return created;
    }

    private static String memberCheck(String room, String memberId) {
        return "{\"room_name\":\"" + room + "\",\"member_id\":\"" + memberId + "\"}";
    }
}
