package io.roomgate.store;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventhandling.tokenstore.jdbc.JdbcTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;

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
 * As Axon's JPA store did, it refuses to create segments for a processor that has some already
 * (Axon's JDBC store would insert them again and fail on the key): the existing segments stand.
 */
public class ConcurrentStartJdbcTokenStore extends JdbcTokenStore {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentStartJdbcTokenStore.class);

    private final TransactionTemplate ownTransaction;
    private final JdbcTemplate jdbc;
    private volatile Boolean postgres;

    /**
     * @param dataSource the token store's database: the advisory lock is taken on the connection
     *                   of the segments' own transaction, which the builder's connection provider
     *                   must hand out too (Spring's transaction-bound connection)
     */
    public ConcurrentStartJdbcTokenStore(JdbcTokenStore.Builder builder, PlatformTransactionManager transactions, DataSource dataSource) {
        super(builder);
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
