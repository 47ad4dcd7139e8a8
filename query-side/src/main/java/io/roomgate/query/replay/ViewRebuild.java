package io.roomgate.query.replay;

import io.roomgate.access.Rejected;
import io.roomgate.query.view.BufferedRows;
import io.roomgate.query.view.JoinEligibilityProjection;
import io.roomgate.query.view.ViewPositions;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.UnableToClaimTokenException;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds the join-eligibility view from the first event while the old view keeps answering:
 * build beside, then switch.
 *
 * <ol>
 * <li>The rebuild reads the event store from the beginning on its own stream and applies every
 * event with the view's own code ({@link JoinEligibilityProjection}, {@link ViewPositions}) to
 * the {@code rebuild_view_*} twins, in batches, one transaction each. The live processor goes
 * on updating the live view meanwhile, so join checks, consistency tokens and time travel are
 * answered from the old view, fully current.</li>
 * <li>Caught up with the head of the store, it stops this node's live processor, applies what
 * arrived since, and in one transaction replaces the view's rows with the rebuilt ones and sets
 * every segment's token to the rebuild's position; then starts the processor again, which goes
 * on from there. Readers see the old view until that commit and the new one after it; during
 * the switch the view does not advance, so a consistency-token wait may take that long.</li>
 * </ol>
 *
 * Only one rebuild of a view runs at a time in the whole deployment ({@code projection_rebuild}
 * row, with a heartbeat so a dead node's rebuild can be taken over). The switch must claim
 * every segment of the processor: every node watches that row and stops its own processor while
 * another node switches, and starts it again afterwards (see docs/replay.md).
 */
public class ViewRebuild implements org.springframework.context.SmartLifecycle {

    public static final String STATE_IDLE = "idle";
    public static final String STATE_REBUILDING = "rebuilding";
    public static final String STATE_SWITCHING = "switching";
    public static final String STATE_DONE = "done";
    public static final String STATE_FAILED = "failed";

    private static final Logger log = LoggerFactory.getLogger(ViewRebuild.class);

    /** Settings; the defaults suit the embedded app. */
    public record Settings(int batchSize, Duration logInterval, Duration staleAfter, int segments,
                           Duration pollInterval, Duration claimWait) {
    }

    private final String name;
    private final EventStore eventStore;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final EventProcessingConfiguration processing;
    private final TokenStore tokenStore;
    private final Clock clock;
    private final String node;
    private final Settings settings;
    private final RebuildTables tables;
    /** Writes to the twins. */
    private final JdbcTemplate twins;

    private volatile Thread worker;
    private volatile boolean closing;

    public ViewRebuild(EventStore eventStore, JdbcTemplate jdbc, PlatformTransactionManager transactions,
                       EventProcessingConfiguration processing, TokenStore tokenStore, Clock clock, String node,
                       Settings settings) {
        this.name = JoinEligibilityProjection.GROUP;
        this.eventStore = eventStore;
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(transactions);
        this.processing = processing;
        this.tokenStore = tokenStore;
        this.clock = clock;
        this.node = node;
        this.settings = settings;
        this.tables = new RebuildTables(jdbc);
        this.twins = RebuildTables.twinWriter(jdbc.getDataSource());
    }

    public String name() {
        return name;
    }

    /** The rebuild tables do not match the view's (a migration of one without the other): no rebuild can start. */
    public static final class TablesOutOfStep extends IllegalStateException {
        TablesOutOfStep(IllegalStateException cause) {
            super("the rebuild tables do not match the view; see the log", cause);
        }
    }

    /**
     * Starts a rebuild on this node; refused (a conflict) if one is running anywhere, or with
     * {@link TablesOutOfStep} if the rebuild tables do not match the view.
     */
    public synchronized void rebuild() {
        PooledStreamingEventProcessor live = liveProcessor();
        if (live == null) {
            throw Rejected.notFound("projection " + name + " does not run on this node");
        }
        Thread previous = worker;
        if (previous != null && previous.isAlive()) {
            // done, it may still be starting the live processor again: a new rebuild waits for that
            try {
                previous.join(settings.claimWait().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (previous.isAlive()) {
                throw Rejected.conflict("the last rebuild of " + name + " on this node is still finishing; retry");
            }
        }
        try {
            tables.requireTwins();
        } catch (IllegalStateException e) {
            log.error("cannot rebuild {}: {}", name, e.getMessage());
            throw new TablesOutOfStep(e);
        }
        Instant now = clock.instant();
        jdbc.update("insert into projection_rebuild (name, state, events_applied) select ?, ?, 0 "
                + "where not exists (select 1 from projection_rebuild where name = ?)", name, STATE_IDLE, name);
        int claimed = jdbc.update("update projection_rebuild set state = ?, node = ?, started_at = ?, heartbeat_at = ?, "
                        + "finished_at = null, start_position = null, position = null, events_applied = 0, error = null "
                        + "where name = ? and ((state <> ? and state <> ?) or heartbeat_at < ?)",
                STATE_REBUILDING, node, ts(now), ts(now), name, STATE_REBUILDING, STATE_SWITCHING,
                ts(now.minus(settings.staleAfter())));
        if (claimed == 0) {
            throw Rejected.conflict("a rebuild of " + name + " is already running; follow it at "
                    + "GET /v1/admin/projections/" + name + "/status");
        }
        log.info("rebuild of view {} started on {}: building beside the live view from the first event", name, node);
        Thread t = new Thread(this::run, "rebuild-" + name);
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    // ---- lifecycle: stop a running rebuild before Axon stops the processors (it may be switching)

    private volatile boolean lifecycleRunning;
    private java.util.concurrent.ScheduledExecutorService watcher;
    /** True while this node's live processor is stopped for another node's switch. */
    private volatile boolean pausedForOther;

    @Override
    public void start() {
        lifecycleRunning = true;
        watcher = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rebuild-watch-" + name);
            t.setDaemon(true);
            return t;
        });
        long every = settings.pollInterval().toMillis();
        watcher.scheduleWithFixedDelay(this::watchOtherNodes, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        close();
        if (watcher != null) {
            watcher.shutdownNow();
        }
        lifecycleRunning = false;
    }

    /**
     * Another node's switch needs every segment: while a rebuild elsewhere is switching, this
     * node's live processor stops (releasing its segments), and starts again when it is over (or
     * the switching node stopped beating).
     */
    private void watchOtherNodes() {
        try {
            Map<String, Object> row = jdbc.queryForList("select state, node, heartbeat_at from projection_rebuild where name = ?", name)
                    .stream().findFirst().orElse(null);
            Instant heartbeat = row == null ? null : instant(row.get("HEARTBEAT_AT"));
            boolean otherSwitching = row != null && STATE_SWITCHING.equals(row.get("STATE")) && !node.equals(row.get("NODE"))
                    && heartbeat != null && heartbeat.isAfter(clock.instant().minus(settings.staleAfter()));
            PooledStreamingEventProcessor live = liveProcessor();
            if (live == null || closing) {
                return;
            }
            if (otherSwitching && !pausedForOther) {
                log.info("node {} switches in a rebuilt view {}: stopping this node's processor meanwhile", row.get("NODE"), name);
                pausedForOther = true;
                live.shutDown();
            } else if (!otherSwitching && pausedForOther) {
                log.info("the switch of view {} is over: starting this node's processor again", name);
                pausedForOther = false;
                live.start();
            }
        } catch (RuntimeException e) {
            log.debug("rebuild watch of {} skipped: {}", name, e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return lifecycleRunning;
    }

    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1;
    }

    /** Stops a running rebuild (application shutdown); the live view is left as it is. */
    public void close() {
        closing = true;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- the rebuild

    private final class Progress {
        final long startedNanos = System.nanoTime();
        long applied;
        long position = -1;
        TrackingToken token;
        String state = STATE_REBUILDING;
        long nextLogNanos = System.nanoTime() + settings.logInterval().toNanos();
    }

    private void run() {
        Progress progress = new Progress();
        JoinEligibilityProjection projection = new JoinEligibilityProjection(twins);
        AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(projection);
        ViewPositions positions = ViewPositions.recorder(twins);
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null)) {
            tables.clearTwins();
            catchUp(stream, handler, positions, progress, this::head);
            switchOver(stream, handler, positions, progress);
        } catch (Throwable e) {
            if (e instanceof InterruptedException || closing) {
                Thread.currentThread().interrupt();
            }
            String why = closing ? "stopped: the node is shutting down" : e.getClass().getSimpleName() + ": " + e.getMessage();
            log.error("rebuild of view {} failed after {} events; the live view is unchanged: {}", name, progress.applied, why,
                    closing ? null : e);
            finish(STATE_FAILED, progress, why.length() > 1000 ? why.substring(0, 1000) : why);
        } finally {
            if (!STATE_DONE.equals(progress.state)) {
                clearTwins(); // done: emptied already, before the status said so
            }
            worker = null;
        }
    }

    /**
     * Applies the store to the twins until the rebuild's position reaches {@code target} (asked
     * again after every batch: the head moves while commands are served).
     */
    private void catchUp(BlockingStream<TrackedEventMessage<?>> stream, AnnotationEventHandlerAdapter handler,
                         ViewPositions positions, Progress progress, java.util.function.LongSupplier target)
            throws InterruptedException {
        while (true) {
            checkNotClosing();
            List<TrackedEventMessage<?>> batch = poll(stream);
            if (!batch.isEmpty()) {
                apply(batch, handler, positions, progress);
            }
            long head = target.getAsLong();
            if (head == 0 || progress.position >= head) {
                return;
            }
            logProgress(progress, false);
        }
    }

    private void switchOver(BlockingStream<TrackedEventMessage<?>> stream, AnnotationEventHandlerAdapter handler,
                            ViewPositions positions, Progress progress) throws InterruptedException {
        setState(STATE_SWITCHING);
        progress.state = STATE_SWITCHING;
        PooledStreamingEventProcessor live = liveProcessor();
        if (live == null) {
            throw new IllegalStateException("the processor " + name + " is gone");
        }
        long stopped = System.nanoTime();
        log.info("rebuild of view {} caught up at position {}: stopping the live processor to switch", name, progress.position);
        live.shutDown();
        try {
            // what the live processor had not applied when it stopped; later events are its again
            long headAtSwitch = head();
            catchUp(stream, handler, positions, progress, () -> headAtSwitch);
            claimAllSegments();
            TrackingToken token = progress.token;
            tx.executeWithoutResult(s -> {
                tables.copyTwinsToView();
                moveTokens(token);
                setState(STATE_SWITCHING); // heartbeat, in the switch's transaction
            });
            log.info("rebuild of view {} switched in: {} events, position {}, the view was paused for {} ms",
                    name, progress.applied, progress.position, (System.nanoTime() - stopped) / 1_000_000);
        } finally {
            if (!closing) {
                live.start();
            }
        }
        // emptied before the status says done (a node that dies in between leaves them to the next rebuild)
        clearTwins();
        finish(STATE_DONE, progress, null);
        progress.state = STATE_DONE;
        logProgress(progress, true);
    }

    private void clearTwins() {
        try {
            tables.clearTwins();
        } catch (RuntimeException e) {
            log.warn("could not empty the rebuild tables of {}: {}", name, e.getMessage());
        }
    }

    /**
     * Claims every segment of the live processor for this node, waiting (up to the claim wait)
     * while other nodes stop their processors for the switch and release theirs.
     */
    private void claimAllSegments() throws InterruptedException {
        long deadline = System.nanoTime() + settings.claimWait().toNanos();
        while (true) {
            try {
                tx.executeWithoutResult(s -> {
                    for (int segment : tokenStore.fetchSegments(name)) {
                        tokenStore.fetchToken(name, segment); // claims it, or throws if another node holds it
                    }
                });
                return;
            } catch (UnableToClaimTokenException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("other nodes still hold segments of " + name + " after "
                            + settings.claimWait().toSeconds() + " s; the old view stays", e);
                }
                setState(STATE_SWITCHING); // heartbeat: the others keep waiting
                Thread.sleep(200);
            }
        }
    }

    /** Every segment of the live processor continues from the rebuild's position (claimed by this node). */
    private void moveTokens(TrackingToken token) {
        int[] segments = tokenStore.fetchSegments(name);
        if (segments.length == 0) {
            tokenStore.initializeTokenSegments(name, settings.segments(), token);
            return;
        }
        for (int segment : segments) {
            tokenStore.fetchToken(name, segment);
            tokenStore.storeToken(token, name, segment);
            tokenStore.releaseClaim(name, segment);
        }
    }

    private List<TrackedEventMessage<?>> poll(BlockingStream<TrackedEventMessage<?>> stream) throws InterruptedException {
        List<TrackedEventMessage<?>> batch = new ArrayList<>(settings.batchSize());
        if (!stream.hasNextAvailable(100, TimeUnit.MILLISECONDS)) {
            return batch;
        }
        while (batch.size() < settings.batchSize() && stream.hasNextAvailable()) {
            batch.add(stream.nextAvailable());
        }
        return batch;
    }

    private void apply(List<TrackedEventMessage<?>> batch, AnnotationEventHandlerAdapter handler, ViewPositions positions,
                       Progress progress) {
        String state = progress.state;
        for (int attempt = 0; ; attempt++) {
            long suspectedBefore = positions.suspected();
            try {
                applyOnce(batch, handler, positions, progress, state, attempt == 0);
                break;
            } catch (RuntimeException e) {
                if (attempt == 0) {
                    // buffered, a failure may belong to no one event: the batch again, event by event
                    log.info("rebuild of view {}: a batch of {} events failed ({}); applying it event by event",
                            name, batch.size(), e.getClass().getSimpleName());
                    continue;
                }
                // an event that failed for the first time is applied again inside a savepoint, and
                // its stream quarantined in the rebuilt view if it fails again: the rebuild goes on
                if (attempt <= batch.size() && positions.suspected() > suspectedBefore) {
                    continue;
                }
                throw e;
            }
        }
        TrackedEventMessage<?> last = batch.get(batch.size() - 1);
        progress.applied += batch.size();
        progress.token = last.trackingToken();
        progress.position = last.trackingToken().position().orElse(progress.position);
    }

    private void applyOnce(List<TrackedEventMessage<?>> batch, AnnotationEventHandlerAdapter handler, ViewPositions positions,
                           Progress progress, String state, boolean buffered) {
        tx.executeWithoutResult(s -> {
            handle(batch, handler, positions, buffered ? twins : null);
            TrackedEventMessage<?> last = batch.get(batch.size() - 1);
            OptionalLong position = last.trackingToken().position();
            long applied = progress.applied + batch.size();
            int updated = jdbc.update("update projection_rebuild set position = ?, events_applied = ?, heartbeat_at = ?, "
                            + "start_position = coalesce(start_position, ?) where name = ? and node = ? and state = ?",
                    position.orElse(progress.position), applied, ts(clock.instant()), position.orElse(0), name, node, state);
            if (updated == 0) {
                throw new IllegalStateException("the rebuild of " + name + " was taken over by another node");
            }
        });
    }

    /**
     * A batch of events through the same interceptor and handlers as the live processor, on the
     * twins, in one unit of work as the live processor does it: the positions the batch reached
     * are written once per stream at its end, not once per event (issue 18). With {@code buffer}
     * (the twins), the rooms and participants it changes are written once at its end too
     * ({@link BufferedRows}).
     */
    private static void handle(List<TrackedEventMessage<?>> batch, AnnotationEventHandlerAdapter handler,
                               ViewPositions positions, JdbcTemplate buffer) {
        List<EventMessage<?>> handled = batch.stream().<EventMessage<?>>map(e -> e).filter(handler::canHandle).toList();
        if (handled.isEmpty()) {
            return;
        }
        BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(handled);
        if (buffer != null) {
            BufferedRows.bufferFor(unitOfWork, buffer);
        }
        ResultMessage<Object> result = unitOfWork.executeWithResult(
                () -> positions.handle(unitOfWork, () -> handler.handle(unitOfWork.getMessage())),
                RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            Throwable cause = result.exceptionResult();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        }
    }

    private void logProgress(Progress progress, boolean force) {
        long now = System.nanoTime();
        if (!force && now < progress.nextLogNanos) {
            return;
        }
        progress.nextLogNanos = now + settings.logInterval().toNanos();
        long head = head();
        double seconds = Math.max(1e-3, (now - progress.startedNanos) / 1e9);
        double rate = progress.applied / seconds;
        long remaining = Math.max(0, head - Math.max(progress.position, 0));
        log.info("rebuilding view {}: position {} of {} ({}%), {} events applied, {} events/s, ETA {} s",
                name, Math.max(progress.position, 0), head, String.format("%.1f", percent(progress.position, head)),
                progress.applied, Math.round(rate), rate > 0 ? Math.round(remaining / rate) : "?");
    }

    private void finish(String state, Progress progress, String error) {
        jdbc.update("update projection_rebuild set state = ?, finished_at = ?, heartbeat_at = ?, error = ? "
                + "where name = ? and node = ?", state, ts(clock.instant()), ts(clock.instant()), error, name, node);
    }

    private void setState(String state) {
        jdbc.update("update projection_rebuild set state = ?, heartbeat_at = ? where name = ? and node = ?",
                state, ts(clock.instant()), name, node);
    }

    private void checkNotClosing() throws InterruptedException {
        if (closing || Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("closing");
        }
    }

    // ---- status

    /** What {@code GET /v1/admin/projections/{name}/status} shows. */
    public ProjectionStatus status() {
        long head = head();
        Map<String, Object> row = jdbc.queryForList("select state, node, started_at, heartbeat_at, finished_at, start_position, "
                + "position, events_applied, error from projection_rebuild where name = ?", name).stream().findFirst().orElse(null);
        PooledStreamingEventProcessor live = liveProcessor();
        ProjectionStatus.Live liveStatus = live == null ? null : liveStatus(live, head);
        String state = row == null ? STATE_IDLE : ((String) row.get("STATE")).toLowerCase();
        boolean rebuilding = STATE_REBUILDING.equals(state) || STATE_SWITCHING.equals(state);
        if (row == null) {
            Long position = liveStatus == null ? null : liveStatus.position();
            return new ProjectionStatus(name, liveStatus != null && liveStatus.replaying(), state, position, head,
                    percent(position == null ? -1 : position, head), null, null, null, null, null, null, null, liveStatus, List.of());
        }
        Instant started = instant(row.get("STARTED_AT"));
        Instant heartbeat = instant(row.get("HEARTBEAT_AT"));
        Instant finished = instant(row.get("FINISHED_AT"));
        long applied = ((Number) row.get("EVENTS_APPLIED")).longValue();
        Long rebuildPosition = row.get("POSITION") == null ? null : ((Number) row.get("POSITION")).longValue();
        Instant until = finished != null ? finished : rebuilding ? clock.instant() : heartbeat;
        Double rate = started == null || until == null ? null
                : applied / Math.max(1e-3, Duration.between(started, until).toNanos() / 1e9);
        Long position = rebuilding ? (rebuildPosition == null ? 0L : rebuildPosition)
                : liveStatus != null && liveStatus.position() != null ? liveStatus.position() : rebuildPosition;
        Double eta = !rebuilding ? Double.valueOf(0) : rate == null || rate <= 0 ? null
                : round((head - (position == null ? 0 : position)) / rate);
        return new ProjectionStatus(name, rebuilding || (liveStatus != null && liveStatus.replaying()), state,
                position, head, percent(position == null ? -1 : position, head), rate == null ? null : round(rate),
                eta, applied, started, finished, (String) row.get("NODE"), (String) row.get("ERROR"), liveStatus, List.of());
    }

    private static ProjectionStatus.Live liveStatus(PooledStreamingEventProcessor live, long head) {
        Map<Integer, EventTrackerStatus> segments = live.processingStatus();
        Long position = segments.values().stream().map(EventTrackerStatus::getCurrentPosition)
                .filter(OptionalLong::isPresent).map(OptionalLong::getAsLong).min(Long::compare).orElse(null);
        boolean replaying = segments.values().stream().anyMatch(EventTrackerStatus::isReplaying);
        boolean error = segments.values().stream().anyMatch(EventTrackerStatus::isErrorState);
        boolean caughtUp = !segments.isEmpty() && segments.values().stream().allMatch(EventTrackerStatus::isCaughtUp)
                && position != null && position >= head;
        return new ProjectionStatus.Live(live.isRunning(), segments.size(), position, caughtUp, replaying, error);
    }

    long head() {
        Long head = jdbc.queryForObject("select max(global_index) from domain_event_entry", Long.class);
        return head == null ? 0 : head;
    }

    private PooledStreamingEventProcessor liveProcessor() {
        return processing.eventProcessor(name, PooledStreamingEventProcessor.class).orElse(null);
    }

    private static double percent(long position, long head) {
        if (head <= 0) {
            return 100.0;
        }
        return round(100.0 * Math.min(Math.max(position, 0), head) / head);
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }

    private static Timestamp ts(Instant at) {
        return Timestamp.from(at);
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Instant i) {
            return i;
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
