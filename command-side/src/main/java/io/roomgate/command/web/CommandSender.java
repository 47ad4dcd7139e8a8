package io.roomgate.command.web;

import io.roomgate.edge.Caller;
import io.roomgate.edge.ConsistencyToken;
import io.roomgate.store.LocalCommits;
import io.roomgate.store.WriteVisibility;
import jakarta.servlet.http.HttpServletResponse;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.MetaData;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.springframework.stereotype.Component;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a command on behalf of the current caller: who and which request go along as metadata
 * (and on into every event it causes), and the response carries the consistency token of the
 * aggregate the command wrote to, found as Axon routes the command (its
 * {@code @TargetAggregateIdentifier}: for a member or a token the stream, not the bare id).
 * <p>
 * The token's sequence number is that of the last event the command applied to its aggregate,
 * noted as the event is published (the command bus handles the command on the sending thread);
 * only a command that applied none asks the store for its aggregate's last sequence number.
 * That query was ~11 % of a command's request time (BENCHMARKS.md, row 3).
 */
@Component
public class CommandSender {

    private static final CommandTargetResolver TARGET = AnnotationCommandTargetResolver.builder().build();
    /** The last sequence number per aggregate of the events published by the command this thread sends. */
    private static final ThreadLocal<Map<String, Long>> PUBLISHED = new ThreadLocal<>();

    private final CommandGateway gateway;
    private final EventStore eventStore;
    private final LocalCommits commits;
    private final org.springframework.beans.factory.ObjectProvider<WriteVisibility> visibility;
    /** Commands by type and outcome, with their latency (issue 19); null without a registry. */
    private final io.micrometer.core.instrument.MeterRegistry meters;

    public CommandSender(CommandGateway gateway, EventStore eventStore, LocalCommits commits,
                         org.springframework.beans.factory.ObjectProvider<WriteVisibility> visibility,
                         org.springframework.beans.factory.ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        this.gateway = gateway;
        this.eventStore = eventStore;
        this.commits = commits;
        this.visibility = visibility;
        this.meters = meters.getIfAvailable();
        eventStore.registerDispatchInterceptor(events -> (index, event) -> {
            Map<String, Long> published = PUBLISHED.get();
            if (published != null && event instanceof DomainEventMessage<?> domain) {
                published.merge(domain.getAggregateIdentifier(), domain.getSequenceNumber(), Math::max);
            }
            return event;
        });
    }

    public <R> R send(Object command, HttpServletResponse response) {
        return send(command, response, null);
    }

    /**
     * @param head the head of the target's stream, as read with the command's lookup (null: not
     *             read), for the caching repository to check a cached aggregate against
     */
    public <R> R send(Object command, HttpServletResponse response, io.roomgate.command.StoredHead head) {
        Caller caller = Caller.current();
        Map<String, Object> meta = new HashMap<>();
        meta.put(Caller.ACTOR, caller.keyId());
        if (head != null) {
            meta.put(io.roomgate.command.StoredHead.KEY, head);
        }
        if (caller.requestId() != null) {
            meta.put(Caller.REQUEST_ID, caller.requestId());
        }
        CommandMessage<?> message = GenericCommandMessage.asCommandMessage(command).andMetaData(MetaData.from(meta));
        String aggregateId = TARGET.resolveTarget(message).getIdentifier();
        Map<String, Long> published = new HashMap<>();
        PUBLISHED.set(published);
        commits.startOnThisThread();
        R result;
        long started = System.nanoTime();
        String outcome = "error";
        try {
            result = gateway.sendAndWait(message);
            outcome = "ok";
        } catch (io.roomgate.access.Rejected rejected) {
            outcome = "rejected-" + rejected.kind().name().toLowerCase(java.util.Locale.ROOT);
            throw rejected;
        } finally {
            PUBLISHED.remove();
            if (meters != null) {
                // the command's type (a fixed set of classes) and outcome: nothing that grows with rooms or users
                meters.timer("roomgate.commands", "command", command.getClass().getSimpleName(), "outcome", outcome)
                        .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        }
        // where the view runs in this process, the write is acknowledged once it is visible
        WriteVisibility view = published.isEmpty() ? null : visibility.getIfAvailable();
        if (view != null) {
            long appended = commits.appendedOnThisThread();
            // a retried command appends on the retry's thread: then everything committed so far
            long position = appended >= 0 ? appended : commits.committedHead();
            view.awaitVisible(position);
            commits.acknowledged(position);
        }
        Optional.ofNullable(published.get(aggregateId)).or(() -> eventStore.lastSequenceNumberFor(aggregateId)).ifPresent(seq ->
                response.setHeader(ConsistencyToken.HEADER, new ConsistencyToken(aggregateId, seq).encode()));
        return result;
    }
}
