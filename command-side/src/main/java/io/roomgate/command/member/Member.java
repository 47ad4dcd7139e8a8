package io.roomgate.command.member;

import io.roomgate.access.UserId;
import io.roomgate.access.Rejected;
import io.roomgate.events.MemberAdded;
import io.roomgate.events.MemberRemoved;
import io.roomgate.events.StreamIds;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A logged-in user's membership of the domain: members may join private rooms. Stored under
 * {@link StreamIds#member}, apart from a token or room that has the same id.
 */
public class Member {

    @AggregateIdentifier
    private String streamId;
    private boolean active;

    protected Member() {
        // for Axon
    }

    /** Adding a member who already is one changes nothing (PUT is idempotent). */
    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(AddMember command) {
        UserId.of("user_id", command.memberId());
        if (!active) {
            apply(new MemberAdded(command.memberId()));
        }
    }

    @CommandHandler
    public void handle(RemoveMember command) {
        if (!active) {
            throw Rejected.notFound("user " + command.memberId() + " is not a member");
        }
        apply(new MemberRemoved(command.memberId()));
    }

    @EventSourcingHandler
    void on(MemberAdded event) {
        streamId = StreamIds.member(event.memberId());
        active = true;
    }

    @EventSourcingHandler
    void on(MemberRemoved event) {
        active = false;
    }
}
