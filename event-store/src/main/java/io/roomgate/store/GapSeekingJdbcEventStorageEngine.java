package io.roomgate.store;

import org.axonframework.common.DateTimeUtils;
import org.axonframework.common.jdbc.JdbcUtils;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.GenericDomainEventEntry;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.TrackedDomainEventData;
import org.axonframework.eventhandling.TrackedEventData;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedSet;
import java.util.concurrent.locks.LockSupport;

/**
 * Axon's JDBC storage engine, reading a tracking token's gaps with index seeks. Axon asks for
 * {@code (global_index > :token AND global_index <= :token + batch) OR global_index IN (:gaps)}
 * in one query; H2 cannot use the primary key for that {@code OR} and evaluates it row by row
 * (BENCHMARKS.md, P4), and a caught-up reader asks it every {@code fetch-delay}. Gaps are always
 * below the token's index, so the same rows in the same order are the gap rows followed by the
 * rows above the token: two queries that each use the key. A token without gaps is read by
 * Axon's own query.
 * <p>
 * The two queries see the store at two moments (each statement its own snapshot under read
 * committed), so they run in the order that keeps cause before effect: <b>above the token first,
 * then the gaps</b>. An event seen above the token was committed after everything that caused it
 * (a knock request before its approval: the client waited for the first answer); the gap query,
 * later, sees those too. The other order once delivered an approval whose request was still a
 * gap at the first query and committed before the second: the view applied the approval to no
 * knock, then the request, and kept the knock pending for good (issue 15's one stale cross-node
 * answer).
 * <p>
 * The gap settings are given here, not to the builder alone, because this class needs them too:
 * it cleans a token's timed-out gaps and advances tokens over the rows it read, as Axon does for
 * the rows of its own query.
 * <p>
 * <b>A busy stream is read in paced fetches</b> where {@code busyPause} is set. Axon's embedded
 * event store reads the stream again as soon as a fetch has returned anything, so under a steady
 * stream of commands every reader asks the database for one or two events at a time, and each
 * fetch also costs the empty fetch that ends it and that one's look past the head (at 1,000
 * commands/s, three readers made a quarter of PostgreSQL's statements: BENCHMARKS.md, issue 18).
 * With a pause, a thread's fetch that follows a short, non-empty one waits until {@code busyPause}
 * after that one started, and reads what arrived meanwhile in one query, when the fetch before
 * that one found events too: a trickle (one event, then the empty fetch) is read at once
 * ({@link FetchPacer}). A full batch (catching up, replaying) and an empty one (caught up: the
 * store's own fetch delay applies) are never followed by a pause. An event is read at most
 * {@code busyPause} later than before, and only while events keep coming.
 */
public class GapSeekingJdbcEventStorageEngine extends JdbcEventStorageEngine {

    /**
     * How gaps in global positions are handled (see {@code EventStoreConfiguration}).
     *
     * @param timeoutMillis     how long a gap is waited for before it counts as a rolled-back write
     * @param maxOffset         how far behind the head gaps are tracked
     * @param cleaningThreshold gaps a token carries before its timed-out gaps are cleaned
     */
    public record Gaps(int timeoutMillis, int maxOffset, int cleaningThreshold) {

        JdbcEventStorageEngine.Builder appliedTo(JdbcEventStorageEngine.Builder builder) {
            return builder.gapTimeout(timeoutMillis).maxGapOffset(maxOffset).gapCleaningThreshold(cleaningThreshold);
        }
    }

    private final TransactionManager transactions;
    private final Gaps gaps;
    private final FetchPacer pacer;

    public GapSeekingJdbcEventStorageEngine(JdbcEventStorageEngine.Builder builder, TransactionManager transactions, Gaps gaps) {
        this(builder, transactions, gaps, Duration.ZERO);
    }

