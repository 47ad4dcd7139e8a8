package io.roomgate.store;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.Segment;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.AbstractTokenEntry;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.PreparedStatement;

/**
 * Axon's JDBC token store, safe for nodes that start together on a fresh database. Each node's
 * processor creates the processor's token segments when it finds none; two doing that at once
 * collide on the token table's key. Axon's coordinator expects that and catches it, but on
 * PostgreSQL the failed insert has already aborted the surrounding transaction, so its commit
 * fails and the node does not start. Here the segments are created in a transaction of their
 * own: the node that loses the race finds the winner's segments and carries on. On PostgreSQL the
 * nodes also queue on an advisory lock first, so the loser finds the segments before inserting
 * and no duplicate-key ERROR is logged for a race that is handled (issue 19): it says so at INFO.
 * <p>
 * Where Axon's JDBC store differs from the JPA store roomgate used before, it behaves as that one:
 * <ul>
 * <li>it refuses to create segments for a processor that has some already (Axon's JDBC store
 * would insert them again and fail on the key): the existing segments stand;</li>
 * <li>a claim is extended only by the node that holds it. Axon's JDBC store extends a claim by
 * fetching the token, which also takes the segment back from another node that has since claimed
 * it, once that node's claim has aged past the claim timeout: the work package that had lost the
 * segment would go on beside the other node's, and both would apply the same events (the view
 * then set streams aside on duplicate keys: ReadAfterWriteAcrossNodesIT). Here the extension
 * fails, and the work package that lost its segment stops.</li>
 * </ul>
 * Beyond both stores, a stored token never forgets what its segment had already processed
 * ({@link #hasProcessed}): Axon's pooled processor, having claimed segments at different positions,
 * streams them from the lowest one, and a work package whose claimed token had a gap takes the
 * stream's token as its own once that gap's event arrives, a token lower than the one it claimed.
 * It would then apply again the events between the two (found as a duplicate key at a segment
 * take-over, with four segments on two nodes), and store the lower token.
 */
