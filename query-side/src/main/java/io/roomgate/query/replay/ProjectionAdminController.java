package io.roomgate.query.replay;

import io.roomgate.edge.ApiException;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Rebuilding a view from the event store: {@code POST /v1/admin/projections/{name}/replay}
 * starts it (202 with the status), {@code GET /v1/admin/projections/{name}/status} follows it.
 * The one view is {@code join-eligibility}; any other name is a 404.
 */
@RestController
@RequiresScope(Scope.ADMIN)
public class ProjectionAdminController {

    private final Map<String, ViewRebuild> rebuilds;
    private final io.roomgate.query.view.Quarantine quarantine;
    private final io.roomgate.query.view.QuarantineRetry retry;

    public ProjectionAdminController(List<ViewRebuild> rebuilds, io.roomgate.query.view.Quarantine quarantine,
                                     io.roomgate.query.view.QuarantineRetry retry) {
        this.rebuilds = rebuilds.stream().collect(Collectors.toMap(ViewRebuild::name, Function.identity()));
        this.quarantine = quarantine;
        this.retry = retry;
    }

    /** The streams the view could not apply and set aside: reads about them answer 503 until retried. */
    @GetMapping("/v1/admin/projections/{name}/quarantine")
    public QuarantineList quarantine(@PathVariable String name) {
        find(name);
        List<QuarantinedStream> data = quarantine.all().stream().map(QuarantinedStream::of).toList();
        return new QuarantineList(data.size(), data);
    }

    /** A stream set aside: which room, the event that failed and why, how many more are held, since when. */
    public record QuarantinedStream(String stream, String roomName, String eventId, String eventType, long sequence,
                                    long heldEvents, String cause, String since) {
        static QuarantinedStream of(io.roomgate.query.view.Quarantine.Entry e) {
            return new QuarantinedStream(e.aggregateId(), e.roomName(), e.eventId(), e.eventType(), e.firstSequence(), e.held(),
                    e.cause(), e.since().toString());
        }
    }

    public record QuarantineList(int totalCount, List<QuarantinedStream> data) {
    }

    /** A retry that applied the stream's held events: its quarantine has ended. */
    public record Retried(String stream, String roomName, long eventsApplied, boolean quarantined) {
    }

    /**
     * Applies a quarantined stream's held events again (after the cause is fixed) and, if they
     * apply, ends its quarantine; 409 with the cause if they still fail (nothing changes then).
     */
    @PostMapping("/v1/admin/projections/{name}/quarantine/{stream}/retry")
    public Retried retry(@PathVariable String name, @PathVariable String stream) {
        find(name);
        io.roomgate.edge.Text.requireSafe("stream", stream, false);
        var result = retry.retry(stream);
        return new Retried(result.aggregateId(), result.roomName(), result.eventsApplied(), false);
    }

    @PostMapping("/v1/admin/projections/{name}/replay")
    public ResponseEntity<ProjectionStatus> replay(@PathVariable String name) {
        ViewRebuild rebuild = find(name);
        try {
            rebuild.rebuild();
        } catch (ViewRebuild.TablesOutOfStep e) {
            throw new ApiException(500, "server-error", e.getMessage());
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(rebuild.status().withQuarantined(
                quarantine.all().stream().map(io.roomgate.query.view.Quarantine.Entry::describe).toList()));
    }

    @GetMapping("/v1/admin/projections/{name}/status")
    public ProjectionStatus status(@PathVariable String name) {
        return find(name).status().withQuarantined(
                quarantine.all().stream().map(io.roomgate.query.view.Quarantine.Entry::describe).toList());
    }

    private ViewRebuild find(String name) {
        ViewRebuild rebuild = rebuilds.get(name);
        if (rebuild == null) {
            throw ApiException.notFound("no projection named " + name + "; there is " + String.join(", ", rebuilds.keySet()));
        }
        return rebuild;
    }
}