    /** @param busyPause how far apart a thread's fetches of a busy stream start (see above); zero: not paced */
    public GapSeekingJdbcEventStorageEngine(JdbcEventStorageEngine.Builder builder, TransactionManager transactions, Gaps gaps,
                                            Duration busyPause) {
        // Axon's engine only reads in its own transactions here (appends and snapshots are this
        // class's, in `transactions`): a read is one statement, or two that each see the store
        // afresh anyway (read committed), so outside a command's transaction it runs on an
        // autocommit connection: no BEGIN and COMMIT round trips around every fetch. Inside one
        // (an aggregate loaded for a command) it runs on that transaction's connection, as before.
        super(gaps.appliedTo(builder.transactionManager(NoTransactionManager.INSTANCE)));
        this.transactions = transactions;
        this.gaps = gaps;
        this.pacer = new FetchPacer(busyPause.toNanos(), System::nanoTime, LockSupport::parkNanos); // an interrupt ends a pause early
    }

    @Override
    protected List<? extends TrackedEventData<?>> fetchTrackedEvents(TrackingToken lastToken, int batchSize) {
        if (!pacer.enabled()) {
            return fetchUnpaced(lastToken, batchSize);
        }
        long started = pacer.beforeFetch();
        List<? extends TrackedEventData<?>> events = fetchUnpaced(lastToken, batchSize);
        pacer.afterFetch(started, events.size(), batchSize);
        return events;
    }

    private List<? extends TrackedEventData<?>> fetchUnpaced(TrackingToken lastToken, int batchSize) {
        if (!(lastToken instanceof GapAwareTrackingToken token) || token.getGaps().isEmpty()) {
            return super.fetchTrackedEvents(lastToken, batchSize); // no token, no gaps (or a token Axon refuses)
        }
        GapAwareTrackingToken cleaned = token.getGaps().size() > gaps.cleaningThreshold() ? withTimedOutGapsCleaned(token) : token;
        if (cleaned.getGaps().isEmpty()) {
            return super.fetchTrackedEvents(cleaned, batchSize);
        }
        return readAboveThenGaps(cleaned, batchSize);
    }

    private List<TrackedEventData<?>> readAboveThenGaps(GapAwareTrackingToken token, int batchSize) {
        EventSchema schema = schema();
        String select = "SELECT " + schema.trackedEventFields() + " FROM " + schema.domainEventTable() + " WHERE ";
        String inOrder = " ORDER BY " + schema.globalIndexColumn() + " ASC FETCH FIRST ? ROWS ONLY";
        List<Row> above = rows(connection -> {
            PreparedStatement statement = connection.prepareStatement(select + schema.globalIndexColumn() + " > ?" + inOrder);
            statement.setLong(1, token.getIndex());
            statement.setInt(2, batchSize);
            return statement;
        });
        betweenQueries();
        List<Long> gapIndexes = new ArrayList<>(token.getGaps());
        List<Row> rows = rows(connection -> {
            PreparedStatement statement = connection.prepareStatement(select + schema.globalIndexColumn() + " IN ("
                    + String.join(",", Collections.nCopies(gapIndexes.size(), "?")) + ")" + inOrder);
            int parameter = 1;
            for (Long gap : gapIndexes) {
                statement.setLong(parameter++, gap);
            }
            statement.setInt(parameter, batchSize);
            return statement;
        });
        // the gap rows, then the rows above the token: global order, at most one batch
        for (Row row : above) {
            if (rows.size() >= batchSize) {
                break;
            }
            rows.add(row);
        }
        Instant gapTimeoutFrame = gapTimeoutFrame();
        List<TrackedEventData<?>> tracked = new ArrayList<>(rows.size());
        GapAwareTrackingToken advanced = token;
        for (Row row : rows) {
            // as Axon advances a token over its own query's rows: a recent event may leave gaps behind it
            boolean allowGaps = row.event().getTimestamp().isAfter(gapTimeoutFrame);
            advanced = advanced.advanceTo(row.globalIndex(), allowGaps ? gaps.maxOffset() : 0);
            tracked.add(new TrackedDomainEventData<>(advanced, row.event()));
        }
        return tracked;
    }

