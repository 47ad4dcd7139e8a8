package io.roomgate.command;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfiguration;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Axon's snapshotter for the aggregates registered with Axon's Configurer, taking snapshots on
 * one thread of its own. Spring Boot's {@code SpringAggregateSnapshotter} finds aggregate
 * factories among {@code @Aggregate} beans only, and roomgate's aggregates are none; this one
 * uses the factory each aggregate's repository loads with.
 * <p>
 * Axon hands a snapshot over after the command's commit; here it waits in an unbounded queue,
 * which stays short because Axon schedules one snapshot per aggregate at a time.
 * <p>
 * A room the command loaded through the caching repository is snapshotted from its state in
 * memory: serialized on the command's thread after its commit, while the command still holds
 * the room's lock, and stored in the background. Otherwise (no cache) the task reads the
 * aggregate's events since its last snapshot and folds them, as Axon does. Reading and folding
 * about a hundred events again for every hundred a room gathered was 5 % of a busy embedded
 * app's CPU (issue 18); the snapshot has to be serialized anyway.
 */
final class BackgroundSnapshotter extends AggregateSnapshotter implements AutoCloseable {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BackgroundSnapshotter.class);
    private static final String SCHEDULED = BackgroundSnapshotter.class.getName() + ".scheduled";

    private final ExecutorService executor;
    private final Configuration configuration;
    private final Serializer serializer;
    private final TransactionManager transactionManager;

    private BackgroundSnapshotter(Builder builder, ExecutorService executor, Configuration configuration, Serializer serializer,
                                  TransactionManager transactionManager) {
        super(builder.executor(executor));
        this.executor = executor;
        this.configuration = configuration;
        this.serializer = serializer;
        this.transactionManager = transactionManager;
    }

    /**
     * @param serializer serializes an in-memory aggregate into the copy the background stores (the
     *                   snapshot serializer, so that what is copied is what a snapshot holds)
     */
    static BackgroundSnapshotter create(Builder builder, Configuration configuration, Serializer serializer,
                                        TransactionManager transactionManager) {
        ThreadFactory daemon = r -> {
            Thread t = new Thread(r, "snapshotter");
            t.setDaemon(true);
            return t;
        };
        // refuses only after close(): a snapshot is a cache, and the next load asks for it again
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                daemon, new ThreadPoolExecutor.DiscardPolicy());
        return new BackgroundSnapshotter(builder, executor, configuration, serializer, transactionManager);
    }

    @Override
    protected AggregateFactory<?> getAggregateFactory(Class<?> aggregateType) {
        AggregateFactory<?> known = super.getAggregateFactory(aggregateType);
        if (known != null) {
            return known;
        }
        return configuration.findModules(AggregateConfiguration.class).stream()
                .map(module -> (AggregateConfiguration<?>) module)
                .filter(aggregate -> aggregate.aggregateType().equals(aggregateType))
                .findFirst()
                .map(aggregate -> {
                    AggregateFactory<?> factory = aggregate.aggregateFactory();
                    registerAggregateFactory(factory);
                    return factory;
                })
                .orElse(null);
    }

    /**
     * Called by a room's snapshot trigger ({@link EventCountSnapshots}) as the command that crossed
     * the threshold prepares its commit. A room that command loaded through {@link StoreCheckedRepository} is serialized
     * after the commit, while the command still holds its lock (no later command has changed it
     * yet), and stored in the background; anything else is left to Axon's way.
     */
    @Override
    public void scheduleSnapshot(Class<?> aggregateType, String aggregateIdentifier) {
        EventSourcedAggregate<?> inMemory = loadedAndNotCommitted(aggregateType, aggregateIdentifier);
        if (inMemory == null) {
            super.scheduleSnapshot(aggregateType, aggregateIdentifier);
            return;
        }
        if (!CurrentUnitOfWork.get().root().getOrComputeResource(SCHEDULED, key -> new java.util.HashSet<String>())
                .add(aggregateIdentifier)) {
            return; // crossed the threshold twice in one command: one snapshot of its state after it
        }
        CurrentUnitOfWork.get().afterCommit(u -> {
            if (inMemory.isDeleted() || inMemory.version() == null || executor.isShutdown()) {
                return;
            }
            String type = inMemory.type();
            long version = inMemory.version();
            SerializedObject<byte[]> state;
            try {
                state = serializer.serialize(inMemory.getAggregateRoot(), byte[].class);
            } catch (RuntimeException e) {
                // the command has committed: its caller hears of that, not of a snapshot not taken
                log.warn("could not serialize a snapshot of {} at sequence {}: {}", aggregateIdentifier, version,
                        e.getClass().getSimpleName());
                return;
            }
            executor.execute(() -> {
                try {
                    transactionManager.executeInTransaction(() -> getEventStore().storeSnapshot(
                            new GenericDomainEventMessage<>(type, aggregateIdentifier, version, serializer.deserialize(state))));
                } catch (RuntimeException e) {
                    // a snapshot is a cache: the next threshold, or a load, takes another
                    log.warn("could not store a snapshot of {} at sequence {}: {}", aggregateIdentifier, version,
                            e.getClass().getSimpleName());
                }
            });
        });
    }

    /** The aggregate the current unit of work loaded, before that unit commits, if it is one of that type. */
    private static EventSourcedAggregate<?> loadedAndNotCommitted(Class<?> aggregateType, String aggregateIdentifier) {
        if (!CurrentUnitOfWork.isStarted() || !CurrentUnitOfWork.get().phase().isBefore(UnitOfWork.Phase.COMMIT)) {
            return null;
        }
        EventSourcedAggregate<?> aggregate = StoreCheckedRepository.loadedInThisUnitOfWork(aggregateIdentifier);
        return aggregate != null && aggregateType.isInstance(aggregate.getAggregateRoot()) ? aggregate : null;
    }

    /** Stops with the application: a snapshot not taken now is taken on a later load. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
