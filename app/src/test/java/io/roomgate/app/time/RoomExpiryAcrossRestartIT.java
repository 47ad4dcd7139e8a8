package io.roomgate.app.time;

import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import io.roomgate.app.RoomgateApplication;
import io.roomgate.app.postgres.ScenariosOnPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.roomgate.app.time.TimeTesting.ejections;
import static io.roomgate.app.time.TimeTesting.events;
import static io.roomgate.app.time.TimeTesting.joined;
import static io.roomgate.app.time.TimeTesting.roomId;
import static io.roomgate.app.time.TimeTesting.scheduledTasksOf;
import static io.roomgate.app.Waiting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5, done when: a room with {@code exp} a few seconds ahead and people inside; the
 * application stops before {@code exp} and a new one starts on the same database after it. The
 * new one deletes the room and ejects the people, at (not before) {@code exp}, exactly once, and
 * the name is free again.
 */
class RoomExpiryAcrossRestartIT {

    @TempDir
    Path dir;

    private ConfigurableApplicationContext start() {
        // as arguments: builder.properties(...) are only defaults, and application.yml's url and port win over them
        String url = "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
        ConfigurableApplicationContext context = new SpringApplicationBuilder(RoomgateApplication.class)
                .profiles("test")
                .run("--server.port=0", "--spring.datasource.url=" + url, "--roomgate.room-url-base=https://rooms.test/");
        assertThat(context.getEnvironment().getProperty("spring.datasource.url")).isEqualTo(ScenariosOnPostgres.jdbcUrl(url));
        return context;
    }

    @Test
    void a_room_expiring_while_the_application_is_down_is_deleted_and_its_people_ejected_once_by_the_next_one() {
        String name = Api.uniqueName("restart");
        long exp;
        String roomId;

        try (ConfigurableApplicationContext first = start()) {
            Api api = Api.of(first);
            JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
            exp = TimeTesting.epochSecondsIn(Duration.ofSeconds(8));
            roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"exp\":" + exp + ",\"eject_at_room_exp\":true}}"));
            joined(api, name, "alice", "user-a", null);
            Api.Answer last = joined(api, name, "bob", "user-b", null);
            assertThat(TimeTesting.awaitPresenceCount(api, name, 2, last.consistencyToken())).hasSize(2);

            // all three deadlines are rows in the database, not timers in this process
            assertThat(scheduledTasksOf(jdbc, roomId, "room-expiry")).isEqualTo(1);
            assertThat(scheduledTasksOf(jdbc, roomId, "participant-ejection")).isEqualTo(2);
            assertThat(events(jdbc, roomId, "RoomDeleted")).as("stopping before exp").isEmpty();
            assertThat(Instant.now().getEpochSecond()).as("stopping before exp").isLessThan(exp);
        }

        try (ConfigurableApplicationContext second = start()) {
            Api api = Api.of(second);
            JdbcTemplate jdbc = second.getBean(JdbcTemplate.class);

            Waiting.waitUntil("the new application deletes the expired room", Duration.ofSeconds(20),
                    () -> !events(jdbc, roomId, "RoomDeleted").isEmpty());
            Waiting.waitUntil("every deadline of the room has run or been cancelled", Duration.ofSeconds(15),
                    () -> scheduledTasksOf(jdbc, roomId) == 0);
            Waiting.sleep(Duration.ofSeconds(1)); // several polling rounds: nothing fires twice

            assertThat(events(jdbc, roomId, "RoomDeleted")).singleElement()
                    .satisfies(e -> assertThat(e.field("cause")).isEqualTo("expiry"));
            for (String participant : List.of("alice", "bob")) {
                assertThat(ejections(jdbc, roomId, participant)).as(participant).singleElement()
                        .satisfies(e -> assertThat(e.field("cause")).isEqualTo("room-expired"));
            }
            List<Instant> stamps = jdbc.queryForList(
                    "select time_stamp from domain_event_entry where aggregate_identifier = ? and payload_type in (?, ?)",
                    String.class, roomId, "io.roomgate.events.RoomDeleted", "io.roomgate.events.ParticipantEjected")
                    .stream().map(Instant::parse).toList();
            assertThat(stamps).hasSize(3).allSatisfy(t -> assertThat(t.getEpochSecond()).as("not before exp").isGreaterThanOrEqualTo(exp));

            Waiting.waitUntil("the join check says the room is gone", Duration.ofSeconds(15),
                    () -> "room-not-found".equals(api.joinCheck("{\"room_name\":\"" + name + "\"}", null).text("reason")));
            assertThat(api.get("/v1/rooms/" + name, Api.ADMIN).status()).isEqualTo(404);

            Api.Answer again = api.createRoom("{\"name\":\"" + name + "\"}");
            assertThat(again.status()).as("the name is free: " + again.raw()).isEqualTo(200);
            assertThat(again.text("id")).isNotEqualTo(roomId);
        }
    }
}
