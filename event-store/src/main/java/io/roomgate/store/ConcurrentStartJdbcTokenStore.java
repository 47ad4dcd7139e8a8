package io.roomgate.store;

import org.axonframework.common.DateTimeUtils;
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
 */
public class ConcurrentStartJdbcTokenStore extends JdbcTokenStore {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentStartJdbcTokenStore.class);

    private final TransactionTemplate ownTransaction;
    private final JdbcTemplate jdbc;
    private final TokenSchema schema;
    private final String nodeId;
    private volatile Boolean postgres;

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
    public void storeToken(TrackingToken token, String processorName, int segment) {
        // the common case in one statement: Axon's own update of a token this node holds
        Integer stored = jdbc.execute((ConnectionCallback<Integer>) connection -> {
            try (PreparedStatement update = storeUpdate(connection, token, processorName, segment)) {
                return update.executeUpdate();
            }
        });
        if (stored != null && stored > 0) {
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
