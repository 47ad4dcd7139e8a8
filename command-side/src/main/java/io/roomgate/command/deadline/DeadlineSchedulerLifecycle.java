package io.roomgate.command.deadline;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerStarter;
import org.axonframework.spring.config.SpringAxonConfiguration;
import org.springframework.context.SmartLifecycle;

/**
 * Runs db-scheduler, which fires Axon's persisted deadlines, only while Axon runs.
 *
 * <p>db-scheduler's starter would start polling while the context is still being built, so a
 * deadline that fell due while the service was down (room expiry after a restart) could fire
 * before Axon has started: before the subscribing processor that frees the room's name is
 * subscribed, or before the deadline manager exists. And it would stop only when its bean is
 * destroyed, after Axon has shut down. Here it starts after Axon's lifecycle phase and stops
 * before it, so every deadline runs against a started Axon.
 */
public class DeadlineSchedulerLifecycle implements SmartLifecycle, DbSchedulerStarter {

    /** After Axon starts, before it stops; before the web server's phases (Integer.MAX_VALUE, -1). */
    public static final int PHASE = SpringAxonConfiguration.LIFECYCLE_PHASE + 1024;

    private final Scheduler scheduler;
    private volatile boolean running;

    public DeadlineSchedulerLifecycle(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Replaces the starter's immediate start: called by {@link #start()} once Axon runs. */
    @Override
    public synchronized void doStart() {
        if (!running) {
            scheduler.start();
            running = true;
        }
    }

    @Override
    public void start() {
        doStart();
    }

    /** Waits for deadlines being handled to finish (db-scheduler's shutdown-max-wait), then Axon may stop. */
    @Override
    public synchronized void stop() {
        if (running) {
            running = false;
            scheduler.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
