package io.roomgate.app.time;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Waiting;
import com.github.kagkarlsson.scheduler.Scheduler;
import io.roomgate.app.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;

import static io.roomgate.app.time.TimeTesting.events;
import static io.roomgate.app.time.TimeTesting.joined;
import static io.roomgate.app.time.TimeTesting.roomId;
import static io.roomgate.app.Waiting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Daily: "Expired rooms are treated by API endpoints as having been implicitly deleted". From
 * {@code exp} on, before the deadline that deletes the room has run (db-scheduler is paused
 * here), every read answers as for a deleted room, every write to it is a 404 that appends
 * nothing, and its name is free for a new room; the late deadline leaves the new room alone.
 */
@ShortTimeoutsTest
class ExpiredRoomsReadAsDeletedIT extends WithEmbeddedApp {

    @Autowired
    Scheduler scheduler;

    @BeforeEach
    void setUp() {
        warmUp(); // so exp does not pass during set-up
    }

    @Test
    void from_exp_on_an_expired_room_is_gone_for_every_endpoint_and_its_name_is_free() {
        String name = Api.uniqueName("expires");
        long exp = TimeTesting.epochSecondsIn(Duration.ofSeconds(4));
        String oldId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"exp\":" + exp + "}}"));
        joined(api, name, "p-1", "u-1", null);
        assertThat(api.get("/v1/rooms/" + name, Api.ADMIN).status()).isEqualTo(200);
        assertThat(listed(name)).isTrue();
        assertThat(api.get("/v1/rooms/" + name + "/presence", Api.ADMIN).status()).isEqualTo(200);
        assertThat(api.get("/v1/presence", Api.ADMIN).body().has(name)).isTrue();

        scheduler.pause();
        try {
            TimeTesting.sleepUntil(Instant.ofEpochSecond(exp));
            long stored = api.eventCount();

            assertNotFound(api.get("/v1/rooms/" + name, Api.ADMIN));
            assertThat(listed(name)).as("listed after exp").isFalse();
            assertNotFound(api.get("/v1/rooms/" + name + "/presence", Api.ADMIN));
            assertThat(api.get("/v1/presence", Api.ADMIN).body().has(name)).as("in GET /v1/presence after exp").isFalse();
            assertNotFound(api.get("/v1/rooms/" + name + "/knocks", Api.JOIN));
            // writes answer as for a deleted room (Daily: DELETE of a room that does not exist is a 404) ...
            assertNotFound(api.delete("/v1/rooms/" + name, Api.ADMIN));
            assertNotFound(api.post("/v1/rooms/" + name, Api.ADMIN, "{\"privacy\":\"private\"}"));
            assertNotFound(api.post("/v1/rooms/" + name + "/eject", Api.ADMIN, "{\"ids\":[\"p-1\"]}"));
            assertNotFound(api.post("/v1/rooms/" + name + "/knocks", Api.JOIN, "{\"user_name\":\"k\"}"));
            // ... and change nothing
            assertThat(api.eventCount()).isEqualTo(stored);
            assertThat(events(jdbc, oldId, "RoomDeleted")).as("the deadline has not run").isEmpty();

            // the name is free: the expired room is deleted now, as its deadline would, and a new one made
            Api.Answer created = api.createRoom("{\"name\":\"" + name + "\"}");
            assertThat(created.status()).as(created.raw()).isEqualTo(200);
            String newId = roomId(created);
            assertThat(newId).isNotEqualTo(oldId);
            assertThat(events(jdbc, oldId, "RoomDeleted")).hasSize(1);
            assertThat(events(jdbc, oldId, "RoomDeleted").get(0).payload().get("cause").asText()).isEqualTo("expiry");
            Api.Answer got = api.get("/v1/rooms/" + name, Api.ADMIN);
            assertThat(got.status()).isEqualTo(200);
            assertThat(got.text("id")).isEqualTo(newId);
            assertThat(api.get("/v1/rooms/" + name + "/presence", Api.ADMIN).body().get("total_count").asInt())
                    .as("the expired room's participants are not the new room's").isZero();
        } finally {
            scheduler.resume();
        }
        // the old room's deadline, late, finds its room deleted and leaves the new one alone
        Waiting.waitUntil("the old room's deadline has run", Duration.ofSeconds(30), () -> TimeTesting.scheduledTasksOf(jdbc, oldId) == 0);
        Api.Answer still = api.get("/v1/rooms/" + name, Api.ADMIN);
        assertThat(still.status()).isEqualTo(200);
        assertThat(events(jdbc, oldId, "RoomDeleted")).hasSize(1);
    }

    private boolean listed(String name) {
        Api.Answer page = api.get("/v1/rooms?limit=100", Api.ADMIN);
        assertThat(page.status()).isEqualTo(200);
        for (JsonNode r : page.body().get("data")) {
            if (name.equals(r.get("name").asText())) {
                return true;
            }
        }
        return false;
    }

    private static void assertNotFound(Api.Answer a) {
        assertThat(a.status()).as(a.raw()).isEqualTo(404);
        assertThat(a.text("error")).isEqualTo("not-found");
        assertThat(a.text("info")).isNotBlank();
    }
}
