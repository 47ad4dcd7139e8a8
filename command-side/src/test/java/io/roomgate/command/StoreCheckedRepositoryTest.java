package io.roomgate.command;

import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.eventsourcing.EventSourcingRepository;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateLifecycle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two command nodes on one store, each with its own cache of aggregates: what one appends, the
 * other's cached copy must not hide. A command that only reads its aggregate (a refusal appends
 * nothing, so no key in the store would catch a stale copy) still sees the other node's events.
 */
class StoreCheckedRepositoryTest {

    static final String ID = "counter-1";

    /** A stand-in for a room: a count, and commands that read it or move it. */
    static class Counter {
        @AggregateIdentifier
        String id;
        int count;

        Counter() {
        }

        Counter(String id) {
            AggregateLifecycle.apply(new Counted(id, 0));
        }

        void increment() {
            AggregateLifecycle.apply(new Counted(id, count + 1));
        }

        @EventSourcingHandler
        void on(Counted e) {
            id = e.id();
            count = e.count();
        }
    }

    record Counted(String id, int count) {
    }

    private final EmbeddedEventStore store = EmbeddedEventStore.builder().storageEngine(new InMemoryEventStorageEngine()).build();

    @AfterEach
    void shutDown() {
        store.shutDown();
    }

    private StoreCheckedRepository<Counter> node(CachedAggregates cache, boolean othersWrite) {
        return new StoreCheckedRepository<>(EventSourcingRepository.builder(Counter.class), store, cache, othersWrite);
    }

    private static <R> R inUnitOfWork(java.util.concurrent.Callable<R> task) throws Exception {
        return DefaultUnitOfWork.startAndGet(null).executeWithResult(task).getPayload();
    }

    private int countSeenBy(StoreCheckedRepository<Counter> node) throws Exception {
        return inUnitOfWork(() -> node.load(ID).invoke(c -> c.count));
    }

    @Test
    void a_node_sees_what_another_node_appended_since_it_cached_the_aggregate() throws Exception {
        CachedAggregates cacheOfA = new CachedAggregates(100);
        StoreCheckedRepository<Counter> a = node(cacheOfA, true);
        StoreCheckedRepository<Counter> b = node(new CachedAggregates(100), true);
        inUnitOfWork(() -> a.newInstance(() -> new Counter(ID)));
        assertThat(countSeenBy(a)).isZero();
        assertThat(cacheOfA.containsKey(ID)).isTrue();

        inUnitOfWork(() -> {
            b.load(ID).execute(Counter::increment);
            return null;
        });

        assertThat(countSeenBy(a)).as("node A's cached copy was behind the store: reloaded").isEqualTo(1);
        inUnitOfWork(() -> {
            a.load(ID).execute(Counter::increment);
            return null;
        });
        assertThat(countSeenBy(b)).isEqualTo(2);
    }

    /** A command carrying what its lookup read as the stream's head. */
    private static org.axonframework.commandhandling.CommandMessage<?> command(StoredHead head) {
        return org.axonframework.commandhandling.GenericCommandMessage.asCommandMessage("a command")
                .andMetaData(java.util.Map.of(StoredHead.KEY, head));
    }

    private static int countSeenBy(org.axonframework.commandhandling.CommandMessage<?> command,
                                   StoreCheckedRepository<Counter> node) throws Exception {
        return DefaultUnitOfWork.startAndGet(command).executeWithResult(() -> node.load(ID).invoke(c -> c.count)).getPayload();
    }

    private void appendElsewhere(StoreCheckedRepository<Counter> other) throws Exception {
        inUnitOfWork(() -> {
            other.load(ID).execute(Counter::increment);
            return null;
        });
    }

    @Test
    void the_head_read_with_the_commands_lookup_stands_for_the_stores_answer_once() throws Exception {
        StoreCheckedRepository<Counter> a = node(new CachedAggregates(100), true);
        StoreCheckedRepository<Counter> b = node(new CachedAggregates(100), true);
        inUnitOfWork(() -> a.newInstance(() -> new Counter(ID)));
        appendElsewhere(b);

        assertThat(countSeenBy(command(new StoredHead(ID, 1)), a))
                .as("the head sent along is ahead of A's cached copy: reloaded").isEqualTo(1);

        appendElsewhere(b);
        // what only a test can send: a head that is behind the store; taken as read, so the store was not asked
        org.axonframework.commandhandling.CommandMessage<?> behind = command(new StoredHead(ID, 1));
        assertThat(countSeenBy(behind, a)).isEqualTo(1);
        // the same command again (as a retry after a lost race sends it): the store is asked
        assertThat(countSeenBy(behind, a)).isEqualTo(2);

        appendElsewhere(b);
        // a head of another stream is not taken for this one's
        assertThat(countSeenBy(command(new StoredHead("another", 1)), a)).isEqualTo(3);
    }

    @Test
    void where_this_process_is_the_only_writer_the_cache_is_used_without_asking_the_store() throws Exception {
        CachedAggregates cache = new CachedAggregates(100);
        StoreCheckedRepository<Counter> only = node(cache, false);
        inUnitOfWork(() -> only.newInstance(() -> new Counter(ID)));
        inUnitOfWork(() -> {
            only.load(ID).execute(Counter::increment);
            return null;
        });
        assertThat(countSeenBy(only)).isEqualTo(1);

        // what this test alone can do: append behind the cache's back; the unchecked cache does not see it
        StoreCheckedRepository<Counter> other = node(new CachedAggregates(100), true);
        inUnitOfWork(() -> {
            other.load(ID).execute(Counter::increment);
            return null;
        });
        assertThat(countSeenBy(only)).as("served from the cache, as configured for a single writer").isEqualTo(1);
    }

    @Test
    void the_cache_keeps_at_most_its_capacity_least_recently_used_out_first() {
        CachedAggregates cache = new CachedAggregates(2);
        cache.put("a", 1);
        cache.put("b", 2);
        cache.get("a");
        cache.put("c", 3);
        assertThat(cache.size()).isEqualTo(2);
        assertThat(cache.containsKey("a")).isTrue();
        assertThat(cache.containsKey("b")).isFalse();
        assertThat(cache.containsKey("c")).isTrue();
    }
}
