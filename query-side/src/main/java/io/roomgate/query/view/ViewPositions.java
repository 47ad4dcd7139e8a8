package io.roomgate.query.view;

import io.roomgate.edge.ConsistencyToken;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GapAwareTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.WrappedToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.SimpleSerializedObject;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Read-your-writes for the view. Every event the view applies also records, in the same
 * transaction, "aggregate A is applied up to sequence N"; a query carrying a consistency token
 * waits until its aggregate's position reaches the token's and every event the view handles that
 * was stored before that write is applied too. Read off the shared tables, so it holds whichever
 * node or segment applied the events; this node's own commits wake waiters at once, other nodes'
 * are seen by polling.
 */
public class ViewPositions implements io.roomgate.store.WriteVisibility {

    /** How often a wait looks again when other nodes hold segments (their positions are read off the store). */
    private static final long POLL_MILLIS = 10;
    /**
     * How often a wait looks again when this node holds every segment: in memory, and a segment
     * advances past events that were not its to apply without a commit that would wake waiters.
     */
    private static final long LOCAL_POLL_MILLIS = 1;
    private volatile boolean allSegmentsLocal;

    private final JdbcTemplate jdbc;
    private final Duration maxWait;
    private final Object applied = new Object();
    private final AtomicReference<Failure> failure = new AtomicReference<>();
    /** The stored payload types the view applies (and so records positions for), as an SQL list. */
    private static final String HANDLED_TYPES = java.util.Arrays.stream(JoinEligibilityProjection.class.getDeclaredMethods())
            .filter(m -> m.isAnnotationPresent(org.axonframework.eventhandling.EventHandler.class))
            .map(m -> "'" + m.getParameterTypes()[0].getName() + "'")
            .distinct().sorted()
            .collect(java.util.stream.Collectors.joining(", "));

    /**
     * Every event at or below this global position is in the view: the lowest point below which
     * every segment's token has no gap, seen last (tokens only move forward, and a position below
     * a token's first gap cannot be filled by a late commit any more).
     */
    private final AtomicLong coveredUpTo = new AtomicLong(-1);
    /** Most stored events a freshness check reads off the store at once; beyond that it waits for the tokens. */
    static final int MAX_SCAN = 10_000;
    private final Serializer serializer;
    private final Supplier<Optional<PooledStreamingEventProcessor>> processor;
    /** The store's head for a default read: this process's commits where no other process writes, else a query. */
    private final java.util.function.LongSupplier storeHead;
    /** How long a command waits, at most, for the view to apply its events before it is acknowledged. */
    private final Duration acknowledgeWait;

    /**
     * Records positions (and quarantines) only, for a rebuild's twins: it never answers a read.
     * The rebuild is the only writer of its twin tables, so it keeps its quarantined streams in memory.
     */
    public static ViewPositions recorder(JdbcTemplate jdbc) {
        ViewPositions recorder = new ViewPositions(jdbc, Duration.ZERO, null, Optional::empty, null, Duration.ZERO,
                java.time.Clock.systemUTC());
        recorder.quarantinedHere = new java.util.HashSet<>();
        return recorder;
    }

    /** Streams the view could not apply, set aside (null: failures stop the processor, as before). */
    private final Quarantine quarantine;
    private Set<String> quarantinedHere;

    private final AtomicLong suspected = new AtomicLong();

    /**
     * How many times an event failed for the first time (it is applied again inside a savepoint,
     * and quarantined if it fails again): a rebuild retries a batch while this grows.
     */
    public long suspected() {
        return suspected.get();
    }

    /**
     * @param serializer      the serializer the token store writes the processors' tokens with
     * @param processor       this node's view processor, once it exists: its segments' positions
     *                        are read in memory, the other nodes' off the token store
     * @param storeHead       where a default read takes the store's head: null to read it off the
     *                        store each time (any deployment), or this process's own commits
     *                        where no other process can write (see {@code LocalCommits})
     * @param acknowledgeWait the bound of {@link #awaitVisible}
     * @param clock           the application's clock (when a stream was quarantined)
     */
    public ViewPositions(JdbcTemplate jdbc, Duration maxWait, Serializer serializer,
                         Supplier<Optional<PooledStreamingEventProcessor>> processor,
                         java.util.function.LongSupplier storeHead, Duration acknowledgeWait, java.time.Clock clock) {
        this.jdbc = jdbc;
        this.maxWait = maxWait;
        this.serializer = serializer;
        this.processor = processor;
        this.storeHead = storeHead;
        this.acknowledgeWait = acknowledgeWait;
        this.quarantine = new Quarantine(jdbc, clock);
    }

