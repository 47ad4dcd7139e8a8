package io.roomgate.command.web;

import io.roomgate.access.UserId;
import io.roomgate.access.RoomName;
import io.roomgate.access.Rejected;
import io.roomgate.command.lookup.CommandLookups;
import io.roomgate.command.lookup.CommandLookups.LiveRoom;
import io.roomgate.command.room.CreateRoom;
import io.roomgate.command.room.DeleteRoom;
import io.roomgate.command.room.ExpireRoom;
import io.roomgate.command.room.EjectParticipants;
import io.roomgate.command.room.LiftBan;
import io.roomgate.command.room.RoomNames;
import io.roomgate.command.room.UpdateRoom;
import io.roomgate.events.DeletionCause;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.DailyRooms;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Daily's room write endpoints: create, update, delete, eject, and lifting a ban. */
@RestController
@RequiresScope(Scope.ADMIN)
public class RoomCommandController {

    private final CommandSender commands;
    private final CommandLookups lookups;
    private final String urlBase;

    public RoomCommandController(CommandSender commands, CommandLookups lookups,
                                 io.roomgate.edge.EdgeProperties edge) {
        this.commands = commands;
        this.lookups = lookups;
        this.urlBase = edge.roomUrlBase();
    }

    @PostMapping("/v1/rooms")
    public DailyRooms.Room create(@RequestBody(required = false) Requests.CreateRoom body, HttpServletResponse response) {
        Requests.CreateRoom request = body != null ? body : new Requests.CreateRoom(null, null, null);
        String name = request.name() != null ? request.name() : RoomNames.generate();
        new RoomName(name);
        Privacy privacy = request.privacy() == null ? Privacy.PUBLIC : DailyRooms.privacy(request.privacy());
        RoomProperties properties = DailyRooms.merge(RoomProperties.defaults(), request.properties());
        Optional<LiveRoom> holder = lookups.liveRoom(name);
        if (holder.isPresent()) {
            if (!lookups.isExpired(holder.get())) {
                throw taken(name);
            }
            // expired, its deadline not run yet: Daily's name is free, so delete it now as the deadline would
            try {
                commands.send(new ExpireRoom(holder.get().roomId()), response);
            } catch (org.axonframework.modelling.command.AggregateNotFoundException deletedMeanwhile) {
                // its deadline (or an admin) deleted it first: the name is free all the same
            }
        }
        String roomId = UUID.randomUUID().toString();
        try {
            commands.send(new CreateRoom(roomId, name, privacy, properties), response);
        } catch (DataIntegrityViolationException e) {
            // a concurrent create of the same name committed first: the live_room key refused ours
            throw taken(name);
        }
        return render(lookups.requireLive(name));
    }

    @PostMapping("/v1/rooms/{name}")
    public DailyRooms.Room update(@PathVariable String name, @RequestBody Requests.UpdateRoom body, HttpServletResponse response) {
        LiveRoom room = lookups.requireLive(name);
        Privacy privacy = body.privacy() == null ? null : DailyRooms.privacy(body.privacy());
        RoomProperties properties = body.properties() == null ? null : DailyRooms.merge(room.properties(), body.properties());
        commands.send(new UpdateRoom(room.roomId(), privacy, properties), response);
        return render(lookups.requireLive(name));
    }

    @DeleteMapping("/v1/rooms/{name}")
    public Responses.RoomDeleted delete(@PathVariable String name, HttpServletResponse response) {
        LiveRoom room = lookups.requireLive(name);
        commands.send(new DeleteRoom(room.roomId(), DeletionCause.ADMIN), response);
        return new Responses.RoomDeleted(true, name);
    }

    @PostMapping("/v1/rooms/{name}/eject")
    public Requests.Ejected eject(@PathVariable String name, @RequestBody Requests.Eject body, HttpServletResponse response) {
        LiveRoom room = lookups.requireLive(name);
        List<String> ids = body.ids() == null ? List.of() : body.ids();
        List<String> userIds = body.userIds() == null ? List.of() : body.userIds();
        if (ids.isEmpty() && userIds.isEmpty()) {
            throw ApiException.invalidRequest("give ids or user_ids to eject");
        }
        // List.of() refuses contains(null): ask the stream instead
        if (ids.size() > 100 || userIds.size() > 100
                || ids.stream().anyMatch(java.util.Objects::isNull) || userIds.stream().anyMatch(java.util.Objects::isNull)) {
            throw ApiException.invalidRequest("ids and user_ids are lists of at most 100 strings each");
        }
        if (java.util.stream.Stream.concat(ids.stream(), userIds.stream()).anyMatch(id -> !UserId.isValid(id))) {
            throw ApiException.invalidRequest("each id and user_id is 1-128 printable characters");
        }
        ids.forEach(id -> io.roomgate.edge.Text.requireSafe("ids", id, true));
        userIds.forEach(id -> io.roomgate.edge.Text.requireSafe("user_ids", id, true));
        List<String> ejected = commands.send(new EjectParticipants(room.roomId(), ids, userIds, Boolean.TRUE.equals(body.ban())),
                response);
        return new Requests.Ejected(ejected);
    }

    @DeleteMapping("/v1/rooms/{name}/bans/{userId}")
    public Responses.BanLifted liftBan(@PathVariable String name, @PathVariable String userId, HttpServletResponse response) {
        LiveRoom room = lookups.requireLive(name);
        commands.send(new LiftBan(room.roomId(), userId), response);
        return new Responses.BanLifted(userId, false);
    }


    private DailyRooms.Room render(LiveRoom room) {
        return DailyRooms.room(room.roomId(), room.name(), room.privacy(), room.createdAt(), room.properties(), urlBase);
    }

    private static Rejected taken(String name) {
        return Rejected.invalid("a room named " + name + " already exists");
    }
}
