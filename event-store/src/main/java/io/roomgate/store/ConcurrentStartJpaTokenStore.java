package io.roomgate.store;

import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Axon's JPA token store, safe for nodes that start together on a fresh database. Each node's
 * processor creates the processor's token segments when it finds none; two doing that at once
 * collide on the token table's key. Axon's coordinator expects that and catches it, but the
 * failed insert has already marked the surrounding transaction rollback-only, so the commit fails
 * and the node does not start. Here the segments are created in a transaction of their own: the
 * node that loses the race finds the winner's segments and carries on. On PostgreSQL the nodes
 * also queue on an advisory lock first, so the loser finds the segments before inserting and no
 * duplicate-key ERROR is logged for a race that is handled (issue 19): it says so at INFO.
 */
public class ConcurrentStartJpaTokenStore extends JpaTokenStore {

    private static final Logger log = LoggerFactory.getLogger(ConcurrentStartJpaTokenStore.class);

    private final TransactionTemplate ownTransaction;
    private final org.axonframework.common.jpa.EntityManagerProvider entityManagers;

    public ConcurrentStartJpaTokenStore(JpaTokenStore.Builder builder, PlatformTransactionManager transactions,
                                        org.axonframework.common.jpa.EntityManagerProvider entityManagers) {
        super(builder);
        this.entityManagers = entityManagers;
        this.ownTransaction = new TransactionTemplate(transactions);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public void initializeTokenSegments(String processorName, int segmentCount, TrackingToken initialToken) {
        try {
            ownTransaction.executeWithoutResult(status -> {
                queueForInitialisation(processorName);
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
        jakarta.persistence.EntityManager em = entityManagers.getEntityManager();
        String product = em.unwrap(org.hibernate.Session.class)
                .doReturningWork(connection -> connection.getMetaData().getDatabaseProductName());
        if ("PostgreSQL".equalsIgnoreCase(product)) {
            em.createNativeQuery("select 1 from (select pg_advisory_xact_lock(hashtext(?1))) as queued")
                    .setParameter(1, "roomgate-token-segments:" + processorName)
                    .getSingleResult();
        }
    }
}
