package io.roomgate.command.deadline;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import org.axonframework.deadline.dbscheduler.DbSchedulerBinaryDeadlineDetails;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationContext;
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

    /**
     * Axon's deadline task (it replaces the auto-configured one of the same qualifier) with a
     * retry that fits a lost race: a deadline that fails because a command or another deadline
     * wrote to the same room at the same moment (two command nodes; a room's expiry and its
     * ejections are due at the same second) runs again after 1 s, then 2, 4, ... instead of
     * db-scheduler's default 5 minutes, which would leave an expired room open that long.
     */
    @Bean
    @Qualifier("deadlineDetailsTask")
    public Task<DbSchedulerBinaryDeadlineDetails> dbSchedulerDeadlineDetailsTask(ApplicationContext context) {
        Task<DbSchedulerBinaryDeadlineDetails> axons =
                DbSchedulerDeadlineManager.binaryTask(() -> context.getBean(DbSchedulerDeadlineManager.class));
        return new OneTimeTask<>(axons.getName(), DbSchedulerBinaryDeadlineDetails.class,
                new FailureHandler.ExponentialBackoffFailureHandler<>(java.time.Duration.ofSeconds(1), 2.0),
                new DeadExecutionHandler.ReviveDeadExecution<>()) {
            @Override
            public void executeOnce(TaskInstance<DbSchedulerBinaryDeadlineDetails> instance, ExecutionContext execution) {
                axons.execute(instance, execution);
            }
        };
    }
}
