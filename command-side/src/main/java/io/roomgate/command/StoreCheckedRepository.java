package io.roomgate.command;

import org.axonframework.common.caching.Cache;
import org.axonframework.eventsourcing.CachingEventSourcingRepository;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Axon's caching repository, safe where other processes append to the same streams (several
 * command nodes on one PostgreSQL). A cached aggregate another node has since moved on is stale:
 * a command it admits appends at a sequence number that is taken, and the store's unique
 * (aggregate, sequence) key refuses it (the unit of work rolls back, Axon evicts the entry, the
 * gateway retries on a fresh load). But a command a stale aggregate <em>refuses</em> appends
 * nothing, so nothing would catch it. So, where others write, every load from the cache asks the
 * store for the stream's last sequence number (one indexed lookup, against a load's snapshot read
 * and event scan), or takes it from the command ({@link StoredHead}, read with the command's own
 * lookup), and reloads from the store when it is ahead. Where this process is the only
 * writer (the embedded app on H2), the cache is never stale and is not checked.
 */
public class StoreCheckedRepository<T> extends CachingEventSourcingRepository<T> {

    private final EventStore eventStore;
    private final Cache cache;
    private final boolean othersWrite;

    public StoreCheckedRepository(Builder<T> builder, EventStore eventStore, Cache cache, boolean othersWrite) {
        super(builder.eventStore(eventStore).cache(cache));
        this.eventStore = eventStore;
        this.cache = cache;
        this.othersWrite = othersWrite;
    }

    /** The stream's last stored sequence number, as the command's lookup read it (see {@link StoredHead}), or null. */
    private static Long headSentWithTheCommand(String aggregateIdentifier) {
        org.axonframework.messaging.Message<?> command = CurrentUnitOfWork.get().getMessage();
        Object head = command == null ? null : command.getMetaData().get(StoredHead.KEY);
        if (head instanceof StoredHead h) {
            java.util.OptionalLong taken = h.take(aggregateIdentifier);
            return taken.isPresent() ? taken.getAsLong() : null;
        }
        return null;
    }

    private static final String LOADED = StoreCheckedRepository.class.getName() + ".loaded:";

    /**
     * The aggregate of that id this repository loaded in the current unit of work (the command's),
     * with the command's events applied: what {@link BackgroundSnapshotter} snapshots from.
     */
    static EventSourcedAggregate<?> loadedInThisUnitOfWork(String aggregateIdentifier) {
        return CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().root().getResource(LOADED + aggregateIdentifier) : null;
    }

    @Override
    protected EventSourcedAggregate<T> doLoadWithLock(String aggregateIdentifier, Long expectedVersion) {
        EventSourcedAggregate<T> aggregate = loadChecked(aggregateIdentifier, expectedVersion);
        CurrentUnitOfWork.get().root().resources().put(LOADED + aggregateIdentifier, aggregate);
        return aggregate;
    }

    private EventSourcedAggregate<T> loadChecked(String aggregateIdentifier, Long expectedVersion) {
        boolean cached = cache.containsKey(aggregateIdentifier);
        EventSourcedAggregate<T> aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
        if (cached && othersWrite) {
            Long stored = headSentWithTheCommand(aggregateIdentifier);
            if (stored == null) {
                stored = eventStore.lastSequenceNumberFor(aggregateIdentifier).orElse(null);
            }
            Long known = aggregate.version();
            if (stored != null && (known == null || stored > known)) {
                cache.remove(aggregateIdentifier);
                aggregate = super.doLoadWithLock(aggregateIdentifier, expectedVersion);
            }
        }
        return aggregate;
    }
}