    /**
     * The view processor's handler interceptor, and only that processor's: were this object a
     * {@link MessageHandlerInterceptor} bean, Axon's Spring Boot auto-configuration would put it on
     * every event processor, and the command side's subscribing lookups would record positions in
     * the command's own transaction, before the view had applied anything.
     */
    public MessageHandlerInterceptor<EventMessage<?>> interceptor() {
        return this::handle;
    }

    public Object handle(UnitOfWork<? extends EventMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        EventMessage<?> message = unitOfWork.getMessage();
        DomainEventMessage<?> domain = message instanceof DomainEventMessage<?> d ? d : null;
        if (domain != null && quarantine != null && held(unitOfWork, domain)) {
            // its stream is quarantined: counted, not applied, until an operator retries the stream
            pending(unitOfWork).merge(domain.getAggregateIdentifier(), domain.getSequenceNumber(), Math::max);
            return null;
        }
        // the live view applies each event inside a savepoint, so that an event it cannot apply
        // sets aside its stream at once while the batch, and every other room, goes on (a stall
        // until Axon's retry would make every default read wait, and time out, meanwhile); a
        // rebuild, which replays everything, takes a savepoint only for an event that failed before
        java.sql.Savepoint savepoint = domain != null && quarantine != null
                && (quarantinedHere == null || suspects.containsKey(message.getIdentifier()))
                ? quarantine.savepoint() : null;
        try {
            Object result = chain.proceed();
            if (savepoint != null) {
                applied(unitOfWork, savepoint);
            }
            if (domain != null) {
                pending(unitOfWork).merge(domain.getAggregateIdentifier(), domain.getSequenceNumber(), Math::max);
            }
            resolved(unitOfWork, message);
            return result;
        } catch (Exception | Error e) {
            if (savepoint != null && Quarantine.belongsToTheEvent(e)) {
                quarantine.rollbackTo(savepoint);
                if (quarantinedHere == null && (appliedInBatch(unitOfWork, domain)
                        || appliedUpTo(domain.getAggregateIdentifier(), domain.getSequenceNumber()))) {
                    // delivered again after it was applied (ProcessedEvents stops the known way; this is the
                    // last line): the view holds it, and its stream is not set aside for it
                    resolved(unitOfWork, message);
                    unitOfWork.afterCommit(u -> log.warn("event {} ({}) of stream {} at sequence {} came again after the view "
                                    + "had applied it, and was not applied again: {}", message.getIdentifier(),
                            message.getPayloadType().getSimpleName(), domain.getAggregateIdentifier(), domain.getSequenceNumber(),
                            Quarantine.describe(e)));
                    return null;
                }
                quarantine.add(domain, e);
                quarantinedInBatch(unitOfWork).add(domain.getAggregateIdentifier());
                pending(unitOfWork).merge(domain.getAggregateIdentifier(), domain.getSequenceNumber(), Math::max);
                resolved(unitOfWork, message);
                unitOfWork.afterCommit(u -> log.error("the view could not apply event {} ({}) of stream {} at sequence {}: "
                                + "the stream is quarantined (its reads answer 503) until it is retried: {}",
                        message.getIdentifier(), message.getPayloadType().getSimpleName(), domain.getAggregateIdentifier(),
                        domain.getSequenceNumber(), Quarantine.describe(e)));
                return null;
            }
            if (domain != null && suspects.size() < MAX_SUSPECTS) {
                suspects.put(message.getIdentifier(), Boolean.TRUE);
                suspected.incrementAndGet();
            }
            // the processor stops on it and retries it (never skips it): until it is applied, the view is in error
            failure.updateAndGet(before -> before != null && before.eventId().equals(message.getIdentifier()) ? before
                    : new Failure(message.getIdentifier(), message.getPayloadType().getSimpleName(),
                    message instanceof DomainEventMessage<?> d ? d.getAggregateIdentifier() : null,
                    message instanceof DomainEventMessage<?> d ? d.getSequenceNumber() : -1,
                    e.getClass().getSimpleName(), Instant.now()));
            throw e;
        }
    }

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ViewPositions.class);
    /** Events that failed once, to be applied inside a savepoint when they come again; bounded. */
    private static final int MAX_SUSPECTS = 10_000;
    private final Map<String, Boolean> suspects = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String QUARANTINED = ViewPositions.class.getName() + ".quarantined";

    private void resolved(UnitOfWork<?> unitOfWork, EventMessage<?> message) {
        if (suspects.containsKey(message.getIdentifier())) {
            unitOfWork.afterCommit(u -> suspects.remove(message.getIdentifier()));
        }
        Failure failed = failure.get();
        if (failed != null && failed.eventId().equals(message.getIdentifier())) {
            unitOfWork.afterCommit(u -> failure.compareAndSet(failed, null));
        }
    }

    /** Whether this batch has applied the event's stream up to it (its positions are recorded as the batch commits). */
    private boolean appliedInBatch(UnitOfWork<?> unitOfWork, DomainEventMessage<?> event) {
        Long seq = pending(unitOfWork).get(event.getAggregateIdentifier());
        return seq != null && seq >= event.getSequenceNumber();
    }

    /**
     * Whether the view has applied the stream's events up to {@code sequence}: its recorded
     * position, written in the transaction that applied them.
     */
    private boolean appliedUpTo(String aggregateId, long sequence) {
        List<Long> seq = jdbc.queryForList("select seq from view_position where aggregate_id = ?", Long.class, aggregateId);
        return !seq.isEmpty() && seq.get(0) >= sequence;
    }

    /** The quarantined streams as this batch began (one query per batch), plus those it quarantined. */
    private Set<String> quarantinedInBatch(UnitOfWork<?> unitOfWork) {
        if (quarantinedHere != null) {
            return quarantinedHere; // a rebuild: the only writer of its twin table, kept in memory
        }
        return unitOfWork.root().getOrComputeResource(QUARANTINED, key -> quarantine.ids());
    }

    private boolean held(UnitOfWork<?> unitOfWork, DomainEventMessage<?> event) {
        Set<String> quarantined = quarantinedInBatch(unitOfWork);
        if (quarantined.isEmpty() || !quarantined.contains(event.getAggregateIdentifier())) {
            return false;
        }
        if (quarantine.hold(event.getAggregateIdentifier(), event.getSequenceNumber())) {
            return true;
        }
        quarantined.remove(event.getAggregateIdentifier()); // retried by an operator since the batch began
        return false;
    }

    /** An event the view failed to apply: what health shows until it has been applied. */
    public record Failure(String eventId, String eventType, String aggregateId, long sequence, String cause, Instant at) {
    }

    /**
     * The last event this node failed to apply, unless it has been applied since (here, or by
     * whichever node took its segment over).
     */
    public Optional<Failure> unresolvedFailure() {
        Failure failed = failure.get();
        if (failed == null) {
            return Optional.empty();
        }
        if (failed.aggregateId() != null) {
            if (appliedUpTo(failed.aggregateId(), failed.sequence())) {
                failure.compareAndSet(failed, null);
                return Optional.empty();
            }
        }
        return Optional.of(failed);
    }

    private static final String PENDING = ViewPositions.class.getName() + ".pending";
    private static final String SAVEPOINTS = ViewPositions.class.getName() + ".savepoints";
    /**
     * Savepoints of applied events a batch keeps before releasing them. Releasing one costs a
     * round trip to the database; releasing the oldest releases every later one with it, and the
     * commit releases them all. A failing event only needs its own savepoint (rolling back to it
     * keeps the earlier ones), so they are released in bulk, every this many events.
     */
    private static final int SAVEPOINTS_KEPT = 16;

    /** The savepoint of an event applied without failing: kept, and released with others (see above). */
    private void applied(UnitOfWork<?> unitOfWork, java.sql.Savepoint savepoint) {
        List<java.sql.Savepoint> kept = unitOfWork.root().getOrComputeResource(SAVEPOINTS, key -> new java.util.ArrayList<>());
        kept.add(savepoint);
        if (kept.size() >= SAVEPOINTS_KEPT) {
            quarantine.releaseSavepoint(kept.get(0)); // and every later one
            kept.clear();
        }
    }

    /**
     * The highest sequence per aggregate applied in this batch: written once per aggregate when the
     * batch commits (in its transaction, before the commit), not once per event.
     */
    private Map<String, Long> pending(UnitOfWork<?> unitOfWork) {
        UnitOfWork<?> root = unitOfWork.root();
        return root.getOrComputeResource(PENDING, key -> {
            Map<String, Long> positions = new LinkedHashMap<>();
            root.onPrepareCommit(u -> record(positions));
            // at clean-up, not after commit: Axon runs after-commit handlers last-registered first,
            // so the processor's own (which advances the segment's position) would run after ours
            root.onCleanup(u -> wakeWaiters());
            return positions;
        });
    }

    private void record(Map<String, Long> positions) {
        if (positions.isEmpty()) {
            return;
        }
        List<Map.Entry<String, Long>> entries = List.copyOf(positions.entrySet());
        if (upserts()) {
            // one statement per aggregate, one round trip for the batch: a batch of the live view
            // on PostgreSQL was one round trip for the updates and, as most batches hold a new
            // stream (each meeting token is one), another for the inserts (issue 18)
            jdbc.batchUpdate("insert into view_position (aggregate_id, seq) values (?, ?) on conflict (aggregate_id) "
                            + "do update set seq = greatest(view_position.seq, excluded.seq)",
                    entries.stream().map(e -> new Object[]{e.getKey(), e.getValue()}).toList());
            return;
        }
        // never backwards (an event applied again after a retry); a row is counted as updated even
        // when its value stays, so 0 means the stream has no row yet
        int[] updated = jdbc.batchUpdate("update view_position set seq = greatest(seq, ?) where aggregate_id = ?",
                entries.stream().map(e -> new Object[]{e.getValue(), e.getKey()}).toList());
        List<Object[]> inserts = new java.util.ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            if (updated[i] == 0) {
                // one aggregate's events are applied in order by one segment: no concurrent insert
                inserts.add(new Object[]{entries.get(i).getKey(), entries.get(i).getValue()});
            }
        }
        if (!inserts.isEmpty()) {
            jdbc.batchUpdate("insert into view_position (aggregate_id, seq) values (?, ?)", inserts);
        }
    }

    /** Whether the database is PostgreSQL, which upserts (H2 in the same process gains nothing from it); read once. */
    private volatile Boolean upserts;

    private boolean upserts() {
        Boolean known = upserts;
        if (known == null) {
            known = Boolean.TRUE.equals(jdbc.execute((org.springframework.jdbc.core.ConnectionCallback<Boolean>) c ->
                    c.getMetaData().getDatabaseProductName().startsWith("PostgreSQL")));
            upserts = known;
        }
        return known;
    }

    private void wakeWaiters() {
        synchronized (applied) {
            applied.notifyAll();
        }
    }

    /**
     * Whether the view includes the write the token names <em>and every write stored before it</em>
     * (SpiceDB's "at least as fresh"): an admin who creates a room, then issues a token for it and
     * checks with the token's consistency token must not be told the room does not exist. Events
     * of other aggregates are applied by other segments (or nodes), in no order relative to the
     * token's aggregate, so the token's aggregate alone is not enough: every stored event up to the
     * write's global position must be in the view ({@link #includesUpTo}).
     */
    public boolean includes(ConsistencyToken token) {
        if (!appliedUpTo(token.aggregateId(), token.sequence())) {
            return false; // the write itself is not in the view yet
        }
        List<Long> at = jdbc.queryForList("select global_index from domain_event_entry where aggregate_identifier = ? "
                + "and sequence_number = ?", Long.class, token.aggregateId(), token.sequence());
        if (at.isEmpty()) {
            return true; // no such stored event to be fresher than: its aggregate's position is all there is
        }
        return includesUpTo(at.get(0));
    }

    /**
     * Returns once the view is as fresh as the request asked: at once for
     * {@code minimize-latency}, once it includes the token's write for a consistency token, and
     * by default once it includes every write acknowledged before this call (see
     * {@link #includesUpTo}). A wait that outlasts {@code roomgate.consistency.max-wait} is
     * a 503 {@code consistency-timeout}: never a stale answer.
     */
    public void await(ReadConsistency consistency) {
        switch (consistency.level()) {
            case MINIMIZE_LATENCY -> {
            }
            case AT_LEAST_AS_FRESH -> {
                ConsistencyToken token = consistency.token();
                awaitUntil(() -> includes(token));
            }
            case FULL -> {
                long head = storeHead();
                if (head >= 0) {
                    awaitUntil(() -> includesUpTo(head));
                }
            }
        }
    }

    /**
     * The store's newest global position, read now. Every write acknowledged before this call
     * has committed, so its events are at or below it; a transaction that holds a lower position
     * and commits later was not acknowledged yet.
     */
    long storeHead() {
        if (storeHead != null) {
            return storeHead.getAsLong();
        }
        Long head = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
        return head == null ? -1 : head;
    }

    /**
     * A command's acknowledgement waits here until this node's view has applied its events, so
     * that a read after it waits for nothing. Bounded by {@code acknowledgeWait}, and not at all
     * while the view is in error: the write is durable either way, and a read then waits (or
     * answers 503) on its own.
     */
    @Override
    public void awaitVisible(long position) {
        if (position < 0 || failure.get() != null) {
            return;
        }
        waitFor(() -> includesUpTo(position) || failure.get() != null, acknowledgeWait);
    }

    /**
     * Whether the view includes every event stored at or below {@code position} (a transaction
     * that holds a lower position and commits later was not acknowledged when the caller read
     * {@code position}). Read off the view processor's segments: this node's in memory (Axon
     * advances a segment's position once its batch has committed, or at once for events that
     * were not the segment's to apply), other nodes' off the token store.
     * <ul>
     * <li>Below every segment's first gap the answer is yes and cannot change any more: it is
     * remembered ({@link #coveredUpTo}), so a read that asks about an older position asks
     * nothing.</li>
     * <li>With every segment on this node, the in-memory positions are exact: every segment must
     * have reached {@code position}, and none of the positions it still waits for (its gaps) at or
     * below it may hold a stored event.</li>
     * <li>A segment on another node stores its position when it applies a batch, but only every
     * few seconds for events that were not its to apply, so its stored position may lag: then the
     * events stored in between are checked one by one against {@code view_position}, which the
     * view writes in the transaction that applies each event.</li>
     * </ul>
     */
    boolean includesUpTo(long position) {
        if (position <= coveredUpTo.get()) {
            return true;
        }
        Map<Integer, TrackingToken> tokens = new java.util.HashMap<>();
        double claimed = 0;
        Optional<PooledStreamingEventProcessor> local = processor.get();
        if (local.isPresent()) {
            for (var status : local.get().processingStatus().values()) {
                if (!status.isErrorState()) {
                    tokens.put(status.getSegment().getSegmentId(), status.getTrackingToken());
                    claimed += 1.0 / (status.getSegment().getMask() + 1);
                }
            }
        }
        boolean allLocal = claimed > 0.999_999;
        allSegmentsLocal = allLocal;
        if (!allLocal) {
            List<Map.Entry<Integer, TrackingToken>> stored = jdbc.query(
                    "select segment, token, token_type from token_entry where processor_name = ?",
                    (rs, i) -> {
                        byte[] bytes = rs.getBytes(2);
                        String type = rs.getString(3);
                        TrackingToken t = bytes == null || type == null ? null
                                : serializer.<byte[], TrackingToken>deserialize(new SimpleSerializedObject<>(bytes, byte[].class, type, null));
                        return new java.util.AbstractMap.SimpleEntry<>(rs.getInt(1), t);
                    }, JoinEligibilityProjection.GROUP);
            if (stored.isEmpty()) {
                return false; // the processor has not started anywhere yet
            }
            for (Map.Entry<Integer, TrackingToken> e : stored) {
                tokens.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        long lowest = Long.MAX_VALUE;
        boolean reached = true;
        java.util.TreeSet<Long> waitingFor = new java.util.TreeSet<>();
        for (TrackingToken token : tokens.values()) {
            TrackingToken lower = token == null ? null : WrappedToken.unwrapLowerBound(token);
            if (lower instanceof GapAwareTrackingToken gapAware) {
                long index = gapAware.getIndex();
                java.util.SortedSet<Long> gaps = gapAware.getGaps();
                lowest = Math.min(lowest, gaps.isEmpty() ? index : gaps.first() - 1);
                reached &= index >= position;
                waitingFor.addAll(gaps.headSet(position + 1));
            } else if (lower != null && lower.position().isPresent()) {
                long index = lower.position().getAsLong();
                lowest = Math.min(lowest, index);
                reached &= index >= position;
            } else {
                lowest = -1; // a segment that has applied nothing yet
                reached = false;
            }
        }
        if (tokens.isEmpty()) {
            return false;
        }
        long known = lowest;
        coveredUpTo.accumulateAndGet(known, Math::max);
        if (position <= known) {
            return true;
        }
        if (allLocal) {
            // a gap is a transaction that had not committed when the segment read past it: one
            // that has committed since must be applied first; one still open was not acknowledged
            return reached && noneStored(waitingFor);
        }
        return appliedBetween(Math.max(known, -1), position);
    }

    private boolean noneStored(java.util.SortedSet<Long> positions) {
        for (List<Long> chunk : chunks(List.copyOf(positions), 500)) {
            String in = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            Integer stored = jdbc.queryForObject("select count(*) from domain_event_entry where global_index in (" + in + ")",
                    Integer.class, chunk.toArray());
            if (stored != null && stored > 0) {
                return false;
            }
        }
        return true;
    }

    /** Whether every event the view applies stored after {@code from} up to {@code to} is in {@code view_position}. */
    private boolean appliedBetween(long from, long to) {
        if (to - from > MAX_SCAN) {
            return false; // far behind: wait for the tokens to move rather than read that much
        }
        Long firstMissing = jdbc.queryForObject("select min(e.global_index) from domain_event_entry e "
                + "left join view_position p on p.aggregate_id = e.aggregate_identifier "
                + "where e.global_index > ? and e.global_index <= ? and (p.seq is null or p.seq < e.sequence_number) "
                + "and e.payload_type in (" + HANDLED_TYPES + ")", Long.class, from, to);
        return firstMissing == null;
    }

    private static <T> List<List<T>> chunks(List<T> all, int size) {
        List<List<T>> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < all.size(); i += size) {
            chunks.add(all.subList(i, Math.min(all.size(), i + size)));
        }
        return chunks;
    }

    private void awaitUntil(java.util.function.BooleanSupplier fresh) {
        if (fresh.getAsBoolean()) {
            return; // the common case: nothing to wait for, no permit taken
        }
        // each waiting read holds a worker thread: past the cap a read is refused at once (issue 16,
        // row 7: 250 reads waiting for a write that never came held 250 workers for 2 s each)
        if (!waiting.tryAcquire()) {
            throw new ViewBehind("too many reads are waiting for the view to catch up (" + maxWaiting + "); retry shortly", true);
        }
        try {
            if (!waitFor(fresh, maxWait)) {
                throw new ViewBehind("the view has not caught up with the writes this read must see within "
                        + maxWait.toMillis() + " ms; retry", false);
            }
        } finally {
            waiting.release();
        }
    }

    /** Reads waiting for the view at most at once (each holds a worker thread while it waits). */
    private volatile int maxWaiting = 128;
    private volatile java.util.concurrent.Semaphore waiting = new java.util.concurrent.Semaphore(128);

    /** Sets how many reads may wait for the view at once ({@code roomgate.consistency.max-waiting}). */
    public ViewPositions withMaxWaiting(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("roomgate.consistency.max-waiting must be at least 1");
        }
        this.maxWaiting = max;
        this.waiting = new java.util.concurrent.Semaphore(max);
        return this;
    }

    /**
     * Waits until {@code done} holds, woken by this node's view commits and looking again every
     * poll (in memory when this node holds every segment, else off the store); false if the bound
     * passed or the thread was interrupted first.
     */
    private boolean waitFor(java.util.function.BooleanSupplier done, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (applied) {
                try {
                    applied.wait(Math.max(1, Math.min(allSegmentsLocal ? LOCAL_POLL_MILLIS : POLL_MILLIS, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return true;
    }
}
