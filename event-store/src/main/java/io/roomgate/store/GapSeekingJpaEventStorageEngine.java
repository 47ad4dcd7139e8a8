package io.roomgate.store;

import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventsourcing.eventstore.jpa.JpaEventStorageEngine;

import java.util.ArrayList;
import java.util.List;

/**
 * Axon's JPA storage engine, reading a tracking token's gaps with index seeks. Axon asks for
 * {@code globalIndex > :token OR globalIndex IN (:gaps)} in one query; H2 cannot use the primary
 * key for that {@code OR} and evaluates it row by row (BENCHMARKS.md, P4), and a caught-up
 * reader asks it every {@code fetch-delay}. Gaps are always below the token's index, so the
 * same rows in the same order are the gap rows followed by the rows above the token: two
 * queries that each use the key.
 * <p>
 * The two queries see the store at two moments (each statement its own snapshot under read
 * committed), so they run in the order that keeps cause before effect: <b>above the token first,
 * then the gaps</b>. An event seen above the token was committed after everything that caused it
 * (a knock request before its approval: the client waited for the first answer); the gap query,
 * later, sees those too. The other order once delivered an approval whose request was still a
 * gap at the first query and committed before the second: the view applied the approval to no
 * knock, then the request, and kept the knock pending for good (issue 15's one stale cross-node
 * answer).
 */
public class GapSeekingJpaEventStorageEngine extends JpaEventStorageEngine {

    private static final String COLUMNS = "SELECT e.globalIndex, e.type, e.aggregateIdentifier, e.sequenceNumber, "
            + "e.eventIdentifier, e.timeStamp, e.payloadType, e.payloadRevision, e.payload, e.metaData FROM ";

    public GapSeekingJpaEventStorageEngine(JpaEventStorageEngine.Builder builder) {
        super(builder);
    }

    @Override
    protected List<Object[]> fetchEvents(GapAwareTrackingToken token) {
        if (token == null || token.getGaps().isEmpty()) {
            return super.fetchEvents(token);
        }
        int limit = batchSize();
        List<Object[]> above = entityManager()
                .createQuery(COLUMNS + domainEventEntryEntityName() + " e WHERE e.globalIndex > :token "
                        + "ORDER BY e.globalIndex ASC", Object[].class)
                .setParameter("token", token.getIndex())
                .setMaxResults(limit)
                .getResultList();
        betweenQueries();
        List<Object[]> rows = new ArrayList<>(entityManager()
                .createQuery(COLUMNS + domainEventEntryEntityName() + " e WHERE e.globalIndex IN :gaps "
                        + "ORDER BY e.globalIndex ASC", Object[].class)
                .setParameter("gaps", token.getGaps())
                .setMaxResults(limit)
                .getResultList());
        // the gap rows, then the rows above the token: global order, at most one batch
        for (Object[] row : above) {
            if (rows.size() >= limit) {
                break;
            }
            rows.add(row);
        }
        return rows;
    }

    /** Between the two queries (a test stands a commit here). */
    protected void betweenQueries() {
    }
}
