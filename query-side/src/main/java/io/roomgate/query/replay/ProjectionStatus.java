package io.roomgate.query.replay;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.time.Instant;

/**
 * A view's rebuild progress, as {@code GET /v1/admin/projections/{name}/status} shows it.
 *
 * @param replaying       true while a rebuild runs (or Axon replays the processor's tokens)
 * @param state           {@code idle} (never rebuilt), {@code rebuilding}, {@code switching},
 *                        {@code done} or {@code failed} (then {@code error} says why)
 * @param position        while rebuilding, the global index the rebuild has applied; otherwise
 *                        the live processor's (its slowest segment on this node)
 * @param head            the highest global index in the event store
 * @param percent         position / head, in percent
 * @param eventsPerSecond the rebuild's average rate
 * @param etaSeconds      the time left at that rate (0 when not rebuilding)
 * @param eventsApplied   how many events the rebuild applied
 * @param node            the node running (or that ran) the rebuild
 * @param live            the live processor on this node
 * @param quarantined     the streams the view could not apply and set aside (reads about them
 *                        answer 503 until an operator retries them): which room, which event, why
 */
@JsonPropertyOrder({"name", "replaying", "state", "position", "head", "percent", "events_per_second", "eta_seconds",
        "events_applied", "started_at", "finished_at", "node", "error", "live", "quarantined"})
public record ProjectionStatus(String name, boolean replaying, String state, Long position, long head, double percent,
                               Double eventsPerSecond, Double etaSeconds, Long eventsApplied, Instant startedAt,
                               Instant finishedAt, String node, String error, Live live,
                               java.util.List<java.util.Map<String, Object>> quarantined) {

    public ProjectionStatus withQuarantined(java.util.List<java.util.Map<String, Object>> streams) {
        return new ProjectionStatus(name, replaying, state, position, head, percent, eventsPerSecond, etaSeconds, eventsApplied,
                startedAt, finishedAt, node, error, live, streams);
    }

    /** The live processor of the view on this node. */
    public record Live(boolean running, int claimedSegments, Long position, boolean caughtUp, boolean replaying,
                       boolean error) {
    }
}