public class ConcurrentStartJdbcTokenStore extends JdbcTokenStore {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentStartJdbcTokenStore.class);

    private final TransactionTemplate ownTransaction;
    private final JdbcTemplate jdbc;
    private final TokenSchema schema;
    private final String nodeId;
    private volatile Boolean postgres;
    /**
     * Per segment this node holds, what it has processed: the token it claimed (stored by whoever
     * held the segment before, in the transaction of what that node applied) merged with every token
     * this node stored since, each once its transaction committed. Only plain gap-aware tokens: a
     * replay's token is stored as it comes and leaves no entry.
     */
    private final java.util.Map<String, GapAwareTrackingToken> processed = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param schema     the token table, set on the builder here
     * @param nodeId     this node's id in claims, set on the builder here
     * @param dataSource the token store's database: the advisory lock is taken, and claims are
     *                   extended, on the connection of the current transaction, which the
     *                   builder's connection provider must hand out too (Spring's
     *                   transaction-bound connection)
     */
    public ConcurrentStartJdbcTokenStore(JdbcTokenStore.Builder builder, TokenSchema schema, String nodeId,
                                         PlatformTransactionManager transactions, DataSource dataSource) {
        super(builder.schema(schema).nodeId(nodeId));
        this.schema = schema;
        this.nodeId = nodeId;
        this.jdbc = new JdbcTemplate(dataSource);
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
        try {
            ownTransaction.executeWithoutResult(status -> {
                queueForInitialisation(processorName);
                if (fetchSegments(processorName).length > 0) {
                    throw new UnableToClaimTokenException("Could not initialize segments. Some segments were already present.");
                }
                super.initializeTokenSegments(processorName, segmentCount, initialToken);
            });
        } catch (RuntimeException e) {
            int[] segments = ownTransaction.execute(status -> fetchSegments(processorName));
            if (segments != null && segments.length > 0) {
                log.info("The token segments of {} were created by another node starting at the same time", processorName);
                return;
            }
            throw e;
        }
    }

    @Override
    public TrackingToken fetchToken(String processorName, int segment) {
        return claimed(processorName, segment, super.fetchToken(processorName, segment));
    }

    @Override
    public TrackingToken fetchToken(String processorName, Segment segment) {
        return claimed(processorName, segment.getSegmentId(), super.fetchToken(processorName, segment));
    }

    /**
     * A claim's token is what the segment has processed once the claim commits: not before, so
     * that a token stored in the claim's own transaction (a rebuild moving the tokens, an operator)
     * is stored as it is, not merged with the token it replaces.
     */
    private TrackingToken claimed(String processorName, int segment, TrackingToken token) {
        processed.remove(key(processorName, segment));
        remember(token, processorName, segment);
        return token;
    }

    @Override
    public void releaseClaim(String processorName, int segment) {
        super.releaseClaim(processorName, segment);
        afterCommit(() -> processed.remove(key(processorName, segment)));
    }

    /**
     * Whether the event stored at {@code position} is one the segment, held by this node, has
     * processed for sure: its token when this node claimed it, merged with the tokens this node
     * stored since and committed. False when this node does not hold it, or its token is not a
     * plain gap-aware one (a replay).
     */
    public boolean hasProcessed(String processorName, int segment, long position) {
        GapAwareTrackingToken token = processed.get(key(processorName, segment));
        return token != null && position <= token.getIndex() && !token.getGaps().contains(position);
    }

    private static String key(String processorName, int segment) {
        return processorName + '\u0000' + segment;
    }

    /**
     * The token to store: what the segment processed before (see {@link #processed}) merged with
     * the work package's token, which may have forgotten part of it (see the class comment).
     */
    private TrackingToken merged(TrackingToken token, String processorName, int segment) {
        GapAwareTrackingToken before = processed.get(key(processorName, segment));
        if (before != null && token instanceof GapAwareTrackingToken gapAware) {
            return before.upperBound(gapAware);
        }
        return token;
    }

    /** Once the transaction that stored or fetched {@code token} commits, it is what the segment processed. */
    private void remember(TrackingToken token, String processorName, int segment) {
        afterCommit(() -> {
            if (token instanceof GapAwareTrackingToken gapAware) {
                processed.put(key(processorName, segment), gapAware);
            } else {
                processed.remove(key(processorName, segment));
            }
        });
    }

    /** Runs {@code update} once the current transaction commits (in the order registered), or now outside one. */
    private static void afterCommit(Runnable update) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    update.run();
                }
            });
        } else {
            update.run();
        }
    }

    /** Extends this node's claim on the segment, or fails if this node does not hold it (see above). */
    @Override
    public void extendClaim(String processorName, int segment) {
        int extended = jdbc.update("UPDATE " + schema.tokenTable() + " SET " + schema.timestampColumn() + " = ? WHERE "
                        + schema.processorNameColumn() + " = ? AND " + schema.segmentColumn() + " = ? AND " + schema.ownerColumn() + " = ?",
                DateTimeUtils.formatInstant(AbstractTokenEntry.clock.instant()), processorName, segment, nodeId);
        if (extended == 0) {
            throw new UnableToClaimTokenException("Unable to extend the claim on token for processor '" + processorName + "["
                    + segment + "]'. It is either claimed by another process, or there is no such token.");
        }
    }

    /**
     * Stores the token of a segment this node holds (one update, as in Axon's store), or fails.
     * Axon's JDBC store, when the segment is no longer this node's, falls back to claiming it again if the other node's claim has aged
     * past the claim timeout: a work package that lost its segment to a starved node's take-over
     * would then commit a batch the other node had already applied part of (the view set streams
     * aside on duplicate keys: ReadAfterWriteAcrossNodesIT on a busy machine). A claim held by
     * another node is taken over only by fetching (the coordinator's claim), never by storing.
     */
    @Override
    public void storeToken(TrackingToken given, String processorName, int segment) {
        TrackingToken token = merged(given, processorName, segment);
        // the common case in one statement: Axon's own update of a token this node holds
        Integer stored = jdbc.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement update = storeUpdate(connection, token, processorName, segment)) {
                return update.executeUpdate();
            }
        });
        if (stored != null && stored > 0) {
            remember(token, processorName, segment);
            return;
        }
        Integer others = jdbc.queryForObject("SELECT COUNT(*) FROM " + schema.tokenTable() + " WHERE "
                        + schema.processorNameColumn() + " = ? AND " + schema.segmentColumn() + " = ? AND "
                        + schema.ownerColumn() + " IS NOT NULL AND " + schema.ownerColumn() + " <> ?",
                Integer.class, processorName, segment, nodeId);
        if (others != null && others > 0) {
            throw new UnableToClaimTokenException("Unable to store the token of processor '" + processorName + "["
                    + segment + "]': another node holds its claim.");
        }
        super.storeToken(token, processorName, segment);
        remember(token, processorName, segment);
    }

    /** On PostgreSQL, one node at a time creates a processor's segments (held until the transaction ends). */
    private void queueForInitialisation(String processorName) {
        if (postgres == null) {
            postgres = "PostgreSQL".equalsIgnoreCase(
                    jdbc.execute((ConnectionCallback<String>) connection -> connection.getMetaData().getDatabaseProductName()));
        }
        if (postgres) {
            jdbc.queryForObject("select 1 from (select pg_advisory_xact_lock(hashtext(?))) as queued", Integer.class,
                    "roomgate-token-segments:" + processorName);
        }
    }
}
