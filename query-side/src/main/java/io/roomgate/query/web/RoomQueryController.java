package io.roomgate.query.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.DailyRooms;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import io.roomgate.query.view.JoinView;
import io.roomgate.query.view.ReadConsistency;
import io.roomgate.query.view.ViewPositions;
import io.roomgate.query.view.ViewRoom;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Daily's room reads: list, get, presence. Answered from the view. */
@RestController
public class RoomQueryController {

    static final int MAX_LIMIT = 100;

    private final JoinView view;
    private final ViewPositions positions;
    private final Clock clock;
    private final String urlBase;

    public RoomQueryController(JoinView view, ViewPositions positions, Clock clock,
                               @Value("${roomgate.room-url-base}") String urlBase) {
        this.view = view;
        this.positions = positions;
        this.clock = clock;
        this.urlBase = urlBase;
    }

    @GetMapping("/v1/rooms")
    @RequiresScope(Scope.ADMIN)
    public Map<String, Object> list(@RequestParam(required = false) Integer limit,
                                    @RequestParam(name = "starting_after", required = false) String startingAfter,
                                    @RequestParam(name = "ending_before", required = false) String endingBefore,
                                    ReadConsistency consistency) {
        int n = limit == null ? MAX_LIMIT : limit;
        if (n < 1 || n > MAX_LIMIT) {
            throw ApiException.invalidRequest("limit must be between 1 and " + MAX_LIMIT);
        }
        if (startingAfter != null && endingBefore != null) {
            throw ApiException.invalidRequest("give starting_after or ending_before, not both");
        }
        positions.await(consistency);
        // every page newest first, the OLDEST page included (Daily's order)
        List<ObjectNode> data = view.rooms(n, startingAfter, endingBefore).stream()
                .sorted(java.util.Comparator.comparing(ViewRoom::createdAt).thenComparing(ViewRoom::roomId).reversed())
                .map(this::render).toList();
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("total_count", view.liveRoomCount());
        page.put("data", data);
        return page;
    }

    @GetMapping("/v1/rooms/{name}")
    @RequiresScope(Scope.ADMIN)
    public ObjectNode get(@PathVariable String name,
                          ReadConsistency consistency) {
        positions.await(consistency);
        view.quarantine().requireNone(name);
        return render(live(name));
    }

    @GetMapping("/v1/rooms/{name}/presence")
    @RequiresScope({Scope.ADMIN, Scope.JOIN})
    public Map<String, Object> presence(@PathVariable String name,
                                        @RequestParam(required = false) Integer limit,
                                        @RequestParam(name = "userId", required = false) String userId,
                                        @RequestParam(name = "userName", required = false) String userName,
                                        ReadConsistency consistency) {
        if (limit != null && limit < 1) {
            throw ApiException.invalidRequest("limit must be at least 1");
        }
        positions.await(consistency);
        view.quarantine().requireNone(name);
        ViewRoom room = live(name);
        Instant now = clock.instant();
        // Daily's filters: userId, userName; total_count counts every match, limit cuts the list
        var matching = view.present(room.roomId()).stream()
                .filter(p -> userId == null || userId.equals(p.userId()))
                .filter(p -> userName == null || userName.equals(p.userName()))
                .toList();
        List<Map<String, Object>> data = matching.stream().limit(limit == null ? Long.MAX_VALUE : limit)
                .map(p -> presence(room, p, now)).toList();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("total_count", matching.size());
        answer.put("data", data);
        return answer;
    }

    /**
     * Daily's {@code GET /presence}: everyone in every room, as a map from room name to the
     * room's participants (rooms without anyone are left out), each as in a room's presence.
     */
    @GetMapping("/v1/presence")
    @RequiresScope({Scope.ADMIN, Scope.JOIN})
    public Map<String, List<Map<String, Object>>> presenceEverywhere(ReadConsistency consistency) {
        positions.await(consistency);
        Instant now = clock.instant();
        Map<String, List<Map<String, Object>>> byRoom = new LinkedHashMap<>();
        for (JoinView.Presence p : view.presentEverywhere()) {
            byRoom.computeIfAbsent(p.room().name(), n -> new java.util.ArrayList<>()).add(presence(p.room(), p.participant(), now));
        }
        return byRoom;
    }

    /** One participant as Daily's presence lists them, with roomgate's owner and ejection facts. */
    private static Map<String, Object> presence(ViewRoom room, JoinView.ViewParticipant p, Instant now) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("room", room.name());
        entry.put("id", p.participantId());
        entry.put("userId", p.userId());
        entry.put("userName", p.userName());
        entry.put("mtgSessionId", room.sessionId());
        entry.put("joinTime", DAILY_TIME.format(p.joinedAt()));
        entry.put("duration", Math.max(0, Duration.between(p.joinedAt(), now).toSeconds()));
        entry.put("is_owner", p.owner());
        entry.put("will_eject_at", p.willEjectAt() == null ? null : p.willEjectAt().toString());
        return entry;
    }

    /** Daily's timestamps: always milliseconds, UTC ({@code 2023-01-01T20:53:19.000Z}). */
    private static final java.time.format.DateTimeFormatter DAILY_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private ViewRoom live(String name) {
        return view.liveRoom(name).orElseThrow(() -> ApiException.notFound("room not found"));
    }

    private ObjectNode render(ViewRoom room) {
        return DailyRooms.room(room.roomId(), room.name(), room.privacy(), room.createdAt(), room.properties(), urlBase);
    }
}
