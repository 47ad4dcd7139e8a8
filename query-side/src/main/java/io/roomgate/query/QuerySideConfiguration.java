package io.roomgate.query;

import io.roomgate.query.check.JoinCheckService;
import io.roomgate.query.check.TimeTravel;
import io.roomgate.query.view.JoinEligibilityProjection;
import io.roomgate.query.view.JoinView;
import io.roomgate.query.view.ViewPositions;
import io.roomgate.query.web.KnockFeeds;
import io.roomgate.token.MeetingTokens;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Duration;

/**
 * Wires the query side: the join-eligibility projection in its own pooled streaming processor
 * (a failing event stops its segment and is retried, never skipped), read-your-writes, the join
 * check and the read API.
 */
@Configuration
@ComponentScan(basePackageClasses = QuerySideConfiguration.class)
public class QuerySideConfiguration {

    @Bean
    public ConfigurerModule joinEligibilityProcessing(ViewPositions positions,
                                                      @Value("${roomgate.view.segments:2}") int segments,
                                                      @Value("${roomgate.view.max-claimed-segments:2147483647}") int maxClaimed,
                                                      @Value("${roomgate.view.batch-size:100}") int batchSize) {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessor(JoinEligibilityProjection.GROUP,
                        c -> c.eventStore(),
                        (c, builder) -> builder.initialSegmentCount(segments)
                                .maxClaimedSegments(maxClaimed)
                                .batchSize(batchSize))
                // Axon's default logs and skips a failing event; here the segment stops and retries
                .registerListenerInvocationErrorHandler(JoinEligibilityProjection.GROUP, c -> PropagatingErrorHandler.instance())
                .registerHandlerInterceptor(JoinEligibilityProjection.GROUP, c -> positions));
    }

    @Bean
    public JoinEligibilityProjection joinEligibilityProjection(JdbcTemplate jdbc) {
        return new JoinEligibilityProjection(jdbc);
    }

    @Bean
    public JoinView joinView(JdbcTemplate jdbc) {
        return new JoinView(jdbc);
    }

    @Bean
    public ViewPositions viewPositions(JdbcTemplate jdbc,
                                       @Value("${roomgate.consistency.max-wait:PT2S}") Duration maxWait) {
        return new ViewPositions(jdbc, maxWait);
    }

    @Bean
    public JoinCheckService joinCheckService(MeetingTokens tokens, JoinView view, Clock clock) {
        return new JoinCheckService(tokens, view, clock);
    }

    @Bean
    public TimeTravel timeTravel(EventStore eventStore, JdbcTemplate jdbc, MeetingTokens tokens) {
        return new TimeTravel(eventStore, jdbc, tokens);
    }

    @Bean(destroyMethod = "close")
    public KnockFeeds knockFeeds(JoinView view, Clock clock) {
        return new KnockFeeds(view, clock);
    }

    /** DOWN while the view's processor is in error: a failing event is visible, not skipped. */
    @Bean
    public HealthIndicator joinEligibilityView(EventProcessingConfiguration processing) {
        return () -> processing.eventProcessor(JoinEligibilityProjection.GROUP, PooledStreamingEventProcessor.class)
                .map(p -> {
                    boolean error = p.processingStatus().values().stream().anyMatch(s -> s.isErrorState());
                    Health.Builder b = (error || !p.isRunning()) ? Health.down() : Health.up();
                    return b.withDetail("running", p.isRunning())
                            .withDetail("claimed_segments", p.processingStatus().size())
                            .withDetail("error", error)
                            .build();
                })
                .orElse(Health.unknown().build());
    }
}
