package io.roomgate.command;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventsourcing.SnapshotTrigger;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * A snapshot once an aggregate has gone through {@code threshold} events since its last one
 * (loaded or applied), like Axon's {@code EventCountSnapshotTriggerDefinition}, but always
 * scheduled as the unit of work that crossed the threshold prepares its commit. Axon's waits for
 * the clean-up of a unit of work that crossed it while loading, and never counts an aggregate
 * created in this process as loaded; by clean-up the aggregate's lock may be released, so only
 * a snapshot read back from the store would be safe there. Scheduled before the commit, the
 * snapshot of an aggregate kept in memory is taken from that state ({@link BackgroundSnapshotter}).
 */
final class EventCountSnapshots implements SnapshotTriggerDefinition {

    private final Snapshotter snapshotter;
    private final int threshold;

    EventCountSnapshots(Snapshotter snapshotter, int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.snapshotter = snapshotter;
        this.threshold = threshold;
    }

    @Override
    public SnapshotTrigger prepareTrigger(Class<?> aggregateType) {
        return new Trigger(snapshotter, aggregateType, threshold);
    }

    @Override
    public SnapshotTrigger reconfigure(Class<?> aggregateType, SnapshotTrigger trigger) {
        if (trigger instanceof Trigger counting) {
            counting.snapshotter = snapshotter;
            return counting;
        }
        return prepareTrigger(aggregateType);
    }

    /** Counts the events of one aggregate; kept with it in the cache. */
    static final class Trigger implements SnapshotTrigger, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        private transient Snapshotter snapshotter;
        private final Class<?> aggregateType;
        private final int threshold;
        private int counted;

        Trigger(Snapshotter snapshotter, Class<?> aggregateType, int threshold) {
            this.snapshotter = snapshotter;
            this.aggregateType = aggregateType;
            this.threshold = threshold;
        }

        @Override
        public void eventHandled(EventMessage<?> message) {
            if (!(message instanceof DomainEventMessage<?> event) || ++counted < threshold) {
                return;
            }
            counted = 0;
            String aggregateIdentifier = event.getAggregateIdentifier();
            if (CurrentUnitOfWork.isStarted()) {
                CurrentUnitOfWork.get().onPrepareCommit(u -> snapshotter.scheduleSnapshot(aggregateType, aggregateIdentifier));
            } else {
                snapshotter.scheduleSnapshot(aggregateType, aggregateIdentifier);
            }
        }

        @Override
        public void initializationFinished() {
            // loaded and applied events count alike
        }
    }
}
