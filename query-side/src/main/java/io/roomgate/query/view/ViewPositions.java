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
import java.util.List;

/**
 * Read-your-writes for the view. Every event the view applies also records, in the same
 * transaction, "aggregate A is applied up to sequence N"; a query carrying a consistency token
 * waits until its aggregate's position reaches the token's. Per aggregate, so it holds whichever
 * node or segment applied the event; this node's own commits wake waiters at once, other nodes'
 * are seen by polling.
 */
public class ViewPositions implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final long POLL_MILLIS = 10;

    private final JdbcTemplate jdbc;
    private final Duration maxWait;
    private final Object applied = new Object();

    public ViewPositions(JdbcTemplate jdbc, Duration maxWait) {
        this.jdbc = jdbc;
        this.maxWait = maxWait;
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        if (unitOfWork.getMessage() instanceof DomainEventMessage<?> event) {
            record(event.getAggregateIdentifier(), event.getSequenceNumber());
            unitOfWork.afterCommit(u -> wakeWaiters());
        }
        return result;
    }

    private void record(String aggregateId, long sequence) {
        int updated = jdbc.update("update view_position set seq = ? where aggregate_id = ? and seq < ?", sequence, aggregateId, sequence);
        if (updated == 0) {
            // one aggregate's events are applied in order by one segment: no concurrent insert
            List<Long> known = jdbc.queryForList("select seq from view_position where aggregate_id = ?", Long.class, aggregateId);
            if (known.isEmpty()) {
                jdbc.update("insert into view_position (aggregate_id, seq) values (?, ?)", aggregateId, sequence);
            }
        }
    }

    private void wakeWaiters() {
        synchronized (applied) {
            applied.notifyAll();
        }
    }

    public boolean includes(ConsistencyToken token) {
        List<Long> seq = jdbc.queryForList("select seq from view_position where aggregate_id = ?", Long.class, token.aggregateId());
        return !seq.isEmpty() && seq.get(0) >= token.sequence();
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
