package io.roomgate.query;

import io.roomgate.query.check.JoinCheckService;
import io.roomgate.query.audit.TimeTravel;
import io.roomgate.query.view.JoinEligibilityProjection;
import io.roomgate.query.view.JoinView;
import io.roomgate.query.view.ViewEventSource;
import io.roomgate.query.view.ViewPositions;
import io.roomgate.query.web.KnockFeeds;
import io.roomgate.token.MeetingTokens;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.DisposableBean;
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
@org.springframework.boot.context.properties.EnableConfigurationProperties(QuerySideProperties.class)
@ComponentScan(basePackageClasses = QuerySideConfiguration.class)
public class QuerySideConfiguration {

    @Bean
    public ConfigurerModule joinEligibilityProcessing(ViewPositions positions, ViewEventSourceHolder source,
                                                      QuerySideProperties properties) {
        QuerySideProperties.View view = properties.view();
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessor(JoinEligibilityProjection.GROUP,
                        c -> source.of(c.eventStore()),
                        (c, builder) -> builder.initialSegmentCount(view.segments())
                                .maxClaimedSegments(view.maxClaimedSegments())
                                .batchSize(view.batchSize()))
                // Axon's default logs and skips a failing event; here the segment stops and retries
                .registerListenerInvocationErrorHandler(JoinEligibilityProjection.GROUP, c -> PropagatingErrorHandler.instance())
                // before the positions' interceptor: an event applied before is neither applied nor counted again
                .registerHandlerInterceptor(JoinEligibilityProjection.GROUP,
                        c -> io.roomgate.query.view.ProcessedEvents.of(JoinEligibilityProjection.GROUP,
                                c.getComponent(org.axonframework.eventhandling.tokenstore.TokenStore.class)))
                .registerHandlerInterceptor(JoinEligibilityProjection.GROUP, c -> positions.interceptor()));
    }

    /** The view's event source, woken by this node's commits (see {@link ViewEventSource}). */
    @Bean
    public ViewEventSourceHolder viewEventSource(QuerySideProperties properties) {
        return new ViewEventSourceHolder(properties.view().pollInterval());
    }

    /** Made once Axon's event store exists (it is built from this configuration), closed with the context. */
    public static final class ViewEventSourceHolder implements DisposableBean {
        private final Duration poll;
        private ViewEventSource source;

        ViewEventSourceHolder(Duration poll) {
            this.poll = poll;
        }

        synchronized ViewEventSource of(EventStore store) {
            if (source == null) {
                source = new ViewEventSource(store, poll);
            }
            return source;
        }

        @Override
        public synchronized void destroy() {
            if (source != null) {
                source.close();
            }
        }
    }

    @Bean
    public JoinEligibilityProjection joinEligibilityProjection(JdbcTemplate jdbc) {
        return new JoinEligibilityProjection(jdbc);
    }

    /** Knocks by outcome and their time to decision (issue 19), counted by the view's processor. */
    @Bean
    public io.roomgate.query.view.KnockMeters knockMeters(JdbcTemplate jdbc,
                                                         org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
        return new io.roomgate.query.view.KnockMeters(jdbc,
                registry.getIfAvailable(io.micrometer.core.instrument.simple.SimpleMeterRegistry::new));
    }

    /** The streams the view set aside; reads about them answer 503. */
    @Bean
    public io.roomgate.query.view.Quarantine quarantine(JdbcTemplate jdbc, Clock clock) {
        return new io.roomgate.query.view.Quarantine(jdbc, clock);
    }

    @Bean
    public io.roomgate.query.view.KnockReader knockReader(JdbcTemplate jdbc) {
        return new io.roomgate.query.view.KnockReader(jdbc);
    }

    @Bean
    public io.roomgate.query.view.RoomReader roomReader(JdbcTemplate jdbc, Clock clock) {
        return new io.roomgate.query.view.RoomReader(jdbc, clock);
    }

    @Bean
    public io.roomgate.query.view.PresenceReader presenceReader(JdbcTemplate jdbc, Clock clock) {
        return new io.roomgate.query.view.PresenceReader(jdbc, clock);
    }

    @Bean
    public JoinView joinView(JdbcTemplate jdbc, io.roomgate.query.view.Quarantine quarantine,
                             io.roomgate.query.view.KnockReader knocks) {
        return new JoinView(jdbc, quarantine, knocks);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public io.roomgate.query.view.QuarantineRetry quarantineRetry(org.axonframework.eventsourcing.eventstore.EventStore eventStore,
                                                                  io.roomgate.query.view.Quarantine quarantine,
                                                                  JoinEligibilityProjection projection,
                                                                  org.springframework.transaction.PlatformTransactionManager transactions,
                                                                  QuerySideProperties properties) {
        return new io.roomgate.query.view.QuarantineRetry(eventStore, quarantine, projection, transactions,
                properties.view().quarantineRetryInterval());
    }

    /**
     * Read-your-writes and the consistency levels. A default read takes the store's head from
     * this process's own acknowledged commands where no other process can write to the store
     * ({@code roomgate.consistency.store-head=local}; the default {@code auto} chooses it for an
     * H2 database, which one process holds, unless its URL lets others in with AUTO_SERVER), else
     * from a query ({@code query}: any deployment, e.g. several nodes on PostgreSQL).
     */
    @Bean
    public ViewPositions viewPositions(JdbcTemplate jdbc,
                                       QuerySideProperties properties,
                                       @Value("${spring.datasource.url:}") String datasourceUrl,
                                       org.axonframework.serialization.Serializer serializer,
                                       org.springframework.beans.factory.ObjectProvider<EventProcessingConfiguration> processing,
                                       org.springframework.beans.factory.ObjectProvider<io.roomgate.store.LocalCommits> localCommits,
                                       Clock clock) {
        var found = new java.util.concurrent.atomic.AtomicReference<PooledStreamingEventProcessor>();
        java.util.function.Supplier<java.util.Optional<PooledStreamingEventProcessor>> processor = () -> {
            PooledStreamingEventProcessor known = found.get();
            if (known == null) {
                known = java.util.Optional.ofNullable(processing.getIfAvailable())
                        .flatMap(p -> p.eventProcessor(JoinEligibilityProjection.GROUP, PooledStreamingEventProcessor.class))
                        .orElse(null);
                found.set(known);
            }
            return java.util.Optional.ofNullable(known);
        };
        QuerySideProperties.Consistency consistency = properties.consistency();
        boolean local = switch (consistency.storeHead()) {
            case LOCAL -> true;
            case QUERY -> false;
            case AUTO -> io.roomgate.store.StoreWriters.onlyThisProcess(datasourceUrl);
        };
        io.roomgate.store.LocalCommits commits = local ? localCommits.getIfAvailable() : null;
        // the general serializer: the one the token store writes the processors' tokens with
        // locally, the newest write acknowledged: in this process a command is acknowledged once the
        // view has applied it, so a read waits only while an acknowledgement timed out (view in error)
        return new ViewPositions(jdbc, consistency.maxWait(), serializer, processor,
                commits == null ? null : commits::acknowledgedHead, consistency.acknowledgeWait(), clock)
                .withMaxWaiting(consistency.maxWaiting());
    }

    /**
     * The view's own meters (issue 19): how far it is behind the store on this node, in events
     * (the store's head against this node's slowest segment; none while it holds no segment), and
     * how many streams it set aside.
     */
    @Bean
    public io.micrometer.core.instrument.binder.MeterBinder viewMeters(EventProcessingConfiguration processing, JdbcTemplate jdbc,
                                                                      io.roomgate.query.view.Quarantine quarantine, Clock clock) {
        return registry -> {
            java.util.function.Supplier<java.util.OptionalLong> slowestSegment = () -> {
                var p = processing.eventProcessor(JoinEligibilityProjection.GROUP, PooledStreamingEventProcessor.class);
                if (p.isEmpty() || p.get().processingStatus().isEmpty()) {
                    return java.util.OptionalLong.empty(); // no segment on this node
                }
                return java.util.OptionalLong.of(p.get().processingStatus().values().stream()
                        .mapToLong(s -> s.getCurrentPosition().orElse(-1)).min().orElse(-1));
            };
            io.micrometer.core.instrument.Gauge.builder("roomgate.view.lag.events", () -> {
                        java.util.OptionalLong position = slowestSegment.get();
                        if (position.isEmpty()) {
                            return Double.NaN;
                        }
                        long slowest = position.getAsLong();
                        Long head = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
                        return head == null ? 0 : Math.max(0, head - slowest);
                    }).description("events stored but not yet applied by this node's slowest view segment")
                    .register(registry);
            io.micrometer.core.instrument.Gauge.builder("roomgate.view.lag.seconds", () -> {
                        java.util.OptionalLong position = slowestSegment.get();
                        if (position.isEmpty()) {
                            return Double.NaN;
                        }
                        long slowest = position.getAsLong();
                        // the oldest event this node's slowest segment has not applied yet: how long it has waited
                        java.util.List<String> next = jdbc.queryForList("select time_stamp from domain_event_entry "
                                + "where global_index > ? order by global_index fetch first 1 rows only", String.class, slowest);
                        if (next.isEmpty()) {
                            return 0;
                        }
                        java.time.Duration behind = java.time.Duration.between(java.time.Instant.parse(next.get(0)), clock.instant());
                        return Math.max(0, behind.toNanos() / 1e9);
                    }).description("how long the oldest event this node's slowest view segment has not applied has been stored")
                    .baseUnit("seconds").register(registry);
            io.micrometer.core.instrument.Gauge.builder("roomgate.view.quarantined", () -> quarantine.all().size())
                    .description("streams the view could not apply and set aside").register(registry);
        };
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
    public KnockFeeds knockFeeds(io.roomgate.query.view.RoomReader rooms, io.roomgate.query.view.PresenceReader presence,
                                 io.roomgate.query.view.KnockReader knocks, Clock clock, QuerySideProperties properties) {
        QuerySideProperties.KnockFeeds caps = properties.knockFeeds();
        return new KnockFeeds(rooms, presence, knocks, clock,
                new KnockFeeds.Caps(caps.maxPerRoom(), caps.maxPerKnock(), caps.maxPerKey(), caps.heartbeat()));
    }

    /**
     * The view's health while streams are quarantined: the service answers (reads about those
     * streams 503, everything else as usual), so it maps to 200 and ranks between DOWN and UP.
     */
    public static final org.springframework.boot.actuate.health.Status QUARANTINE_STATUS =
            new org.springframework.boot.actuate.health.Status("DEGRADED", "streams the view could not apply are quarantined");

    /**
     * DEGRADED while streams are quarantined (health names them); DOWN while the view's processor is in error: a failing event is visible, not skipped. Axon
     * marks a segment in error only until it has released it (it claims it again later and
     * retries), so the event that failed is remembered until it has been applied.
     */
    @Bean
    public HealthIndicator joinEligibilityView(EventProcessingConfiguration processing, ViewPositions positions,
                                               io.roomgate.query.view.Quarantine quarantine) {
        return () -> processing.eventProcessor(JoinEligibilityProjection.GROUP, PooledStreamingEventProcessor.class)
                .map(p -> {
                    boolean segmentInError = p.processingStatus().values().stream().anyMatch(s -> s.isErrorState());
                    var failed = positions.unresolvedFailure();
                    boolean error = segmentInError || failed.isPresent();
                    var quarantined = quarantine.all();
                    Health.Builder b = (error || !p.isRunning()) ? Health.down()
                            : quarantined.isEmpty() ? Health.up() : Health.status(QUARANTINE_STATUS);
                    if (!quarantined.isEmpty()) {
                        // which streams, and why: every other room is served; reads about these answer 503
                        b.withDetail("quarantined", quarantined.stream().limit(20).map(io.roomgate.query.view.Quarantine.Entry::describe)
                                .toList()).withDetail("quarantined_count", quarantined.size());
                    }
                    b.withDetail("running", p.isRunning())
                            .withDetail("claimed_segments", p.processingStatus().size())
                            .withDetail("error", error);
                    failed.ifPresent(f -> b.withDetail("failing_event", java.util.Map.of("type", f.eventType(),
                            "aggregate_id", String.valueOf(f.aggregateId()), "sequence", f.sequence(),
                            "cause", f.cause(), "since", f.at().toString())));
                    return b.build();
                })
                .orElse(Health.unknown().build());
    }
}
