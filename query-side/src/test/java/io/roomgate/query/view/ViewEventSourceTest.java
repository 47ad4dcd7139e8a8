package io.roomgate.query.view;

import org.axonframework.common.stream.BlockingStream;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** When the view's streams are called back after this node commits (the periodic poll set to an hour). */
class ViewEventSourceTest {

    private final EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();
    private final ViewEventSource source = new ViewEventSource(store, Duration.ofHours(1));
    private final AtomicInteger calls = new AtomicInteger();
    private final BlockingStream<TrackedEventMessage<?>> stream = source.openStream(null);
    private long sequence;

    ViewEventSourceTest() {
        stream.setOnAvailableCallback(calls::incrementAndGet);
    }

    @AfterEach
    void close() {
        stream.close();
        source.close();
        store.shutDown();
    }

    private void commit() {
        store.publish(new GenericDomainEventMessage<>("Room", "room-1", sequence++, "payload"));
    }

    @Test
    void a_commit_calls_the_streams_back_at_once_and_twice_later() {
        commit();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(calls.get()).isEqualTo(3));
    }

    @Test
    void commits_while_wakes_are_pending_share_them_and_a_later_commit_still_wakes_the_streams() {
        for (int i = 0; i < 2_000; i++) {
            commit();
        }
        await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ofMillis(300)).untilAsserted(() ->
                assertThat(calls.get()).isPositive());
        int afterBurst = calls.get();
        assertThat(afterBurst).as("wakes of 2,000 commits in a burst (three each, unshared)").isLessThan(6_000);

        commit();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(calls.get()).isEqualTo(afterBurst + 3));
    }
}
