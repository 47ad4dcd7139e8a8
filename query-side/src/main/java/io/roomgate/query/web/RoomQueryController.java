package io.roomgate.query.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.DailyRooms;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import io.roomgate.query.view.PresenceReader;
import io.roomgate.query.view.Quarantine;
import io.roomgate.query.view.RoomReader;
import io.roomgate.query.view.ReadConsistency;
import io.roomgate.query.view.ViewPositions;
import io.roomgate.query.view.ViewRoom;
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

    private final RoomReader rooms;
    private final PresenceReader presence;
    private final Quarantine quarantine;
    private final ViewPositions positions;
    private final Clock clock;
    private final String urlBase;

    public RoomQueryController(RoomReader rooms, PresenceReader presence, Quarantine quarantine, ViewPositions positions,
                               Clock clock, io.roomgate.edge.EdgeProperties edge) {
        this.rooms = rooms;
        this.presence = presence;
        this.quarantine = quarantine;
        this.positions = positions;
        this.clock = clock;
        this.urlBase = edge.roomUrlBase();
    }

    @GetMapping("/v1/rooms")
    @RequiresScope(Scope.ADMIN)
    public DailyRooms.RoomPage list(@RequestParam(required = false) Integer limit,
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
        List<DailyRooms.Room> data = rooms.rooms(n, startingAfter, endingBefore).stream()
                .sorted(java.util.Comparator.comparing(ViewRoom::createdAt).thenComparing(ViewRoom::roomId).reversed())
                .map(this::render).toList();
        return new DailyRooms.RoomPage(rooms.liveRoomCount(), data);
    }

    @GetMapping("/v1/rooms/{name}")
    @RequiresScope(Scope.ADMIN)
    public DailyRooms.Room get(@PathVariable String name,
                          ReadConsistency consistency) {
        positions.await(consistency);
        quarantine.requireNone(name);
        return render(live(name));
    }

    @GetMapping("/v1/rooms/{name}/presence")
    @RequiresScope({Scope.ADMIN, Scope.JOIN})
    public PresenceList presence(@PathVariable String name,
                                        @RequestParam(required = false) Integer limit,
                                        @RequestParam(name = "userId", required = false) String userId,
                                        @RequestParam(name = "userName", required = false) String userName,
                                        ReadConsistency consistency) {
        if (limit != null && limit < 1) {
            throw ApiException.invalidRequest("limit must be at least 1");
        }
        positions.await(consistency);
        quarantine.requireNone(name);
        ViewRoom room = live(name);
        Instant now = clock.instant();
        // Daily's filters: userId, userName; total_count counts every match, limit cuts the list
        var matching = presence.present(room.roomId()).stream()
                .filter(p -> userId == null || userId.equals(p.userId()))
                .filter(p -> userName == null || userName.equals(p.userName()))
                .toList();
        List<Presence> data = matching.stream().limit(limit == null ? Long.MAX_VALUE : limit)
                .map(p -> presence(room, p, now)).toList();
        return new PresenceList(matching.size(), data);
    }

    /**
     * Daily's {@code GET /presence}: everyone in every room, as a map from room name to the
     * room's participants (rooms without anyone are left out), each as in a room's presence.
     */
    @GetMapping("/v1/presence")
    @RequiresScope({Scope.ADMIN, Scope.JOIN})
    public Map<String, List<Presence>> presenceEverywhere(ReadConsistency consistency) {
        positions.await(consistency);
        Instant now = clock.instant();
        Map<String, List<Presence>> byRoom = new LinkedHashMap<>();
        for (PresenceReader.Presence p : presence.presentEverywhere()) {
            byRoom.computeIfAbsent(p.room().name(), n -> new java.util.ArrayList<>()).add(presence(p.room(), p.participant(), now));
        }
        return byRoom;
    }

    /** One participant as Daily's presence lists them, with roomgate's owner and ejection facts. */
    private static Presence presence(ViewRoom room, PresenceReader.ViewParticipant p, Instant now) {
        return new Presence(room.name(), p.participantId(), p.userId(), p.userName(), room.sessionId(), DAILY_TIME.format(p.joinedAt()),
                Math.max(0, Duration.between(p.joinedAt(), now).toSeconds()), p.owner(),
                p.willEjectAt() == null ? null : p.willEjectAt().toString());
    }

    /**
     * One participant as Daily's presence lists them (Daily's own camelCase names), with roomgate's
     * {@code is_owner} and {@code will_eject_at}.
     */
    public record Presence(String room, String id, @JsonProperty("userId") String userId, @JsonProperty("userName") String userName,
                           @JsonProperty("mtgSessionId") String mtgSessionId, @JsonProperty("joinTime") String joinTime,
                           long duration, boolean isOwner, String willEjectAt) {
    }

    /** Daily's presence of one room: every match counted, {@code limit} of them listed. */
    public record PresenceList(int totalCount, List<Presence> data) {
    }

    /** Daily's timestamps: always milliseconds, UTC ({@code 2023-01-01T20:53:19.000Z}). */
    private static final java.time.format.DateTimeFormatter DAILY_TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private ViewRoom live(String name) {
        return rooms.liveRoom(name).orElseThrow(() -> ApiException.notFound("room not found"));
    }

    private DailyRooms.Room render(ViewRoom room) {
        return DailyRooms.room(room.roomId(), room.name(), room.privacy(), room.createdAt(), room.properties(), urlBase);
    }
}
