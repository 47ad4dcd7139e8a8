package io.roomgate.app.time;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.roomgate.app.time.TimeTesting.awaitPresence;
import static io.roomgate.app.time.TimeTesting.ejections;
import static io.roomgate.app.time.TimeTesting.events;
import static io.roomgate.app.time.TimeTesting.joined;
import static io.roomgate.app.time.TimeTesting.presenceOf;
import static io.roomgate.app.time.TimeTesting.roomId;
import static io.roomgate.app.time.TimeTesting.scheduledTasksOf;
import static io.roomgate.app.Waiting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * access rules §1 Presence, end to end over HTTP on the persisted deadlines: ejection after
 * {@code eject_after_elapsed} (room's, or the token's overriding it), at the token's {@code exp},
 * a {@code will_eject_at} fixed at join, and the deadlines that stop applying (leave, earlier
 * ejection, deletion).
 */
@RoomgateTest
class EjectionDeadlinesIT extends WithEmbeddedApp {

    private static final Duration WITHIN = Duration.ofSeconds(15);

    @Test
    void the_rooms_eject_after_elapsed_ejects_that_many_seconds_after_joining_with_will_eject_at_shown_in_presence() {
        String name = Api.uniqueName("elapsed");
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"eject_after_elapsed\":2}}"));

        Instant before = Instant.now();
        Api.Answer join = joined(api, name, "p-1", "user-1", null);
        Instant after = Instant.now();

        JsonNode entry = awaitPresence(api, name, "p-1", join.consistencyToken());
        Instant willEjectAt = Instant.parse(entry.get("will_eject_at").asText());
        assertThat(willEjectAt).isBetween(before.plusSeconds(2).minusMillis(1), after.plusSeconds(2).plusMillis(1));

        Waiting.waitUntil("p-1 is ejected after 2 s in the room", WITHIN, () -> !ejections(jdbc, roomId, "p-1").isEmpty());
        assertThat(Instant.now()).isAfterOrEqualTo(willEjectAt);
        Waiting.waitUntil("the fired deadline leaves the table", WITHIN, () -> scheduledTasksOf(jdbc, roomId) == 0);
        assertThat(ejections(jdbc, roomId, "p-1")).singleElement()
                .satisfies(e -> assertThat(e.field("cause")).isEqualTo("elapsed"))
                .satisfies(e -> assertThat(e.field("user_id")).isEqualTo("user-1"));
        Waiting.waitUntil("presence no longer lists p-1", WITHIN, () -> presenceOf(api, name, "p-1", null) == null);
        assertThat(events(jdbc, roomId, "RoomDeleted")).isEmpty();
    }

    @Test
    void a_tokens_eject_after_elapsed_overrides_the_rooms_shorter_or_longer() {
        String name = Api.uniqueName("override");
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"eject_after_elapsed\":2}}"));
        String patient = api.token("{\"room_name\":\"" + name + "\",\"eject_after_elapsed\":3600}");

        Instant before = Instant.now();
        joined(api, name, "plain", null, null);
        Api.Answer join = joined(api, name, "with-token", null, patient);
        Instant after = Instant.now();

        Instant tokenHolderEjectAt = Instant.parse(awaitPresence(api, name, "with-token", join.consistencyToken()).get("will_eject_at").asText());
        assertThat(tokenHolderEjectAt).as("the token's 3600 s, not the room's 2 s")
                .isBetween(before.plusSeconds(3600).minusMillis(1), after.plusSeconds(3600).plusMillis(1));

        Waiting.waitUntil("the participant without a token is ejected after the room's 2 s", WITHIN,
                () -> !ejections(jdbc, roomId, "plain").isEmpty());
        Waiting.sleep(Duration.ofSeconds(1)); // a few polling rounds
        assertThat(ejections(jdbc, roomId, "with-token")).isEmpty();
        assertThat(presenceOf(api, name, "with-token", null)).isNotNull();

        // and the other way round: a token's shorter limit in a room with a long one
        String hasty = api.token("{\"room_name\":\"" + name + "\",\"eject_after_elapsed\":1}");
        joined(api, name, "hasty", null, hasty);
        Waiting.waitUntil("the token's 1 s ejects before the room's 2 s would", WITHIN, () -> !ejections(jdbc, roomId, "hasty").isEmpty());
        assertThat(ejections(jdbc, roomId, "hasty")).singleElement()
                .satisfies(e -> assertThat(e.field("cause")).isEqualTo("elapsed"));
    }

    @Test
    void eject_at_token_exp_ejects_at_the_tokens_exp() {
        String name = Api.uniqueName("tokexp");
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\"}"));
        long tokenExp = TimeTesting.epochSecondsIn(Duration.ofSeconds(3));
        String token = api.token("{\"room_name\":\"" + name + "\",\"exp\":" + tokenExp + ",\"eject_at_token_exp\":true,\"user_id\":\"tok-user\"}");
        String lenient = api.token("{\"room_name\":\"" + name + "\",\"exp\":" + tokenExp + "}");

        Api.Answer join = joined(api, name, "p-tok", null, token);
        Api.Answer lenientJoin = joined(api, name, "p-lenient", null, lenient);
        assertThat(awaitPresence(api, name, "p-tok", join.consistencyToken()).get("will_eject_at").asText())
                .isEqualTo(Instant.ofEpochSecond(tokenExp).toString());
        assertThat(awaitPresence(api, name, "p-lenient", lenientJoin.consistencyToken()).get("will_eject_at").isNull())
                .as("without eject_at_token_exp the token's exp only limits joining").isTrue();

        Waiting.waitUntil("p-tok is ejected at its token's exp", WITHIN, () -> !ejections(jdbc, roomId, "p-tok").isEmpty());
        assertThat(Instant.now().getEpochSecond()).isGreaterThanOrEqualTo(tokenExp);
        assertThat(ejections(jdbc, roomId, "p-tok")).singleElement()
                .satisfies(e -> assertThat(e.field("cause")).isEqualTo("token-expired"))
                .satisfies(e -> assertThat(e.field("user_id")).isEqualTo("tok-user"));
        Waiting.sleep(Duration.ofSeconds(1));
        assertThat(ejections(jdbc, roomId, "p-lenient")).isEmpty();
    }

    @Test
    void a_later_change_of_the_rooms_exp_does_not_move_will_eject_at_for_people_already_in() {
        String name = Api.uniqueName("fixed");
        long exp = TimeTesting.epochSecondsIn(Duration.ofSeconds(4));
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"exp\":" + exp + ",\"eject_at_room_exp\":true}}"));
        Api.Answer join = joined(api, name, "early", null, null);
        assertThat(awaitPresence(api, name, "early", join.consistencyToken()).get("will_eject_at").asText())
                .isEqualTo(Instant.ofEpochSecond(exp).toString());

        long laterExp = TimeTesting.epochSecondsIn(Duration.ofHours(1));
        Api.Answer update = api.post("/v1/rooms/" + name, Api.ADMIN, "{\"properties\":{\"exp\":" + laterExp + "}}");
        assertThat(update.status()).as(update.raw()).isEqualTo(200);
        Api.Answer late = joined(api, name, "late", null, null);

        assertThat(awaitPresence(api, name, "early", late.consistencyToken()).get("will_eject_at").asText())
                .as("fixed at join").isEqualTo(Instant.ofEpochSecond(exp).toString());
        assertThat(awaitPresence(api, name, "late", late.consistencyToken()).get("will_eject_at").asText())
                .as("a later joiner gets the new exp").isEqualTo(Instant.ofEpochSecond(laterExp).toString());
        assertThat(scheduledTasksOf(jdbc, roomId, "room-expiry")).as("the old expiry deadline was replaced").isEqualTo(1);

        Waiting.waitUntil("the early joiner is ejected at the old exp", WITHIN, () -> !ejections(jdbc, roomId, "early").isEmpty());
        assertThat(Instant.now().getEpochSecond()).isGreaterThanOrEqualTo(exp);
        assertThat(ejections(jdbc, roomId, "early")).singleElement()
                .satisfies(e -> assertThat(e.field("cause")).isEqualTo("room-expired"));
        Waiting.sleep(Duration.ofSeconds(1));
        assertThat(events(jdbc, roomId, "RoomDeleted")).as("the room lives on until its new exp").isEmpty();
        assertThat(ejections(jdbc, roomId, "late")).isEmpty();
        assertThat(api.get("/v1/rooms/" + name, Api.ADMIN).status()).isEqualTo(200);
    }

    @Test
    void someone_who_left_before_their_ejection_time_is_not_ejected() {
        String name = Api.uniqueName("left");
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"eject_after_elapsed\":2}}"));
        joined(api, name, "leaver", null, null);
        joined(api, name, "stayer", null, null);
        assertThat(api.delete("/v1/rooms/" + name + "/participants/leaver", Api.JOIN).status()).isEqualTo(200);

        Waiting.waitUntil("the one who stayed is ejected", WITHIN, () -> !ejections(jdbc, roomId, "stayer").isEmpty());
        Waiting.waitUntil("every ejection deadline of the room has run or gone", WITHIN, () -> scheduledTasksOf(jdbc, roomId) == 0);
        assertThat(ejections(jdbc, roomId, "leaver")).as("the leaver's deadline no longer applies").isEmpty();
        assertThat(events(jdbc, roomId, "ParticipantLeft")).hasSize(1);
    }

    @Test
    void someone_ejected_earlier_by_an_admin_is_not_ejected_again_when_their_time_comes() {
        String name = Api.uniqueName("early-eject");
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"eject_after_elapsed\":2}}"));
        joined(api, name, "guest", "guest-user", null);
        Api.Answer eject = api.post("/v1/rooms/" + name + "/eject", Api.ADMIN, "{\"ids\":[\"guest\"]}");
        assertThat(eject.status()).as(eject.raw()).isEqualTo(200);

        Waiting.sleep(Duration.ofSeconds(2));
        Waiting.waitUntil("the stale ejection deadline has run", WITHIN, () -> scheduledTasksOf(jdbc, roomId) == 0);
        Waiting.sleep(Duration.ofMillis(600));
        assertThat(ejections(jdbc, roomId, "guest")).singleElement()
                .satisfies(e -> assertThat(e.field("cause")).isEqualTo("admin"));
    }

    @Test
    void deleting_a_room_cancels_all_its_deadlines_at_once() {
        String name = Api.uniqueName("deleted");
        long exp = TimeTesting.epochSecondsIn(Duration.ofHours(1));
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"privacy\":\"private\",\"properties\":{\"exp\":" + exp
                + ",\"eject_after_elapsed\":1800,\"enable_knocking\":true}}"));
        String token = api.token("{\"room_name\":\"" + name + "\"}");
        joined(api, name, "inside", null, token);
        Api.Answer knock = api.post("/v1/rooms/" + name + "/knocks", Api.JOIN, "{\"user_name\":\"Kim\"}");
        assertThat(knock.status()).as(knock.raw()).isEqualTo(200);

        assertThat(scheduledTasksOf(jdbc, roomId, "room-expiry")).isEqualTo(1);
        assertThat(scheduledTasksOf(jdbc, roomId, "participant-ejection")).isEqualTo(1);
        assertThat(scheduledTasksOf(jdbc, roomId, "knock-expiry")).isEqualTo(1);

        Api.Answer deleted = api.delete("/v1/rooms/" + name, Api.ADMIN);
        assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);

        assertThat(scheduledTasksOf(jdbc, roomId)).as("cancelled with the deletion, in its transaction").isZero();
        assertThat(ejections(jdbc, roomId, "inside")).singleElement()
                .satisfies(e -> assertThat(e.field("cause")).isEqualTo("room-deleted"));
        assertThat(events(jdbc, roomId, "RoomDeleted")).singleElement()
                .satisfies(e -> assertThat(e.field("cause")).isEqualTo("admin"));
    }
}
