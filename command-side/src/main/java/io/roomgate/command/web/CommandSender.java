package io.roomgate.command.web;

import io.roomgate.platform.Caller;
import io.roomgate.platform.ConsistencyToken;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;

/**
 * Sends a command on behalf of the current caller: who and which request go along as metadata
 * (and on into every event it causes), and the response carries the consistency token of the
 * aggregate the command wrote to.
 */
@Component
public class CommandSender {

    private final CommandGateway gateway;
    private final EventStore eventStore;

    public CommandSender(CommandGateway gateway, EventStore eventStore) {
        this.gateway = gateway;
        this.eventStore = eventStore;
    }

    public <R> R send(Object command, String aggregateId, HttpServletResponse response) {
        Caller caller = Caller.current();
        Map<String, Object> meta = new HashMap<>();
        meta.put(Caller.ACTOR, caller.keyId());
        if (caller.requestId() != null) {
            meta.put(Caller.REQUEST_ID, caller.requestId());
        }
        R result = gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(MetaData.from(meta)));
        eventStore.lastSequenceNumberFor(aggregateId).ifPresent(seq ->
                response.setHeader(ConsistencyToken.HEADER, new ConsistencyToken(aggregateId, seq).encode()));
        return result;
    }
}
