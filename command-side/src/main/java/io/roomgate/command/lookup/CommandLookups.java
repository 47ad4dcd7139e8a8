package io.roomgate.command.lookup;

import io.roomgate.access.Rejected;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.events.EventJson;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.MemberAdded;
import io.roomgate.events.MemberRemoved;
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.RoomPropertiesChanged;
import io.roomgate.events.TokenRevoked;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The command side's own lookups, written in the same transaction as the events (a subscribing
 * processor): the live room of each name (its primary key is what makes names unique under
 * racing creates), revoked token ids, active members, and which room a knock belongs to.
 */
@ProcessingGroup(CommandLookups.GROUP)
public class CommandLookups {

    public static final String GROUP = "command-lookups";
    private static final ObjectMapper JSON = EventJson.newMapper();

    private final JdbcTemplate jdbc;
    private final java.time.Clock clock;
    private final String roomForCommandSql;

    /**
     * @param othersWrite whether other processes append to the store, so that a cached room is
     *                    checked against its stream's head (read here with the room, for commands)
     * @param events      the event store's tables
     */
    public CommandLookups(JdbcTemplate jdbc, java.time.Clock clock, boolean othersWrite,
                          org.axonframework.eventsourcing.eventstore.jdbc.EventSchema events) {
        this.jdbc = jdbc;
        this.clock = clock;
        // the stream's head as the event store reads it
        String head = othersWrite ? "(" + io.roomgate.store.StreamHeads.lastSequenceNumber(events, "l.room_id") + ")" : "null";
        this.roomForCommandSql = "select l.room_id, l.name, l.privacy, l.properties, l.created_at, " + head + ", "
                + "(select count(*) from revoked_token r where r.token_id = ?) from live_room l where l.name = ?";
    }

    /**
     * A live room, read for a command on it, with what the command needs besides (one round trip):
     * the head of the room's stream in the store where other processes write it (null otherwise,
     * or if unknown), and whether the presented token is revoked.
     */
    public record RoomForCommand(LiveRoom room, io.roomgate.command.StoredHead head, boolean tokenRevoked) {
    }

    /**
     * {@link #requireLive(String)}, for a command on the room, with its stream's head and whether
     * the token of that id (null: none presented) is revoked, in the same statement.
     */
    public RoomForCommand requireLiveForCommand(String name, String tokenId) {
        // the token id typed even when null: PostgreSQL's driver prepares a statement again whenever the
        // types of its parameters change, and joins (a token) alternate with leaves (none)
        return requireLive(name, () -> jdbc.query(roomForCommandSql, (rs, i) -> {
            LiveRoom room = liveRoom(rs);
            long head = rs.getLong(6);
            return new RoomForCommand(room, rs.wasNull() ? null : new io.roomgate.command.StoredHead(room.roomId(), head),
                    rs.getLong(7) > 0);
        }, new org.springframework.jdbc.core.SqlParameterValue(java.sql.Types.VARCHAR, tokenId), name).stream().findFirst(),
                RoomForCommand::room);
    }

    /** A live room as the command side keeps it for responses. */
    public record LiveRoom(String roomId, String name, io.roomgate.events.Privacy privacy,
                           RoomProperties properties, Instant createdAt) {
        /** Past its {@code exp}: Daily treats it as deleted, whether or not its deadline has run. */
        public boolean expiredAt(Instant now) {
            return properties.exp() != null && now.getEpochSecond() >= properties.exp();
        }
    }

    @EventHandler
    void on(RoomCreated event, @org.axonframework.eventhandling.Timestamp Instant at) {
        jdbc.update("insert into live_room (name, room_id, privacy, properties, created_at) values (?, ?, ?, ?, ?)",
                event.name(), event.roomId(), event.privacy().wireName(), json(event.properties()), Timestamp.from(at));
    }

    @EventHandler
    void on(PrivacyChanged event) {
        jdbc.update("update live_room set privacy = ? where room_id = ?", event.privacy().wireName(), event.roomId());
    }

    @EventHandler
    void on(RoomPropertiesChanged event) {
        jdbc.update("update live_room set properties = ? where room_id = ?", json(event.properties()), event.roomId());
    }

    @EventHandler
    void on(RoomDeleted event) {
        jdbc.update("delete from live_room where room_id = ?", event.roomId());
    }

    @EventHandler
    void on(TokenRevoked event) {
        jdbc.update("insert into revoked_token (token_id) values (?)", event.tokenId());
    }

    @EventHandler
    void on(MemberAdded event) {
        jdbc.update("insert into active_member (member_id) values (?)", event.memberId());
    }

    @EventHandler
    void on(MemberRemoved event) {
        jdbc.update("delete from active_member where member_id = ?", event.memberId());
    }

    @EventHandler
    void on(KnockRequested event) {
        jdbc.update("insert into knock_room (knock_id, room_id) values (?, ?)", event.knockId(), event.roomId());
    }

    // ---- reads

    public Optional<LiveRoom> liveRoom(String name) {
        List<LiveRoom> rooms = jdbc.query("select room_id, name, privacy, properties, created_at from live_room where name = ?",
                (rs, i) -> liveRoom(rs), name);
        return rooms.stream().findFirst();
    }

    private static LiveRoom liveRoom(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new LiveRoom(rs.getString(1), rs.getString(2), io.roomgate.events.Privacy.fromWire(rs.getString(3)),
                properties(rs.getString(4)), rs.getTimestamp(5).toInstant());
    }

    /**
     * The live room of that name, or refused as not found (a 404): also for a room past its
     * {@code exp} ("expired rooms are treated by API endpoints as having been implicitly deleted").
     */
    public LiveRoom requireLive(String name) {
        return requireLive(name, () -> liveRoom(name), room -> room);
    }

    /** What {@code read} finds for a live room of that name (read only for a valid name), or a 404. */
    private <T> T requireLive(String name, java.util.function.Supplier<Optional<T>> read, java.util.function.Function<T, LiveRoom> room) {
        if (!io.roomgate.access.RoomName.isValid(name)) {
            throw Rejected.notFound("room not found");
        }
        return read.get().filter(found -> !room.apply(found).expiredAt(clock.instant()))
                .orElseThrow(() -> Rejected.notFound("room " + name + " not found"));
    }

    /** The live room of that name even if it has expired (its deadline not run yet). */
    public boolean isExpired(LiveRoom room) {
        return room.expiredAt(clock.instant());
    }

    public boolean isActiveMember(String memberId) {
        return exists("select count(*) from active_member where member_id = ?", memberId);
    }

    public Optional<String> roomOfKnock(String knockId) {
        return jdbc.queryForList("select room_id from knock_room where knock_id = ?", String.class, knockId)
                .stream().findFirst();
    }

    private boolean exists(String sql, String id) {
        Integer n = jdbc.queryForObject(sql, Integer.class, id);
        return n != null && n > 0;
    }

    private static String json(RoomProperties properties) {
        try {
            return JSON.writeValueAsString(properties);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RoomProperties properties(String json) {
        try {
            return JSON.readValue(json, RoomProperties.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
