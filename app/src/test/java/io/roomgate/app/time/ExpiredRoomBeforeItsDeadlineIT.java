package io.roomgate.app.time;

import io.roomgate.app.WithEmbeddedApp;
import com.github.kagkarlsson.scheduler.Scheduler;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;

import static io.roomgate.app.time.TimeTesting.events;
import static io.roomgate.app.time.TimeTesting.join;
import static io.roomgate.app.time.TimeTesting.joined;
import static io.roomgate.app.time.TimeTesting.roomId;
import static io.roomgate.app.Waiting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * access rules §2 rule 2: the moment {@code exp} passes the room refuses joins, whether or not the
 * deadline that deletes it has run yet. db-scheduler is paused here, so it has not.
 */
@ShortTimeoutsTest
class ExpiredRoomBeforeItsDeadlineIT extends WithEmbeddedApp {

    @Autowired
    Scheduler scheduler;

    @Test
    void a_join_check_says_room_expired_the_moment_exp_passes_even_before_the_deadline_ran() {
        warmUp(); // so exp does not pass during set-up

        String name = Api.uniqueName("expiring");
        long exp = TimeTesting.epochSecondsIn(Duration.ofSeconds(5));
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"exp\":" + exp + "}}"));
        Api.Answer in = joined(api, name, "present", null, null);
        waitUntil("the join check admits before exp", Duration.between(Instant.now(), Instant.ofEpochSecond(exp)),
                () -> "allow".equals(api.joinCheck("{\"room_name\":\"" + name + "\"}", in.consistencyToken()).text("decision")));

        scheduler.pause();
        try {
            TimeTesting.sleepUntil(Instant.ofEpochSecond(exp));

            Api.Answer check = api.joinCheck("{\"room_name\":\"" + name + "\"}", null);
            assertThat(check.text("decision")).as(check.raw()).isEqualTo("deny");
            assertThat(check.text("reason")).isIn("room-expired", "room-not-found");
            Api.Answer reconnect = api.joinCheck("{\"room_name\":\"" + name + "\",\"participant_id\":\"present\"}", null);
            assertThat(reconnect.text("reason")).as("rule 2 comes before already-present").isIn("room-expired", "room-not-found");
            long stored = api.eventCount();
            Api.Answer join = join(api, name, "latecomer", null, null);
            assertThat(join.status()).as("the authoritative join refuses too: " + join.raw()).isIn(403, 404);
            assertThat(api.eventCount()).isEqualTo(stored);

            assertThat(events(jdbc, roomId, "RoomDeleted")).as("the expiry deadline has not run yet").isEmpty();
        } finally {
            scheduler.resume();
        }

        Waiting.waitUntil("the room is deleted once the deadline runs", Duration.ofSeconds(15),
                () -> !events(jdbc, roomId, "RoomDeleted").isEmpty());
        Waiting.waitUntil("the join check says room-not-found", Duration.ofSeconds(15),
                () -> "room-not-found".equals(api.joinCheck("{\"room_name\":\"" + name + "\"}", null).text("reason")));
    }
}
