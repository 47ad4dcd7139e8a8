package io.roomgate.command.deadline;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Persistent deadlines: Axon's auto-configuration makes the {@code DbSchedulerDeadlineManager}
 * from db-scheduler's {@link Scheduler} (table {@code scheduled_tasks}, by Flyway); this only
 * ties the scheduler's start and stop to Axon's (see {@link DeadlineSchedulerLifecycle}).
 * Being a {@code DbSchedulerStarter}, the bean replaces the starter's immediate start.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(value = "db-scheduler.enabled", matchIfMissing = true)
public class DeadlineConfiguration {

    @Bean
    public DeadlineSchedulerLifecycle deadlineSchedulerLifecycle(Scheduler scheduler) {
        return new DeadlineSchedulerLifecycle(scheduler);
    }
}
