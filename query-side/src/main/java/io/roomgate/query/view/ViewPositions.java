package io.roomgate.query.view;

import io.roomgate.platform.ApiException;
import io.roomgate.platform.ConsistencyToken;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Read-your-writes for the view. Every event the view applies also records, in the same
 * transaction, "aggregate A is applied up to sequence N"; a query carrying a consistency token
 * waits until its aggregate's position reaches the token's and every event the view handles that
 * was stored before that write is applied too. Read off the shared tables, so it holds whichever
 * node or segment applied the events; this node's own commits wake waiters at once, other nodes'
 * are seen by polling.
 */
public class ViewPositions {

    private static final long POLL_MILLIS = 10;

    private final JdbcTemplate jdbc;
    private final Duration maxWait;
    private final Object applied = new Object();
    /**
     * Every event at or below this global position was in the view when last looked at, so a
     * freshness check only reads the events above it. Kept {@link #LATE_COMMIT_MARGIN} behind what
     * was verified: a transaction that took a lower position may commit after a higher one.
     */
    private final AtomicLong verifiedUpTo = new AtomicLong();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    static final long LATE_COMMIT_MARGIN = 1_000;
    /** The stored payload types the view applies (and so records positions for), as an SQL list. */
    private static final String HANDLED_TYPES = java.util.Arrays.stream(JoinEligibilityProjection.class.getDeclaredMethods())
            .filter(m -> m.isAnnotationPresent(org.axonframework.eventhandling.EventHandler.class))
            .map(m -> "'" + m.getParameterTypes()[0].getName() + "'")
            .distinct().sorted()
            .collect(java.util.stream.Collectors.joining(", "));

    public ViewPositions(JdbcTemplate jdbc, Duration maxWait) {
        this.jdbc = jdbc;
        this.maxWait = maxWait;
    }

