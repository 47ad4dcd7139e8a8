package io.roomgate.app.join;

import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.Waiting;
import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.time.TimeTesting;
import io.roomgate.query.view.JoinEligibilityProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The view handed a room's events again after it has applied them (its processor's tokens moved
 * back, as an operator might, or a take-over might once did: see {@code ProcessedEventsTest}): an
 * event that cannot be applied twice (the room's creation, a participant still present, a knock)
 * is recognised by the view's recorded position and passed over, so the room is not set aside,
 * and it answers as before. On a database of its own: every event in it is delivered again.
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-delivered-again;DB_CLOSE_DELAY=-1"})
class EventsDeliveredAgainIT extends WithEmbeddedApp {

    private static final String STATUS = "/v1/admin/projections/join-eligibility/status";

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    TokenStore tokens;
    @Autowired
    PlatformTransactionManager transactions;

    @Test
    void events_applied_before_are_passed_over_and_the_room_answers_as_before() {
        String room = Api.uniqueName("again");
        String roomId = TimeTesting.roomId(api.createRoom("{\"name\":\"" + room + "\",\"privacy\":\"private\","
                + "\"properties\":{\"enable_knocking\":true}}"));
        assertThat(api.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"knocker\"}").status()).isEqualTo(200);
        assertThat(api.post("/v1/rooms/" + room, Api.ADMIN, "{\"privacy\":\"public\"}").status()).isEqualTo(200);
        TimeTesting.joined(api, room, "present", null, null);
        TimeTesting.joined(api, room, "gone", null, null);
        assertThat(api.delete("/v1/rooms/" + room + "/participants/gone", Api.JOIN).status()).isEqualTo(200);
        String before = presence(room);
        assertThat(before).contains("present").doesNotContain("gone");

        PooledStreamingEventProcessor processor = processing.eventProcessor(JoinEligibilityProjection.GROUP,
                PooledStreamingEventProcessor.class).orElseThrow();
        // the take-over's guard is on the view's processor too, ahead of the positions' interceptor
        assertThat(processor.getHandlerInterceptors().get(0)).isInstanceOf(io.roomgate.query.view.ProcessedEvents.class);
        processor.shutDown();
        long first = jdbc.queryForObject("select min(global_index) from domain_event_entry where aggregate_identifier = ?",
                Long.class, roomId);
        new TransactionTemplate(transactions).executeWithoutResult(s -> {
            for (int segment : tokens.fetchSegments(JoinEligibilityProjection.GROUP)) {
                tokens.fetchToken(JoinEligibilityProjection.GROUP, segment);
                tokens.storeToken(GapAwareTrackingToken.newInstance(first - 1, List.of()), JoinEligibilityProjection.GROUP, segment);
                tokens.releaseClaim(JoinEligibilityProjection.GROUP, segment);
            }
        });
        processor.start();

        // a write after the moved tokens: once a default read sees it, the view has been through the room's events again
        String later = Api.uniqueName("later");
        api.createRoom("{\"name\":\"" + later + "\"}");
        Waiting.waitUntil("the view applied the later room", Duration.ofSeconds(30),
                () -> "allow".equals(api.joinCheck("{\"room_name\":\"" + later + "\"}", null).text("decision")));

        assertThat(api.get(STATUS, Api.ADMIN).body().get("quarantined")).as("no stream set aside").isEmpty();
        Api.Answer check = api.joinCheck("{\"room_name\":\"" + room + "\"}", null);
        assertThat(check.status()).as(check.raw()).isEqualTo(200);
        assertThat(check.text("reason")).isEqualTo("public-room");
        assertThat(presence(room)).isEqualTo(before);
        assertThat(api.get("/v1/rooms/" + room + "/knocks", Api.JOIN).status()).isEqualTo(200);
    }

    private String presence(String room) {
        Api.Answer presence = api.get("/v1/rooms/" + room + "/presence", Api.ADMIN);
        assertThat(presence.status()).as(presence.raw()).isEqualTo(200);
        return presence.body().toString();
    }
}
