package io.roomgate.app.join;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.query.view.JoinEligibilityProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read-your-writes made deterministic by holding the view back on purpose: a consistency token
 * is honoured only once the view has applied the write it names and every write before it, not
 * when something else has seen the event (the command side's own lookups see it in the
 * command's transaction), and not when only the segment of the token's aggregate has caught up.
 * Shares its application context (and database) with {@link ProjectionFailureIT}.
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-projection-failure;DB_CLOSE_DELAY=-1",
        "roomgate.consistency.max-wait=PT1S",
        "roomgate.view.quarantine-retry-interval=PT1S"})
class ConsistencyWhileTheViewLagsIT extends WithEmbeddedApp {

    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    EventProcessingConfiguration processing;

    @AfterEach
    void viewRunsAgain() {
        PooledStreamingEventProcessor p = processor();
        if (!p.isRunning()) {
            p.start();
        }
    }

    @Test
    void a_write_the_view_has_not_applied_is_waited_for_even_though_the_command_side_has_seen_it() {
        String room = Api.uniqueName("held");
        PooledStreamingEventProcessor processor = processor();
        processor.shutDown();
        assertThat(processor.isRunning()).isFalse();

        Answer created = steps.createRoom(room, "public", null);
        // the command side knows the room (its lookups run in the command's transaction) ...
        assertThat(api.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"x\"}").status()).isEqualTo(400);
        // ... the view does not: a check that sends the token back waits, then says so
        Answer waiting = api.joinCheck(body("room_name", room), created.consistencyToken());
        assertThat(waiting.status()).as(waiting.raw()).isEqualTo(503);
        assertThat(waiting.text("error")).isEqualTo("consistency-timeout");
        // without any header (the default level) too: every acknowledged write, or a 503, never a stale answer
        Answer byDefault = api.joinCheck(body("room_name", room), null);
        assertThat(byDefault.status()).as(byDefault.raw()).isEqualTo(503);
        assertThat(byDefault.text("error")).isEqualTo("consistency-timeout");
        assertThat(api.get("/v1/rooms/" + room, Api.ADMIN).status()).as("room reads wait the same way").isEqualTo(503);
        // with X-Consistency: minimize-latency the answer is immediate, and stale, which that level allows
        Answer fast = api.call("POST", "/v1/join-checks", Api.JOIN, body("room_name", room), java.util.Map.of("X-Consistency", "minimize-latency"));
        assertThat(fast.status()).isEqualTo(200);
        assertThat(fast.text("decision") + " " + fast.text("reason")).isEqualTo("deny room-not-found");

        processor.start();
        Waiting.waitUntil("the view has applied the room", Duration.ofSeconds(30),
                () -> api.joinCheck(body("room_name", room), created.consistencyToken()).status() == 200);
        steps.expect(body("room_name", room), created, "allow", "public-room");
    }

    @Test
    void a_token_is_not_honoured_while_an_earlier_write_to_another_aggregate_waits_in_another_segment() {
        PooledStreamingEventProcessor processor = processor();
        Waiting.waitUntil("both segments are claimed", Duration.ofSeconds(30), () -> processor.processingStatus().size() == 2);
        // hold segment 0 back for a while: its events are stored, not applied
        processor.releaseSegment(0, 15, TimeUnit.SECONDS);
        Waiting.waitUntil("segment 0 is released", Duration.ofSeconds(30), () -> !processor.processingStatus().containsKey(0));

        // a room whose events fall to segment 0, then a token whose events fall to segment 1
        String room = null;
        for (int i = 0; i < 40 && room == null; i++) {
            String name = Api.uniqueName("seg0");
            Answer created = steps.createRoom(name, "private", null);
            if (segmentOf(created.text("id")) == 0) {
                room = name;
            }
        }
        assertThat(room).as("a room in segment 0").isNotNull();
        String held = room;
        Answer token = null;
        for (int i = 0; i < 40 && token == null; i++) {
            Answer issued = steps.issue("{\"room_name\":\"" + held + "\"}");
            if (segmentOf(jti(issued.text("token"))) == 1) {
                token = issued;
            }
        }
        assertThat(token).as("a token in segment 1").isNotNull();
        String tokenText = token.text("token");
        String consistency = token.consistencyToken();
        // segment 1 has applied the token; the room before it is not in the view: not "room-not-found", but a wait
        Answer early = api.joinCheck(body("room_name", held, "token", tokenText), consistency);
        assertThat(early.status()).as("check while the room's segment is held back: %s", early.raw()).isEqualTo(503);

        Waiting.waitUntil("segment 0 is applied again", Duration.ofSeconds(60),
                () -> api.joinCheck(body("room_name", held, "token", tokenText), consistency).status() == 200);
        steps.expect(body("room_name", held, "token", tokenText), token, "allow", "valid-token");
    }

    private PooledStreamingEventProcessor processor() {
        return processing.eventProcessor(JoinEligibilityProjection.GROUP, PooledStreamingEventProcessor.class).orElseThrow();
    }

    /** The segment of two an aggregate's events go to (sequential per aggregate: its id's hash). */
    private static int segmentOf(String aggregateId) {
        return aggregateId.hashCode() & 1;
    }

    private static String jti(String token) {
        try {
            byte[] payload = Base64.getUrlDecoder().decode(token.split("\\.")[1]);
            return JSON.readTree(new String(payload, StandardCharsets.UTF_8)).get("jti").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
