package io.roomgate.app.time;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static io.roomgate.app.time.TimeTesting.events;
import static io.roomgate.app.time.TimeTesting.join;
import static io.roomgate.app.time.TimeTesting.joined;
import static io.roomgate.app.time.TimeTesting.roomId;
import static io.roomgate.app.time.TimeTesting.scheduledTasksOf;
import static io.roomgate.app.Waiting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * access rules §1 Knocking, against the clock: a pending knock expires ({@code KnockExpired}) after
 * {@code roomgate.knocks.pending-timeout}; an approval admits only within
 * {@code roomgate.knocks.approval-window}. Both set to seconds here ({@link ShortTimeoutsTest}).
 */
@ShortTimeoutsTest
class KnockDeadlinesIT extends WithEmbeddedApp {

    private static final Duration WITHIN = Duration.ofSeconds(15);


    private String knockingRoom(String name) {
        return roomId(api.createRoom("{\"name\":\"" + name + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}"));
    }

    private Api.Answer knock(String name, String userName) {
        Api.Answer knock = api.post("/v1/rooms/" + name + "/knocks", Api.JOIN, "{\"user_name\":\"" + userName + "\"}");
        assertThat(knock.status()).as(knock.raw()).isEqualTo(200);
        return knock;
    }

    private Api.Answer checkWithKnock(String name, String knockId) {
        return api.joinCheck("{\"room_name\":\"" + name + "\",\"knock_id\":\"" + knockId + "\"}", null);
    }

    @Test
    void a_pending_knock_expires_after_the_configured_timeout_once() {
        String name = Api.uniqueName("knock-exp");
        String roomId = knockingRoom(name);
        Api.Answer knock = knock(name, "Kim");
        String knockId = knock.text("id");
        Instant expiresAt = Instant.parse(events(jdbc, roomId, "KnockRequested").get(0).field("expires_at"));
        String[] status = new String[1];
        Waiting.waitUntil("the knock shows in the view", Duration.ofSeconds(10), () -> (status[0] = api.call("GET", "/v1/knocks/" + knockId,
                Api.JOIN, null, Map.of("X-Consistency-Token", knock.consistencyToken())).text("status")) != null);
        assertThat(status[0]).isIn("pending", "expired"); // pending, unless the view lagged past the 3 s

        Waiting.waitUntil("the knock expires", WITHIN, () -> !events(jdbc, roomId, "KnockExpired").isEmpty());
        assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
        Waiting.waitUntil("the knock-expiry deadline leaves the table", WITHIN, () -> scheduledTasksOf(jdbc, roomId) == 0);
        assertThat(events(jdbc, roomId, "KnockExpired")).singleElement()
                .satisfies(e -> assertThat(e.field("knock_id")).isEqualTo(knockId));

        Waiting.waitUntil("the knock shows as expired", WITHIN,
                () -> "expired".equals(api.get("/v1/knocks/" + knockId, Api.JOIN).text("status")));
        Api.Answer check = checkWithKnock(name, knockId);
        assertThat(check.text("decision")).isEqualTo("deny");
        assertThat(check.text("reason")).isEqualTo("knock-expired");
        // nobody can approve it any more
        String owner = api.token("{\"room_name\":\"" + name + "\",\"is_owner\":true}");
        joined(api, name, "owner", null, owner);
        assertThat(api.post("/v1/knocks/" + knockId + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner\"}").status())
                .isEqualTo(409);
    }

    @Test
    void an_approval_admits_only_within_its_window_and_an_approved_knock_does_not_expire_as_pending() {
        String name = Api.uniqueName("approval");
        String roomId = knockingRoom(name);
        String owner = api.token("{\"room_name\":\"" + name + "\",\"is_owner\":true}");
        joined(api, name, "owner", null, owner);
        String knockId = knock(name, "Kim").text("id");
        Api.Answer approved = api.post("/v1/knocks/" + knockId + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner\"}");
        assertThat(approved.status()).as(approved.raw()).isEqualTo(200);
        Instant validUntil = Instant.parse(events(jdbc, roomId, "KnockApproved").get(0).field("valid_until"));

        Api.Answer[] within = new Api.Answer[1];
        waitUntil("the join check admits the approved knocker within the window", Duration.between(Instant.now(), validUntil),
                () -> "allow".equals((within[0] = api.joinCheck("{\"room_name\":\"" + name + "\",\"knock_id\":\"" + knockId + "\"}",
                        approved.consistencyToken())).text("decision")));
        assertThat(within[0].text("reason")).isEqualTo("knock-approved");

        TimeTesting.sleepUntil(validUntil);
        Api.Answer after = checkWithKnock(name, knockId);
        assertThat(after.text("decision")).as(after.raw()).isEqualTo("deny");
        assertThat(after.text("reason")).isEqualTo("knock-expired");
        long before = api.eventCount();
        Api.Answer lateJoin = api.post("/v1/rooms/" + name + "/participants", Api.JOIN,
                "{\"participant_id\":\"kim\",\"knock_id\":\"" + knockId + "\"}");
        assertThat(lateJoin.status()).as("the command side refuses it too: " + lateJoin.raw()).isEqualTo(403);
        assertThat(api.eventCount()).isEqualTo(before);

        // the knock's pending timeout comes and goes: an approved knock is not "expired" by it
        Waiting.waitUntil("the knock-expiry deadline has run", WITHIN, () -> scheduledTasksOf(jdbc, roomId, "knock-expiry") == 0);
        assertThat(events(jdbc, roomId, "KnockExpired")).isEmpty();
        assertThat(join(api, name, "kim", null, null).status()).isEqualTo(403);
    }

    @Test
    void a_knock_approved_and_used_in_time_admits_once() {
        String name = Api.uniqueName("used");
        String roomId = knockingRoom(name);
        String owner = api.token("{\"room_name\":\"" + name + "\",\"is_owner\":true}");
        joined(api, name, "owner", null, owner);
        String knockId = knock(name, "Kim").text("id");
        assertThat(api.post("/v1/knocks/" + knockId + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner\"}").status()).isEqualTo(200);

        Api.Answer in = api.post("/v1/rooms/" + name + "/participants", Api.JOIN,
                "{\"participant_id\":\"kim\",\"knock_id\":\"" + knockId + "\"}");
        assertThat(in.status()).as(in.raw()).isEqualTo(200);
        assertThat(in.text("reason")).isEqualTo("knock-approved");

        Waiting.waitUntil("the knock-expiry deadline has run", WITHIN, () -> scheduledTasksOf(jdbc, roomId) == 0);
        assertThat(events(jdbc, roomId, "KnockExpired")).isEmpty();
        assertThat(events(jdbc, roomId, "ParticipantEjected")).isEmpty();
    }
}