    /**
     * The view processor's handler interceptor, and only that processor's: were this object a
     * {@link MessageHandlerInterceptor} bean, Axon's Spring Boot auto-configuration would put it on
     * every event processor, and the command side's subscribing lookups would record positions in
     * the command's own transaction, before the view had applied anything.
     */
    public MessageHandlerInterceptor<EventMessage<?>> interceptor() {
        return this::handle;
    }

    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        EventMessage<?> message = unitOfWork.getMessage();
        try {
            Object result = chain.proceed();
            if (message instanceof DomainEventMessage<?> event) {
                pending(unitOfWork).merge(event.getAggregateIdentifier(), event.getSequenceNumber(), Math::max);
            }
            Failure failed = failure.get();
            if (failed != null && failed.eventId().equals(message.getIdentifier())) {
                unitOfWork.afterCommit(u -> failure.compareAndSet(failed, null));
            }
            return result;
        } catch (Exception | Error e) {
            // the processor stops on it and retries it (never skips it): until it is applied, the view is in error
            failure.updateAndGet(before -> before != null && before.eventId().equals(message.getIdentifier()) ? before
                    : new Failure(message.getIdentifier(), message.getPayloadType().getSimpleName(),
                    message instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : null,
                    message instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : -1,
                    e.getClass().getSimpleName(), Instant.now()));
            throw e;
        }
    }

    /** An event the view failed to apply: what health shows until it has been applied. */
    public record Failure(String eventId, String eventType, String aggregateId, long sequence, String cause, Instant at) {
    }

    /**
     * The last event this node failed to apply, unless it has been applied since (here, or by
     * whichever node took its segment over).
     */
    public Optional<Failure> unresolvedFailure() {
        Failure failed = failure.get();
        if (failed == null) {
            return Optional.empty();
        }
        if (failed.aggregateId() != null) {
            List<Long> seq = jdbc.queryForList("select seq from view_position where aggregate_id = ?", Long.class, failed.aggregateId());
            if (!seq.isEmpty() && seq.get(0) >= failed.sequence()) {
                failure.compareAndSet(failed, null);
                return Optional.empty();
            }
        }
        return Optional.of(failed);
    }

    private static final String PENDING = ViewPositions.class.getName() + ".pending";

    /**
     * The highest sequence per aggregate applied in this batch: written once per aggregate when the
     * batch commits (in its transaction, before the commit), not once per event.
     */
    private Map<String, Long> pending(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> root = unitOfWork.root();
        return root.getOrComputeResource(PENDING, key -> {
            Map<String, Long> positions = new LinkedHashMap<>();
            root.onPrepareCommit(u -> record(positions));
            root.afterCommit(u -> wakeWaiters());
            return positions;
        });
    }

    private void record(Map<String, Long> positions) {
        if (positions.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Long>> entries = List.copyOf(positions.entrySet());
        int[] updated = jdbc.batchUpdate("update view_position set seq = ? where aggregate_id = ? and seq < ?",
                entries.stream().map(e -> new Object[]{e.getValue(), e.getKey(), e.getValue()}).toList());
        List<Object[]> inserts = new java.util.ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (updated[i] == 0) {
                // one aggregate's events are applied in order by one segment: no concurrent insert
                String aggregateId = entries.get(i).getKey();
                if (jdbc.queryForList("select seq from view_position where aggregate_id = ?", Long.class, aggregateId).isEmpty()) {
                    inserts.add(new Object[]{aggregateId, entries.get(i).getValue()});
                }
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate("insert into view_position (aggregate_id, seq) values (?, ?)", inserts);
        }
    }

    private void wakeWaiters() {
        synchronized (applied) {
            applied.notifyAll();
        }
    }

    /**
     * Whether the view includes the write the token names <em>and every write stored before it</em>
     * (SpiceDB's "at least as fresh"): an admin who creates a room, then issues a token for it and
     * checks with the token's consistency token must not be told the room does not exist. Events
     * of other aggregates are applied by other segments (or nodes), in no order relative to the
     * token's aggregate, so the token's aggregate alone is not enough: every stored event up to the
     * write's global position must be in the view, each one read off {@code view_position}.
     */
    public boolean includes(ConsistencyToken token) {
        List<Long> seq = jdbc.queryForList("select seq from view_position where aggregate_id = ?", Long.class, token.aggregateId());
        if (seq.isEmpty() || seq.get(0) < token.sequence()) {
            return false; // the write itself is not in the view yet
        }
        List<Long> at = jdbc.queryForList("select global_index from domain_event_entry where aggregate_identifier = ? "
                + "and sequence_number = ?", Long.class, token.aggregateId(), token.sequence());
        if (at.isEmpty()) {
            return true; // no such stored event to be fresher than: its aggregate's position is all there is
        }
        long position = at.get(0);
        long from = verifiedUpTo.get();
        if (position <= from) {
            return true;
        }
        Long firstMissing = jdbc.queryForObject("select min(e.global_index) from domain_event_entry e "
                + "left join view_position p on p.aggregate_id = e.aggregate_identifier "
                + "where e.global_index > ? and e.global_index <= ? and (p.seq is null or p.seq < e.sequence_number) "
                + "and e.payload_type in (" + HANDLED_TYPES + ")", Long.class, from, position);
        if (firstMissing == null) {
            verifiedUpTo.accumulateAndGet(position - LATE_COMMIT_MARGIN, Math::max);
            return true;
        }
        verifiedUpTo.accumulateAndGet(firstMissing - 1 - LATE_COMMIT_MARGIN, Math::max);
        return false;
    }

    /**
     * Returns once the view includes the write the header names; no header: at once. A header
     * that is not a consistency token is a 400; a write not applied within the bound is a 503.
     */
    public void awaitHeader(String header) {
        if (header == null) {
            return;
        }
        ConsistencyToken token = ConsistencyToken.decode(header)
                .orElseThrow(() -> ApiException.invalidRequest("X-Consistency-Token is not a consistency token"));
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (!includes(token)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw ApiException.consistencyTimeout("the view has not caught up with that write within "
                        + maxWait.toMillis() + " ms; retry");
            }
            synchronized (applied) {
                try {
                    applied.wait(Math.max(1, Math.min(POLL_MILLIS, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ApiException.consistencyTimeout("interrupted while waiting for the view");
                }
            }
        }
    }
}
