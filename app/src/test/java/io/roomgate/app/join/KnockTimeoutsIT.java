package io.roomgate.app.join;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api.Answer;
import org.junit.jupiter.api.Test;
import org.springframework.test.annotation.DirtiesContext;

import java.time.Duration;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * access rules §2 row 15's {@code knock-expired}, and row 14's "in its window": knocks that lapse with
 * time. Short timeouts, so this class has its own application context on its own database.
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-knock-timeouts;DB_CLOSE_DELAY=-1",
        "roomgate.knocks.pending-timeout=PT2S",
        "roomgate.knocks.approval-window=PT2S"})
@DirtiesContext
class KnockTimeoutsIT extends WithEmbeddedApp {

    @Test
    void row15_a_knock_whose_pending_timeout_passed_is_knock_expired() {
        String room = Api.uniqueName("lapse");
        steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer knock = steps.knock(room, "Kim");
        String knockId = knock.text("id");
        steps.expect(body("room_name", room, "knock_id", knockId), knock, "wait", "knock-pending");
        Waiting.sleep(Duration.ofMillis(2300));
        // from its time on the knock is expired, whether or not the expiry deadline has run yet
        steps.expect(body("room_name", room, "knock_id", knockId), null, "deny", "knock-expired");
        assertThat(steps.reportJoin(room, body("participant_id", "p-kim", "knock_id", knockId)).status()).isEqualTo(403);
        // the deadline records KnockExpired, and the knock API says so
        Waiting.waitUntil("KnockExpired is stored", Duration.ofSeconds(20),
                () -> count("select count(*) from domain_event_entry where payload_type like '%KnockExpired'") > 0);
        Answer status = steps.get("/v1/knocks/" + knockId, null);
        assertThat(status.text("status")).isEqualTo("expired");
        Answer waiting = steps.get("/v1/rooms/" + room + "/knocks", null);
        assertThat(waiting.body().get("total_count").asInt()).isZero();
        steps.expect(body("room_name", room, "knock_id", knockId), null, "deny", "knock-expired");
        // an owner arriving later cannot approve it any more
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        assertThat(steps.approve(knockId, "p-owner").status()).isEqualTo(409);
    }

    @Test
    void row14_an_approval_admits_only_within_its_window() {
        String room = Api.uniqueName("window");
        steps.createRoom(room, "private", "{\"enable_knocking\":true}");
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        Answer knock = steps.knock(room, "Kim");
        Answer approved = steps.approve(knock.text("id"), "p-owner");
        assertThat(approved.status()).isEqualTo(200);
        steps.expect(body("room_name", room, "knock_id", knock.text("id")), approved, "allow", "knock-approved");
        Waiting.sleep(Duration.ofMillis(2300));
        steps.expect(body("room_name", room, "knock_id", knock.text("id")), null, "deny", "knock-expired");
        assertThat(steps.reportJoin(room, body("participant_id", "p-kim", "knock_id", knock.text("id"))).status()).isEqualTo(403);
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

}
