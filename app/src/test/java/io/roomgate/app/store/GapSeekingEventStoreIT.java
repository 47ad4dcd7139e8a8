package io.roomgate.app.store;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.store.GapSeekingJdbcEventStorageEngine;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The event store reads a token's gaps with their own query ({@link GapSeekingJdbcEventStorageEngine}):
 * whatever the gaps, a tracking reader gets exactly the events Axon's single query returns, in
 * global order, and nothing it has already seen.
 */
@RoomgateTest
class GapSeekingEventStoreIT extends WithEmbeddedApp {

    @Autowired
    EventStorageEngine engine;

    @Test
    void a_token_with_gaps_reads_the_gap_events_then_everything_above_it_in_order() {
        assertThat(engine).isInstanceOf(GapSeekingJdbcEventStorageEngine.class);
        for (int i = 0; i < 6; i++) {
            api.createRoom("{\"name\":\"" + Api.uniqueName("gaps") + "\"}");
        }
        List<Long> all = jdbc.queryForList("select global_index from domain_event_entry order by global_index", Long.class);
        assertThat(all.size()).isGreaterThanOrEqualTo(6);
        int n = all.size();
        // a reader at the 3rd-newest event that has not seen the 5th- and 4th-newest (say, committed late)
        long at = all.get(n - 3);
        TreeSet<Long> gaps = new TreeSet<>(List.of(all.get(n - 5), all.get(n - 4)));
        List<Long> read = globalIndexes(GapAwareTrackingToken.newInstance(at, gaps));
        assertThat(read).containsExactly(all.get(n - 5), all.get(n - 4), all.get(n - 2), all.get(n - 1));

        // gaps that are not (or no longer) in the store are simply not found
        TreeSet<Long> missing = new TreeSet<>(List.of(-7L, all.get(n - 4)));
        assertThat(globalIndexes(GapAwareTrackingToken.newInstance(at, missing)))
                .containsExactly(all.get(n - 4), all.get(n - 2), all.get(n - 1));

        // no gaps: Axon's own query
        assertThat(globalIndexes(GapAwareTrackingToken.newInstance(at, new TreeSet<>())))
                .containsExactly(all.get(n - 2), all.get(n - 1));
    }

    /** The stored global index of each event read (a gap's event does not move the token's position). */
    private List<Long> globalIndexes(TrackingToken token) {
        return engine.readEvents(token, false)
                .map(TrackedEventMessage::getIdentifier)
                .map(id -> jdbc.queryForObject("select global_index from domain_event_entry where event_identifier = ?", Long.class, id))
                .toList();
    }
}
