package io.roomgate.query.replay;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import java.time.Clock;

/** The rebuild of the join-eligibility view; its controller is picked up by the component scan. */
@Configuration
public class ReplayConfiguration {

    @Bean(destroyMethod = "close")
    public ViewRebuild joinEligibilityRebuild(EventStore eventStore, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                                              EventProcessingConfiguration processing, TokenStore tokenStore, Clock clock,
                                              io.roomgate.query.QuerySideProperties properties, String roomgateNodeId) {
        var replay = properties.replay();
        return new ViewRebuild(eventStore, jdbc, transactions, processing, tokenStore, clock, roomgateNodeId,
                new ViewRebuild.Settings(replay.batchSize(), replay.logInterval(), replay.staleAfter(),
                        properties.view().segments(), replay.pollInterval(), replay.claimWait()));
    }

    /**
     * Rebuild progress (issue 19): whether a rebuild runs, how far it is (percent of the store's
     * head) and how many events it applied. Read from the rebuild's row at each scrape.
     */
    @Bean
    public io.micrometer.core.instrument.binder.MeterBinder rebuildMeters(ViewRebuild rebuild) {
        return registry -> {
            io.micrometer.core.instrument.Gauge.builder("roomgate.view.rebuild.running", () -> {
                        String state = rebuild.status().state();
                        return state.equals(ViewRebuild.STATE_REBUILDING) || state.equals(ViewRebuild.STATE_SWITCHING) ? 1 : 0;
                    })
                    .description("1 while a rebuild of the view runs, else 0").register(registry);
            io.micrometer.core.instrument.Gauge.builder("roomgate.view.rebuild.percent", () -> rebuild.status().percent())
                    .description("the rebuild's position (or, when none runs, the live view's) against the store's head")
                    .register(registry);
            io.micrometer.core.instrument.Gauge.builder("roomgate.view.rebuild.events.applied", () -> {
                        Long applied = rebuild.status().eventsApplied();
                        return applied == null ? 0 : applied;
                    }).description("events the latest rebuild applied").register(registry);
        };
    }
}
