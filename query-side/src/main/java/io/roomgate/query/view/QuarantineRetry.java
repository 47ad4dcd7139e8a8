package io.roomgate.query.view;

import io.roomgate.access.Rejected;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.List;

/**
 * An operator's retry of a quarantined stream ({@code POST /v1/admin/projections/join-eligibility/
 * quarantine/{stream}/retry}), once the cause is fixed: the stream's held events, from the one that
 * failed on, are applied in order in one transaction and the quarantine ends; if one still fails,
 * nothing changes and the answer says why. The stream's row is locked meanwhile, so the processor's
 * next event of it waits and is then applied as usual.
 * <p>
 * The same retry also runs on its own every {@code roomgate.view.quarantine-retry-interval}
 * (default one minute), so a stream whose cause went away (a schema fixed, a deploy with the
 * bug fixed) comes back without anyone asking; one that still fails stays quarantined.
 */
public final class QuarantineRetry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(QuarantineRetry.class);

    public record Result(String aggregateId, String roomName, int eventsApplied) {
    }

    private final EventStore eventStore;
    private final Quarantine quarantine;
    private final AnnotationEventHandlerAdapter projection;
    private final TransactionTemplate tx;
    private final java.time.Duration interval;
    private java.util.concurrent.ScheduledExecutorService timer;

    public QuarantineRetry(EventStore eventStore, Quarantine quarantine, JoinEligibilityProjection projection,
                           PlatformTransactionManager transactions, java.time.Duration interval) {
        this.eventStore = eventStore;
        this.quarantine = quarantine;
        this.projection = new AnnotationEventHandlerAdapter(projection);
        this.tx = new TransactionTemplate(transactions);
        this.interval = interval;
    }

    /** Starts the periodic retry (none for a zero interval). */
    public void start() {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "quarantine-retry");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::retryAll, interval.toMillis(), interval.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    private void retryAll() {
        try {
            for (Quarantine.Entry entry : quarantine.all()) {
                try {
                    retry(entry.aggregateId());
                } catch (Rejected stillFailingOrGone) {
                    // still failing (its cause recorded), or retried by another node meanwhile
                }
            }
        } catch (RuntimeException e) {
            log.debug("the periodic retry of quarantined streams was skipped: {}", e.getClass().getSimpleName());
        }
    }

    public Result retry(String aggregateId) {
        try {
            Result result = tx.execute(s -> {
                Quarantine.Entry entry = quarantine.lock(aggregateId)
                        .orElseThrow(() -> Rejected.notFound("no quarantined stream " + aggregateId));
                List<? extends DomainEventMessage<?>> held = eventStore.readEvents(aggregateId, entry.firstSequence()).asStream()
                        .filter(e -> e.getSequenceNumber() <= entry.heldToSequence())
                        .toList();
                for (DomainEventMessage<?> event : held) {
                    apply(event);
                }
                quarantine.release(aggregateId);
                return new Result(aggregateId, entry.roomName(), held.size());
            });
            log.info("quarantined stream {} retried by an operator: {} held events applied, the stream is live again",
                    aggregateId, result.eventsApplied());
            return result;
        } catch (Rejected e) {
            throw e;
        } catch (RuntimeException failure) {
            String why = Quarantine.describe(failure);
            tx.executeWithoutResult(s -> quarantine.recordRetryFailure(aggregateId, failure));
            log.warn("retry of quarantined stream {} failed; it stays quarantined: {}", aggregateId, why);
            throw Rejected.conflict("the view still cannot apply the stream's events; it stays quarantined: " + why);
        }
    }

    private void apply(EventMessage<?> event) {
        if (!projection.canHandle(event)) {
            return;
        }
        DefaultUnitOfWork<EventMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(event);
        ResultMessage<Object> result = unitOfWork.executeWithResult(() -> projection.handle(event),
                RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            Throwable cause = result.exceptionResult();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }
}
