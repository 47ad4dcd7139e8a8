package io.roomgate.command;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Retries a command that lost a race for an aggregate's next sequence number to another
 * command node (the event store's unique (aggregate, sequence) key refused it): the retry
 * reloads the aggregate and decides again on the new state. Nothing else is retried — a
 * rejection is final. After {@code maxRetries} the caller gets a 409 {@code conflict}.
 */
public class ConflictRetry implements RetryScheduler {

    private static final Logger log = LoggerFactory.getLogger(ConflictRetry.class);

    private final ScheduledExecutorService executor;
    private final int maxRetries;
    private final long baseDelayMillis;

    public ConflictRetry(ScheduledExecutorService executor, int maxRetries, long baseDelayMillis) {
        this.executor = executor;
        this.maxRetries = maxRetries;
        this.baseDelayMillis = baseDelayMillis;
    }

    @Override
    public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                 List<Class<? extends Throwable>[]> failures, Runnable dispatchTask) {
        if (!lostRace(lastFailure) || failures.size() > maxRetries) {
            return false;
        }
        // jittered backoff so two nodes that collided do not collide again in lockstep
        long delay = baseDelayMillis * failures.size() + ThreadLocalRandom.current().nextLong(baseDelayMillis + 1);
        log.debug("{} lost a race for its aggregate; retry {} in {} ms", commandMessage.getCommandName(), failures.size(), delay);
        executor.schedule(dispatchTask, delay, TimeUnit.MILLISECONDS);
        return true;
    }

    static boolean lostRace(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConcurrencyException) {
                return true;
            }
        }
        return false;
    }
}
