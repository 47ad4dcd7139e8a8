package io.roomgate.app.join;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.spring.eventsourcing.SpringAggregateSnapshotter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room reused every day is loaded from its latest snapshot and the events after it. Snapshots
 * every 20 events here (100 by default), so this class has its own context and database (on
 * PostgreSQL, with its {@code bytea} payloads, in the {@code scenarios-on-postgresql} run).
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-snapshots;DB_CLOSE_DELAY=-1",
        "roomgate.snapshots.threshold=20"})
@DirtiesContext
class RoomSnapshotsIT extends WithEmbeddedApp {

    @Autowired
    Environment environment;
    @Autowired
    org.axonframework.config.Configuration axon;
    @Autowired
    Snapshotter snapshotter;

    SnapshotSteps snapshots;

    @BeforeEach
    void setUp() {
        snapshots = new SnapshotSteps(steps, jdbc);
    }

    @Test
    void a_room_past_the_threshold_is_snapshotted_and_decides_from_its_snapshot() {
        String room = Api.uniqueName("snap");
        String roomId = snapshots.aDayInARoom(room, snapshots.ownerToken(room));
        long snapshotAt = snapshots.waitForSnapshot(roomId);

        snapshots.forgetEventsUpTo(roomId, snapshotAt);

        snapshots.decidesAsItsHistorySays(room, roomId);
    }

    @Test
    void time_travel_folds_a_snapshotted_room_from_its_first_event_not_from_its_snapshot() throws Exception {
        String room = Api.uniqueName("snap-travel");
        String roomId = snapshots.aDayInARoom(room, snapshots.ownerToken(room));
        snapshots.waitForSnapshot(roomId);
        java.time.Instant created = java.time.Instant.parse(jdbc.queryForObject("select time_stamp from domain_event_entry "
                + "where aggregate_identifier = ? and sequence_number = 0", String.class, roomId));
        Thread.sleep(1_100);
        // just after it was created: public, nobody banned yet; now: u-troll banned
        io.roomgate.app.Api.Answer then = steps.check(body("room_name", room, "user_id", "u-troll", "at", created.plusMillis(1).toString()), null);
        assertThat(then.text("decision") + " " + then.text("reason")).as(then.raw()).isEqualTo("allow public-room");
        io.roomgate.app.Api.Answer now = steps.check(body("room_name", room, "user_id", "u-troll", "at", java.time.Instant.now().minusMillis(500).toString()), null);
        assertThat(now.text("decision") + " " + now.text("reason")).as(now.raw()).isEqualTo("deny banned");
    }

    @Test
    void an_unreadable_snapshot_is_skipped_and_then_replaced() {
        String room = Api.uniqueName("snap-corrupt");
        String roomId = snapshots.aDayInARoom(room, snapshots.ownerToken(room));
        snapshots.waitForSnapshot(roomId);
        jdbc.update("update snapshot_event_entry set payload = ? where aggregate_identifier = ?",
                "{\"not\": \"a room\"".getBytes(StandardCharsets.UTF_8), roomId);

        // loaded from all its events instead
        snapshots.decidesAsItsHistorySays(room, roomId);

        Waiting.waitUntil("a readable snapshot replaces the broken one", SnapshotSteps.SNAPSHOT_WAIT,
                () -> snapshots.snapshotJson(roomId).contains("\"p-owner\""));
    }

    @Test
    void a_snapshot_of_another_revision_of_room_is_not_read() {
        String room = Api.uniqueName("snap-old");
        String roomId = snapshots.aDayInARoom(room, snapshots.ownerToken(room));
        snapshots.waitForSnapshot(roomId);
        // an old-revision snapshot that, were it read, would have forgotten the ban
        String forgetful = snapshots.snapshotJson(roomId).replace("u-troll", "u-nobody");
        jdbc.update("update snapshot_event_entry set payload = ?, payload_revision = '0' where aggregate_identifier = ?",
                forgetful.getBytes(StandardCharsets.UTF_8), roomId);

        assertThat(steps.reportJoin(room, body("participant_id", "p-troll-again", "user_id", "u-troll")).status()).isEqualTo(403);
    }

    @Test
    void a_snapshot_holds_no_meeting_token_and_no_signing_key() {
        String room = Api.uniqueName("snap-secrets");
        String ownerToken = snapshots.ownerToken(room);
        String roomId = snapshots.aDayInARoom(room, ownerToken);
        snapshots.waitForSnapshot(roomId);
        String json = snapshots.snapshotJson(roomId);
        String key = environment.getProperty("roomgate.tokens.keys.test-1");
        byte[] rawKey = Base64.getDecoder().decode(key);

        assertThat(json).contains("\"p-owner\"", "u-owner", "u-troll");
        assertThat(json).doesNotContain(ownerToken).doesNotContain(ownerToken.substring(ownerToken.lastIndexOf('.') + 1))
                .doesNotContain("eyJ")
                .doesNotContain(key).doesNotContain(Base64.getUrlEncoder().withoutPadding().encodeToString(rawKey))
                .doesNotContain(new String(rawKey, StandardCharsets.ISO_8859_1));
    }

    @Test
    void axon_snapshots_with_roomgates_snapshotter_not_spring_boots() {
        assertThat(axon.getComponent(Snapshotter.class)).isSameAs(snapshotter).isNotInstanceOf(SpringAggregateSnapshotter.class);
    }
}
