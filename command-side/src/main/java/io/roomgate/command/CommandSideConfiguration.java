package io.roomgate.command;

import io.roomgate.command.lookup.CommandLookups;
import io.roomgate.command.member.Member;
import io.roomgate.command.room.KnockTimeouts;
import io.roomgate.command.room.Room;
import io.roomgate.command.token.MeetingToken;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;

/**
 * Wires the command side: the three aggregates (registered here, so they carry no framework
 * stereotype) and the lookups that run in the command's own
 * transaction and must fail it when they fail.
 */
@Configuration
@ComponentScan(basePackageClasses = CommandSideConfiguration.class)
public class CommandSideConfiguration {

    @Bean
    public ConfigurerModule aggregates() {
        return configurer -> configurer
                // no snapshots yet: Spring's snapshotter only knows @Aggregate beans, and a Jackson
                // snapshot of Room needs field access to its private state (BENCHMARKS.md, row 5)
                .configureAggregate(Room.class)
                .configureAggregate(MeetingToken.class)
                .configureAggregate(Member.class)
                .eventProcessing(processing -> processing
                        .registerSubscribingEventProcessor(CommandLookups.GROUP)
                        .registerListenerInvocationErrorHandler(CommandLookups.GROUP, c -> PropagatingErrorHandler.instance()));
    }

    /** The gateway retries commands that lost a race to another command node (see {@link ConflictRetry}). */
    @Bean
    public org.axonframework.commandhandling.gateway.CommandGateway commandGateway(
            org.axonframework.commandhandling.CommandBus commandBus,
            @Value("${roomgate.commands.conflict-retries:8}") int retries) {
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
    public CommandLookups commandLookups(JdbcTemplate jdbc) {
        return new CommandLookups(jdbc);
    }

    @Bean
    public KnockTimeouts knockTimeouts(@Value("${roomgate.knocks.pending-timeout:PT10M}") Duration pending,
                                       @Value("${roomgate.knocks.approval-window:PT5M}") Duration approvalWindow) {
        return new KnockTimeouts(pending, approvalWindow);
    }
}
