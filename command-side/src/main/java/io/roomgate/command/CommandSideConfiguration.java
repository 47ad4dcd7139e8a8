package io.roomgate.command;

import io.roomgate.command.lookup.CommandLookups;
import io.roomgate.command.member.Member;
import io.roomgate.command.room.KnockTimeouts;
import io.roomgate.command.room.Room;
import io.roomgate.command.token.MeetingToken;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventsourcing.AggregateSnapshotter;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.annotation.HandlerDefinition;
import org.axonframework.messaging.annotation.ParameterResolverFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;


/**
 * Wires the command side: the three aggregates (registered here, so they carry no framework
 * stereotype), snapshots for long-lived rooms, and the lookups that run in the command's own
 * transaction and must fail it when they fail.
 */
@Configuration
@org.springframework.boot.context.properties.EnableConfigurationProperties(CommandSideProperties.class)
@ComponentScan(basePackageClasses = CommandSideConfiguration.class)
public class CommandSideConfiguration {

    /**
     * A room reused every day gathers events without end (BENCHMARKS.md, row 5). Once a load or
     * a command has gone through {@code roomgate.snapshots.threshold} events since the room's last
     * snapshot, a new snapshot is taken after the commit, off the command's thread; the next load
     * reads it and only the events after it. 100 keeps a command on any room within about 50
     * events (on average) of a fresh room's; a snapshot costs a read of those events and one row.
     * Tokens have two events at most, members two per removal and return.
     */
    @Bean
    public ConfigurerModule aggregates(CommandSideProperties properties,
                                       @org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}") String datasourceUrl) {
        int snapshotThreshold = properties.snapshots().threshold();
        int cacheSize = properties.rooms().cacheSize();
        boolean othersWrite = !io.roomgate.store.StoreWriters.onlyThisProcess(datasourceUrl);
        AggregateConfigurer<Room> rooms = AggregateConfigurer.defaultConfiguration(Room.class)
                .configureSnapshotTrigger(c -> new EventCountSnapshots(
                        c.getComponent(Snapshotter.class), snapshotThreshold));
        if (cacheSize > 0) {
            // the default repository's parts, with a bounded cache checked against the store where others write
            rooms.configureRepository(c -> new StoreCheckedRepository<>(
                    org.axonframework.eventsourcing.EventSourcingRepository.builder(Room.class)
                            .parameterResolverFactory(c.parameterResolverFactory())
                            .handlerDefinition(c.handlerDefinition(Room.class))
                            .snapshotTriggerDefinition(new EventCountSnapshots(
                                    c.getComponent(Snapshotter.class), snapshotThreshold))
                            .repositoryProvider(c::repository)
                            .spanFactory(c.getComponent(org.axonframework.modelling.command.RepositorySpanFactory.class,
                                    () -> org.axonframework.modelling.command.DefaultRepositorySpanFactory.builder()
                                            .spanFactory(c.spanFactory()).build())),
                    c.eventStore(), new CachedAggregates(cacheSize), othersWrite));
        }
        return configurer -> configurer
                .configureAggregate(rooms)
                .configureAggregate(MeetingToken.class)
                .configureAggregate(Member.class)
                .eventProcessing(processing -> processing
                        .registerSubscribingEventProcessor(CommandLookups.GROUP)
                        .registerListenerInvocationErrorHandler(CommandLookups.GROUP, c -> PropagatingErrorHandler.instance()));
    }

    /** Replaces Spring Boot's snapshotter, which knows no aggregate of roomgate's (see {@link BackgroundSnapshotter}). */
    @Bean
    public Snapshotter snapshotter(org.axonframework.config.Configuration axon, EventStore eventStore,
                                   TransactionManager transactionManager, ParameterResolverFactory parameterResolverFactory,
                                   HandlerDefinition handlerDefinition,
                                   @org.springframework.beans.factory.annotation.Qualifier("snapshotSerializer")
                                   org.axonframework.serialization.Serializer snapshotSerializer) {
        return BackgroundSnapshotter.create(AggregateSnapshotter.builder()
                .eventStore(eventStore)
                .transactionManager(transactionManager)
                .repositoryProvider(axon::repository)
                .parameterResolverFactory(parameterResolverFactory)
                .handlerDefinition(handlerDefinition), axon, snapshotSerializer, transactionManager);
    }

    /** The gateway retries commands that lost a race to another command node (see {@link ConflictRetry}). */
    @Bean
    public org.axonframework.commandhandling.gateway.CommandGateway commandGateway(
            org.axonframework.commandhandling.CommandBus commandBus,
            CommandSideProperties properties) {
        int retries = properties.commands().conflictRetries();
        java.util.concurrent.ScheduledExecutorService executor = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "command-retry");
            t.setDaemon(true);
            return t;
        });
        return org.axonframework.commandhandling.gateway.DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(new ConflictRetry(executor, retries, 10))
                .build();
    }

    @Bean
    public CommandLookups commandLookups(JdbcTemplate jdbc, java.time.Clock clock,
                                         @org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}") String datasourceUrl,
                                         org.axonframework.eventsourcing.eventstore.jdbc.EventSchema events) {
        return new CommandLookups(jdbc, clock, !io.roomgate.store.StoreWriters.onlyThisProcess(datasourceUrl), events);
    }

    @Bean
    public KnockTimeouts knockTimeouts(CommandSideProperties properties) {
        return new KnockTimeouts(properties.knocks().pendingTimeout(), properties.knocks().approvalWindow());
    }
}
