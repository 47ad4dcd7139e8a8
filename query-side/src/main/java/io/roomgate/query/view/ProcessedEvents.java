package io.roomgate.query.view;

import io.roomgate.store.ConcurrentStartJdbcTokenStore;
import io.roomgate.store.StoredPositions;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.OptionalLong;

/**
 * The view's guard against applying an event twice. Axon's pooled processor can hand a work
 * package events its segment had processed before this node claimed it: having claimed segments
 * at different positions, it streams them from the lowest, and a work package whose claimed token
 * had a gap forgets, once that gap's event arrives, the part of its token above it (see
 * {@link ConcurrentStartJdbcTokenStore}). Such an event, told by its stored position
 * ({@link StoredPositions}), is not applied again: the view already holds it, in the same
 * transaction as the token that says so. Nor is an event this batch has handled already.
 */
public final class ProcessedEvents implements MessageHandlerInterceptor<EventMessage<?>> {

    private static final Logger log = LoggerFactory.getLogger(ProcessedEvents.class);
    private static final String SKIPPED = ProcessedEvents.class.getName() + ".skipped";
    private static final String IN_BATCH = ProcessedEvents.class.getName() + ".in-batch";

    private final String processorName;
    private final String segmentResource;
    private final ConcurrentStartJdbcTokenStore tokens;

    private ProcessedEvents(String processorName, ConcurrentStartJdbcTokenStore tokens) {
        this.processorName = processorName;
        // where Axon's pooled processor puts a batch's segment in its unit of work
        this.segmentResource = "Processor[" + processorName + "]/SegmentId";
        this.tokens = tokens;
    }

    /** The guard for the processor's events, or none where the token store does not keep what segments processed. */
    public static MessageHandlerInterceptor<EventMessage<?>> of(String processorName, TokenStore tokenStore) {
        if (tokenStore instanceof ConcurrentStartJdbcTokenStore tokens) {
            return new ProcessedEvents(processorName, tokens);
        }
        return (unitOfWork, chain) -> chain.proceed();
    }

    @Override
    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        OptionalLong position = StoredPositions.of(unitOfWork.getMessage());
        if (position.isEmpty() || !(unitOfWork.root().resources().get(segmentResource) instanceof Integer segment)) {
            return chain.proceed();
        }
        // positions this batch handled already: the stream reopened lower while the batch's first
        // copies were not committed yet (another segment claimed meanwhile) hands them again in it
        java.util.Set<Long> inBatch = unitOfWork.root().getOrComputeResource(IN_BATCH, key -> new java.util.HashSet<>());
        if (tokens.hasProcessed(processorName, segment, position.getAsLong()) || !inBatch.add(position.getAsLong())) {
            int[] skipped = unitOfWork.root().getOrComputeResource(SKIPPED, key -> {
                int[] count = new int[1];
                unitOfWork.root().afterCommit(u -> log.info("segment {} of {}: {} events it had processed already came "
                        + "again, and were not applied again", segment, processorName, count[0]));
                return count;
            });
            skipped[0]++;
            return null;
        }
        return chain.proceed();
    }
}
