package io.roomgate.app.time;

import io.roomgate.app.WithEmbeddedApp;
import com.github.kagkarlsson.scheduler.Scheduler;
import io.roomgate.app.Waiting;
import com.github.kagkarlsson.scheduler.boot.config.DbSchedulerStarter;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.command.deadline.DeadlineSchedulerLifecycle;
import org.axonframework.config.Configuration;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.dbscheduler.DbSchedulerDeadlineManager;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

import java.time.Duration;
import java.time.Instant;

import static io.roomgate.app.time.TimeTesting.events;
import static io.roomgate.app.time.TimeTesting.roomId;
import static io.roomgate.app.time.TimeTesting.scheduledTasksOf;
import static io.roomgate.app.Waiting.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;

/** Deadlines are db-scheduler rows, not timers in memory: Axon's DbSchedulerDeadlineManager is the one in use. */
@RoomgateTest
class DeadlineWiringIT extends WithEmbeddedApp {

    @Autowired
    ApplicationContext context;
    @Autowired
    Configuration axon;

    @Test
    void the_deadline_manager_is_db_schedulers_and_aggregates_get_that_one() {
        assertThat(context.getBeansOfType(Scheduler.class)).hasSize(1);
        assertThat(context.getBeansOfType(DeadlineManager.class).values())
                .singleElement().isInstanceOf(DbSchedulerDeadlineManager.class);
        // what the aggregates' deadline handlers are registered with and what command handlers get injected
        assertThat(axon.deadlineManager()).isInstanceOf(DbSchedulerDeadlineManager.class)
                .isSameAs(context.getBean(DeadlineManager.class));
        // db-scheduler starts with Axon, not while the context is still being built
        assertThat(context.getBean(DbSchedulerStarter.class)).isInstanceOf(DeadlineSchedulerLifecycle.class);
        assertThat(context.getBean(DeadlineSchedulerLifecycle.class).isRunning()).isTrue();
    }

    @Test
    void a_room_with_exp_is_a_row_in_scheduled_tasks_that_fires_once_and_is_then_removed() {
        String name = Api.uniqueName("wired");
        long exp = TimeTesting.epochSecondsIn(Duration.ofSeconds(3));
        String roomId = roomId(api.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"exp\":" + exp + "}}"));

        assertThat(scheduledTasksOf(jdbc, roomId)).as("the room-expiry deadline is persisted").isEqualTo(1);

        Waiting.waitUntil("the room is deleted by its expiry deadline", Duration.ofSeconds(15),
                () -> !events(jdbc, roomId, "RoomDeleted").isEmpty());
        assertThat(Instant.now().getEpochSecond()).as("not before exp").isGreaterThanOrEqualTo(exp);
        Waiting.waitUntil("the fired deadline leaves the table", Duration.ofSeconds(5), () -> scheduledTasksOf(jdbc, roomId) == 0);

        Waiting.sleep(Duration.ofSeconds(1)); // several polling rounds: nothing fires twice
        assertThat(events(jdbc, roomId, "RoomDeleted")).singleElement()
                .satisfies(e -> assertThat(e.field("cause")).isEqualTo("expiry"));
    }
}
