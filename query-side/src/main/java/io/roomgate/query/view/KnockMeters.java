package io.roomgate.query.view;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockDenied;
import io.roomgate.events.KnockExpired;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.KnockWithdrawn;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Knocks as an operator counts them (issue 19): how many were requested, approved, denied,
 * expired or withdrawn, and how long each waited for its outcome. In the view's processing group,
 * so each event is counted once in the cluster, by the node whose segment applies it, after its
 * transaction commits; a replay or a rebuild counts nothing again. The wait is read from the
 * knock's row in the view ({@code requested_at}), so it holds when the request and the decision
 * were served by different nodes.
 */
@ProcessingGroup(JoinEligibilityProjection.GROUP)
public class KnockMeters {

    public static final String KNOCKS = "roomgate.knocks";
    public static final String TIME_TO_DECISION = "roomgate.knocks.time.to.decision";

    private final JdbcTemplate jdbc;
    private final MeterRegistry registry;

    public KnockMeters(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        this.registry = registry;
    }

    @EventHandler
    @DisallowReplay
    void on(KnockRequested e) {
        afterCommit(() -> registry.counter(KNOCKS, "outcome", "requested").increment());
    }

    @EventHandler
    @DisallowReplay
    void on(KnockApproved e, @Timestamp Instant at) {
        decided(e.knockId(), "approved", at);
    }

    @EventHandler
    @DisallowReplay
    void on(KnockDenied e, @Timestamp Instant at) {
        decided(e.knockId(), "denied", at);
    }

    @EventHandler
    @DisallowReplay
    void on(KnockExpired e, @Timestamp Instant at) {
        decided(e.knockId(), "expired", at);
    }

    @EventHandler
    @DisallowReplay
    void on(KnockWithdrawn e, @Timestamp Instant at) {
        decided(e.knockId(), "withdrawn", at);
    }

    private void decided(String knockId, String outcome, Instant at) {
        List<java.sql.Timestamp> requested = jdbc.queryForList("select requested_at from view_knock where knock_id = ?",
                java.sql.Timestamp.class, knockId);
        Duration waited = requested.isEmpty() || requested.get(0) == null ? null
                : Duration.between(requested.get(0).toInstant(), at);
        afterCommit(() -> {
            registry.counter(KNOCKS, "outcome", outcome).increment();
            if (waited != null && !waited.isNegative()) {
                Timer.builder(TIME_TO_DECISION).tag("outcome", outcome)
                        .description("from a knock's request to its approval, denial, expiry or withdrawal")
                        .publishPercentileHistogram().register(registry).record(waited);
            }
        });
    }

    private static void afterCommit(Runnable count) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> count.run());
        } else {
            count.run();
        }
    }
}
