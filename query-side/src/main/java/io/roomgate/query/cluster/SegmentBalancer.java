package io.roomgate.query.cluster;

import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Spreads the view's segments over the query nodes that are alive. Each node records a
 * heartbeat; a node holding more than its fair share (segments / live nodes, rounded up)
 * releases one for a while, and Axon's coordinator on a node with room claims it. Claiming
 * itself stays Axon's: this only decides when to let go.
 */
public class SegmentBalancer {

    private static final Logger log = LoggerFactory.getLogger(SegmentBalancer.class);

    private final JdbcTemplate jdbc;
    private final EventProcessingConfiguration processing;
    private final String processorName;
    private final String nodeId;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public SegmentBalancer(JdbcTemplate jdbc, EventProcessingConfiguration processing, String processorName,
                           String nodeId, Duration interval) {
        this.jdbc = jdbc;
        this.processing = processing;
        this.processorName = processorName;
        this.nodeId = nodeId;
        this.interval = interval;
    }

    public void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "segment-balancer");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::balanceQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
        try {
            jdbc.update("delete from query_node where node_id = ?", nodeId);
        } catch (RuntimeException e) {
            log.debug("could not remove the heartbeat of {}: {}", nodeId, e.getClass().getSimpleName());
        }
    }

    private void balanceQuietly() {
        try {
            balance();
        } catch (RuntimeException e) {
            log.debug("segment balancing skipped: {}", e.getClass().getSimpleName());
        }
    }

    void balance() {
        Instant now = Instant.now();
        if (jdbc.update("update query_node set heartbeat_at = ? where node_id = ?", Timestamp.from(now), nodeId) == 0) {
            jdbc.update("insert into query_node (node_id, heartbeat_at) values (?, ?)", nodeId, Timestamp.from(now));
        }
        Timestamp stale = Timestamp.from(now.minus(interval.multipliedBy(5)));
        jdbc.update("delete from query_node where heartbeat_at < ?", stale);
        Integer live = jdbc.queryForObject("select count(*) from query_node", Integer.class);
        Integer segments = jdbc.queryForObject("select count(*) from token_entry where processor_name = ?", Integer.class, processorName);
        PooledStreamingEventProcessor processor = processing
                .eventProcessor(processorName, PooledStreamingEventProcessor.class).orElse(null);
        if (processor == null || live == null || segments == null || live < 2 || segments < 2) {
            return;
        }
        int fairShare = (segments + live - 1) / live;
        var owned = processor.processingStatus().keySet();
        if (owned.size() > fairShare) {
            int release = owned.stream().max(Integer::compare).orElseThrow();
            log.info("node {} holds {} of {} segments with {} nodes alive: releasing segment {}",
                    nodeId, owned.size(), segments, live, release);
            processor.releaseSegment(release, interval.toMillis() * 3, TimeUnit.MILLISECONDS);
        }
    }
}
