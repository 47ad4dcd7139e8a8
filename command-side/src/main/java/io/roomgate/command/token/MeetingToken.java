package io.roomgate.command.token;

import io.roomgate.access.RoomName;
import io.roomgate.access.Rejected;
import io.roomgate.command.room.RoomNames;
import io.roomgate.command.room.Timestamps;
import io.roomgate.events.StreamIds;
import io.roomgate.events.TokenIssued;
import io.roomgate.events.TokenRevoked;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;

import java.time.Clock;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

/**
 * A meeting token's life: issued, perhaps revoked. Identified by its {@code jti}, stored under
 * {@link StreamIds#meetingToken} apart from a member or room that has the same id; a self-signed
 * token roomgate never issued comes into being here when it is revoked.
 */
public class MeetingToken {

    static final int MAX_USER_ID = 36;

    @AggregateIdentifier
    private String streamId;
    private boolean revoked;

    protected MeetingToken() {
        // for Axon
    }

    @CommandHandler
    public MeetingToken(IssueToken command, Clock clock) {
        var claims = command.claims();
        if (claims.roomName() == null && !command.allowAllRooms()) {
            throw Rejected.invalid("a token without room_name admits to every room: set room_name, "
                    + "or say \"allow_all_rooms\": true");
        }
        if (claims.roomName() != null) {
            RoomName.of("room_name", claims.roomName());
        }
        Timestamps.requireSeconds("exp", claims.exp());
        Timestamps.requireSeconds("nbf", claims.nbf());
        Timestamps.requireFuture("exp", claims.exp(), clock.instant());
        if (claims.userId() != null && (claims.userId().isEmpty() || claims.userId().length() > MAX_USER_ID)) {
            throw Rejected.invalid("user_id must be 1-36 characters");
        }
        if (claims.ejectAfterElapsed() != null && claims.ejectAfterElapsed() < 1) {
            throw Rejected.invalid("eject_after_elapsed must be at least 1 second");
        }
        apply(new TokenIssued(command.tokenId(), command.keyId(), claims, command.allowAllRooms()));
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(RevokeToken command) {
        if (revoked) {
            return; // revoking twice changes nothing
        }
        apply(new TokenRevoked(command.tokenId(), streamId == null));
    }

    @EventSourcingHandler
    void on(TokenIssued event) {
        streamId = StreamIds.meetingToken(event.tokenId());
    }

    @EventSourcingHandler
    void on(TokenRevoked event) {
        streamId = StreamIds.meetingToken(event.tokenId());
        revoked = true;
    }
}
