package io.roomgate.app.join;

import io.roomgate.app.Api.Answer;
import io.roomgate.app.Waiting;
import io.roomgate.edge.ConsistencyToken;
import org.springframework.jdbc.core.JdbcTemplate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/** A room with enough history for a snapshot (at a threshold of 20 events), and its snapshot row. */
final class SnapshotSteps {

    static final Duration SNAPSHOT_WAIT = Duration.ofSeconds(60);

    private final Steps steps;
    private final JdbcTemplate jdbc;

    SnapshotSteps(Steps steps, JdbcTemplate jdbc) {
        this.steps = steps;
        this.jdbc = jdbc;
    }

    String ownerToken(String room) {
        return steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true,\"user_id\":\"u-owner\"}").text("token");
    }

    /**
     * A public room for three, 20 events: an owner, a user banned, seven short visits, and one
     * who stays. The 20th event is the last command's, so exactly one snapshot is taken (of
     * sequence numbers 0-19); the owner and p-stay are present. Answers the room's id.
     */
    String aDayInARoom(String room, String ownerToken) {
        String roomId = steps.createRoom(room, "public", "{\"max_participants\":3}").text("id");
        steps.join(room, body("participant_id", "p-owner", "token", ownerToken));
        steps.join(room, body("participant_id", "p-troll", "user_id", "u-troll"));
        steps.eject(room, "{\"user_ids\":[\"u-troll\"],\"ban\":true}");
        for (int i = 0; i < 7; i++) {
            steps.join(room, body("participant_id", "p-visit-" + i));
            steps.leave(room, "p-visit-" + i);
        }
        steps.join(room, body("participant_id", "p-stay"));
        return roomId;
    }

    /** Waits for the room's snapshot and answers its sequence number. */
    long waitForSnapshot(String roomId) {
        Waiting.waitUntil("a snapshot of room " + roomId, SNAPSHOT_WAIT, () -> snapshotSequence(roomId) != null);
        long sequence = snapshotSequence(roomId);
        assertThat(sequence).as("the snapshot covers the 20 events, and no more were written").isEqualTo(19);
        return sequence;
    }

    Long snapshotSequence(String roomId) {
        return jdbc.queryForObject("select max(sequence_number) from snapshot_event_entry where aggregate_identifier = ?", Long.class, roomId);
    }

    String snapshotJson(String roomId) {
        List<byte[]> payloads = jdbc.queryForList("select payload from snapshot_event_entry where aggregate_identifier = ? "
                + "order by sequence_number desc", byte[].class, roomId);
        return payloads.isEmpty() ? "" : new String(payloads.get(0), StandardCharsets.UTF_8);
    }

    /** Drops the room's events up to {@code sequence}: from then on only its snapshot knows them. */
    void forgetEventsUpTo(String roomId, long sequence) {
        jdbc.update("delete from domain_event_entry where aggregate_identifier = ? and sequence_number <= ?", roomId, sequence);
    }

    /**
     * What only the room's state can decide: the ban, max_participants and who is present; and
     * the last command's consistency token names the room's last event.
     */
    void decidesAsItsHistorySays(String room, String roomId) {
        assertThat(steps.reportJoin(room, body("participant_id", "p-troll-again", "user_id", "u-troll")).status())
                .as("a user banned early in the room's history").isEqualTo(403);
        steps.join(room, body("participant_id", "p-a"));
        Answer full = steps.reportJoin(room, body("participant_id", "p-b"));
        assertThat(full.status()).as("the owner, p-stay and p-a fill max_participants 3: %s", full.raw()).isEqualTo(409);
        steps.leave(room, "p-stay");
        Answer last = steps.join(room, body("participant_id", "p-b"));
        assertThat(ConsistencyToken.decode(last.consistencyToken()))
                .contains(new ConsistencyToken(roomId, jdbc.queryForObject(
                        "select max(sequence_number) from domain_event_entry where aggregate_identifier = ?", Long.class, roomId)));
    }
}
