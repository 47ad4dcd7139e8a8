package io.roomgate.command;

import org.axonframework.config.AggregateConfiguration;
import org.axonframework.config.Configuration;
import org.axonframework.eventsourcing.AggregateFactory;
import org.axonframework.eventsourcing.AggregateSnapshotter;

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
 * which stays short because Axon schedules one snapshot per aggregate at a time. Each task reads
 * the aggregate's events since its last snapshot, in a transaction of its own.
 */
final class BackgroundSnapshotter extends AggregateSnapshotter implements AutoCloseable {

    private final ExecutorService executor;
    private final Configuration configuration;

    private BackgroundSnapshotter(Builder builder, ExecutorService executor, Configuration configuration) {
        super(builder.executor(executor));
        this.executor = executor;
        this.configuration = configuration;
    }

    static BackgroundSnapshotter create(Builder builder, Configuration configuration) {
        ThreadFactory daemon = r -> {
            Thread t = new Thread(r, "snapshotter");
            t.setDaemon(true);
            return t;
        };
        // refuses only after close(): a snapshot is a cache, and the next load asks for it again
        ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                daemon, new ThreadPoolExecutor.DiscardPolicy());
        return new BackgroundSnapshotter(builder, executor, configuration);
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

    /** Stops with the application: a snapshot not taken now is taken on a later load. */
    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
