package io.roomgate.app.join;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api.Answer;
import io.roomgate.events.StreamIds;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "A failing event handler must not be skipped silently" (issue 4), and "one poisoned event must
 * not freeze the view for everyone" (issue 16): when the view cannot apply an event (it applies
 * each inside a savepoint), only the event's stream (here a member's) is quarantined,
 * visibly: health says DEGRADED and names the stream and the cause, a read that depends on it
 * answers 503 instead of answering without it, other streams are applied as usual, and once the
 * cause is gone the periodic retry applies it (not lost, not skipped). The failure is made real:
 * a check constraint on a view table refuses one member id. And what the write side accepts,
 * however odd, never makes the view fail. Its own application context and database (shared with
 * {@link ConsistencyWhileTheViewLagsIT} only). {@code PoisonedStreamIT} drills the same
 * on a room, with the operator's retry.
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-projection-failure;DB_CLOSE_DELAY=-1",
        "roomgate.consistency.max-wait=PT1S",
        "roomgate.view.quarantine-retry-interval=PT1S"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectionFailureIT extends WithEmbeddedApp {

    @AfterEach
    void removeTheCause() {
        jdbc.update("alter table view_member drop constraint if exists refuse_poison");
    }

    @Test
    @Order(1)
    void an_event_the_view_cannot_apply_quarantines_its_stream_shows_in_health_and_is_applied_once_it_can() {
        assertThat(viewHealth()).isEqualTo("UP");
        String poison = Api.uniqueName("poison");
        jdbc.update("alter table view_member add constraint refuse_poison check (member_id not like 'poison-%')");

        Answer added = steps.addMember(poison);
        // the write itself succeeded: the event is in the store
        assertThat(jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ?",
                Long.class, StreamIds.member(poison))).isEqualTo(1);

        Waiting.waitUntil("health shows the stream quarantined", Duration.ofSeconds(30), () -> "DEGRADED".equals(viewHealth()));
        // ... and keeps showing it while the event still fails, however often it is retried
        for (int i = 0; i < 6; i++) {
            Waiting.sleep(Duration.ofMillis(500));
            assertThat(viewHealth()).as("view health %d half-seconds into the failure", i).isEqualTo("DEGRADED");
            // the service answers: only reads about the quarantined stream are refused
            assertThat(api.get("/actuator/health", null).status()).isEqualTo(200);
        }
        assertThat(api.get("/actuator/health", null).body().at("/components/joinEligibilityView/details/quarantined/0/stream").asText())
                .isEqualTo(StreamIds.member(poison));
        // not skipped: the view does not have it, and a read that depends on it is refused, never answered without it
        assertThat(jdbc.queryForObject("select count(*) from view_member where member_id = ?", Long.class, poison)).isZero();
        Answer waiting = api.joinCheck(body("room_name", "any", "member_id", poison), added.consistencyToken());
        assertThat(waiting.status()).isEqualTo(503);
        assertThat(waiting.text("error")).isEqualTo("view-quarantined");
        // other streams go on
        String other = Api.uniqueName("other");
        Answer otherRoom = steps.createRoom(other, "public", null);
        steps.expect(body("room_name", other), otherRoom, "allow", "public-room");

        jdbc.update("alter table view_member drop constraint refuse_poison");
        Waiting.waitUntil("the view applied the event it failed on", Duration.ofSeconds(60),
                () -> jdbc.queryForObject("select count(*) from view_member where member_id = ?", Long.class, poison) == 1);
        Waiting.waitUntil("health shows the view UP again", Duration.ofSeconds(30), () -> "UP".equals(viewHealth()));

        String room = Api.uniqueName("after");
        Answer created = steps.createRoom(room, "private", null);
        steps.expect(body("room_name", room, "member_id", poison), created, "allow", "member");
        steps.expect(body("room_name", room, "member_id", poison), added, "allow", "member");
    }

    @Test
    @Order(2)
    void what_the_write_side_accepts_never_stops_the_view() {
        String room = Api.uniqueName("long");
        steps.createRoom(room, "public", null);
        String longId = "u".repeat(300);
        // a join server may report odd users: refused up front, or kept by the view, never a stuck view
        Answer join = steps.reportJoin(room, "{\"participant_id\":\"p1\",\"user_id\":\"" + longId
                + "\",\"user_name\":\"" + "n".repeat(300) + "\"}");
        assertThat(join.status()).as(join.raw()).isIn(200, 400);
        // a ban of a long user id (it need not be present): refused up front, or kept by the view
        Answer ban = api.post("/v1/rooms/" + room + "/eject", Api.ADMIN, "{\"user_ids\":[\"" + longId + "\"],\"ban\":true}");
        assertThat(ban.status()).as(ban.raw()).isIn(200, 400);
        if (ban.status() == 200) {
            steps.expect(body("room_name", room, "user_id", longId), ban, "deny", "banned");
            steps.expect(body("room_name", room, "user_id", "u".repeat(299)), ban, "allow", "public-room");
            Answer lifted = api.delete("/v1/rooms/" + room + "/bans/" + longId, Api.ADMIN);
            assertThat(lifted.status()).isEqualTo(200);
            steps.expect(body("room_name", room, "user_id", longId), lifted, "allow", "public-room");
        }
        // a self-signed token (accepted, as Daily's are) with a long user id
        String selfSigned = JoinDecisionTableIT.jwt("{\"alg\":\"HS256\",\"kid\":\"test-1\",\"typ\":\"JWT\"}",
                "{\"r\":\"" + room + "\",\"d\":\"test-domain\",\"ud\":\"" + "v".repeat(300) + "\",\"u\":\"" + "w".repeat(300) + "\"}",
                "HmacSHA256", JoinDecisionTableIT.TEST_KEY);
        Answer withToken = steps.reportJoin(room, body("participant_id", "p2", "token", selfSigned));
        assertThat(withToken.status()).as(withToken.raw()).isIn(200, 400);
        // whatever was stored is in the view: a write after all of them is seen, and the view is healthy
        Answer last = steps.join(room, body("participant_id", "p3"));
        steps.expect(body("room_name", room, "participant_id", "p3"), last, "allow", "already-present");
        if (join.status() == 200) {
            steps.expect(body("room_name", room, "participant_id", "p1"), last, "allow", "already-present");
        }
        if (withToken.status() == 200) {
            steps.expect(body("room_name", room, "participant_id", "p2"), last, "allow", "already-present");
        }
        assertThat(viewHealth()).isEqualTo("UP");
    }

    private String viewHealth() {
        Answer health = api.get("/actuator/health", null);
        return health.body() == null ? "?" : health.body().at("/components/joinEligibilityView/status").asText();
    }

}
