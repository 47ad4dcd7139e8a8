package io.roomgate.query.web;

import io.roomgate.edge.ApiException;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import io.roomgate.query.view.KnockReader;
import io.roomgate.query.view.Quarantine;
import io.roomgate.query.view.RoomReader;
import io.roomgate.query.view.ReadConsistency;
import io.roomgate.query.view.ViewPositions;
import io.roomgate.query.view.ViewRoom;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.time.Clock;

/** Knocks as the join server follows them: status, an owner's waiting list, and both live (SSE). */
@RestController
@RequiresScope(Scope.JOIN)
public class KnockQueryController {

    private final RoomReader rooms;
    private final KnockReader knocks;
    private final Quarantine quarantine;
    private final ViewPositions positions;
    private final KnockFeeds feeds;
    private final Clock clock;

    public KnockQueryController(RoomReader rooms, KnockReader knocks, Quarantine quarantine, ViewPositions positions,
                                KnockFeeds feeds, Clock clock) {
        this.rooms = rooms;
        this.knocks = knocks;
        this.quarantine = quarantine;
        this.positions = positions;
        this.feeds = feeds;
        this.clock = clock;
    }

    @GetMapping("/v1/knocks/{knockId}")
    public KnockFeeds.KnockView status(@PathVariable String knockId,
                                      ReadConsistency consistency) {
        positions.await(consistency);
        knocks.knock(knockId).ifPresent(k -> quarantine.requireNone(k.roomName()));
        return feeds.knockStatus(knockId).orElseThrow(() -> ApiException.notFound("knock not found"));
    }

    @GetMapping("/v1/rooms/{name}/knocks")
    public KnockFeeds.WaitingList waiting(@PathVariable String name,
                                       ReadConsistency consistency) {
        positions.await(consistency);
        quarantine.requireNone(name);
        ViewRoom room = rooms.liveRoom(name).orElseThrow(() -> ApiException.notFound("room not found"));
        return feeds.waitingList(room);
    }

    @GetMapping(value = "/v1/knocks/{knockId}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter followKnock(@PathVariable String knockId, ReadConsistency consistency) {
        positions.await(consistency); // the feed's first answer is as fresh as any read
        knocks.knock(knockId).ifPresent(k -> quarantine.requireNone(k.roomName()));
        if (feeds.knockStatus(knockId).isEmpty()) {
            throw ApiException.notFound("knock not found");
        }
        return feeds.followKnock(knockId);
    }

    @GetMapping(value = "/v1/rooms/{name}/knocks/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter followRoom(@PathVariable String name, ReadConsistency consistency) {
        positions.await(consistency);
        quarantine.requireNone(name);
        ViewRoom room = rooms.liveRoom(name).orElseThrow(() -> ApiException.notFound("room not found"));
        return feeds.followRoom(room);
    }
}