    /** Between the two queries (a test stands a commit here). */
    protected void betweenQueries() {
    }

    /** An event row as read, before its token is known (that depends on the rows before it). */
    private record Row(long globalIndex, GenericDomainEventEntry<?> event) {
    }

    private List<Row> rows(JdbcUtils.SqlFunction query) {
        EventSchema schema = schema();
        return JdbcUtils.executeQuery(getConnection(), query, JdbcUtils.listResults(resultSet -> {
            String aggregateIdentifier = resultSet.getString(schema.aggregateIdentifierColumn());
            String eventIdentifier = resultSet.getString(schema.eventIdentifierColumn());
            return new Row(resultSet.getLong(schema.globalIndexColumn()), new GenericDomainEventEntry<>(
                    resultSet.getString(schema.typeColumn()),
                    // an event that is no aggregate's is stored under its own identifier
                    eventIdentifier.equals(aggregateIdentifier) ? null : aggregateIdentifier,
                    resultSet.getLong(schema.sequenceNumberColumn()),
                    eventIdentifier,
                    readTimeStamp(resultSet, schema.timestampColumn()),
                    resultSet.getString(schema.payloadTypeColumn()),
                    resultSet.getString(schema.payloadRevisionColumn()),
                    readPayload(resultSet, schema.payloadColumn()),
                    readPayload(resultSet, schema.metaDataColumn())));
        }), e -> new EventStoreException("Failed to read the events of a token with gaps", e));
    }

    /**
     * The token without the gaps that have timed out: walking up from its first gap, every gap
     * followed by an event older than the gap timeout is given up (the write that took its
     * position rolled back), up to the first gap that has filled or the first recent event.
     */
    private GapAwareTrackingToken withTimedOutGapsCleaned(GapAwareTrackingToken token) {
        EventSchema schema = schema();
        SortedSet<Long> tokenGaps = token.getGaps();
        Instant gapTimeoutFrame = gapTimeoutFrame();
        return JdbcUtils.executeQuery(getConnection(), connection -> {
            PreparedStatement statement = connection.prepareStatement("SELECT " + schema.globalIndexColumn() + ", "
                    + schema.timestampColumn() + " FROM " + schema.domainEventTable() + " WHERE " + schema.globalIndexColumn()
                    + " >= ? AND " + schema.globalIndexColumn() + " <= ? ORDER BY " + schema.globalIndexColumn() + " ASC");
            statement.setLong(1, tokenGaps.first());
            statement.setLong(2, tokenGaps.last() + 1);
            return statement;
        }, resultSet -> cleaned(token, resultSet, gapTimeoutFrame), e -> new EventStoreException("Failed to clean the gaps of a token", e));
    }

    private GapAwareTrackingToken cleaned(GapAwareTrackingToken token, ResultSet resultSet, Instant gapTimeoutFrame) throws SQLException {
        EventSchema schema = schema();
        GapAwareTrackingToken cleaned = token;
        while (resultSet.next()) {
            long index = resultSet.getLong(schema.globalIndexColumn());
            Instant stored;
            try {
                stored = DateTimeUtils.parseInstant(String.valueOf(readTimeStamp(resultSet, schema.timestampColumn())));
            } catch (DateTimeParseException e) {
                return cleaned; // cannot tell its age: keep the gaps
            }
            if (cleaned.getGaps().contains(index) || stored.isAfter(gapTimeoutFrame)) {
                return cleaned;
            }
            if (cleaned.getGaps().contains(index - 1)) {
                cleaned = cleaned.withGapsTruncatedAt(index);
            }
        }
        return cleaned;
    }

    private Instant gapTimeoutFrame() {
        return GenericEventMessage.clock.instant().minusMillis(gaps.timeoutMillis());
    }

    /** The transactions of this engine's writes (appends, snapshots), joining a surrounding one. */
    protected final TransactionManager transactions() {
        return transactions;
    }
}
