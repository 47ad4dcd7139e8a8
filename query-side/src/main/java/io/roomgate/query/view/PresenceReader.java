package io.roomgate.query.view;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static io.roomgate.query.view.ViewReads.ROOM;
import static io.roomgate.query.view.ViewReads.exists;
import static io.roomgate.query.view.ViewReads.instant;

/** Who is in which room, as the view holds it: Daily's presence reads and the knock lists' "owner here". Never writes. */
public class PresenceReader {

    /** Someone in a room, for Daily's presence answer. */
    public record ViewParticipant(String participantId, String userId, String userName, Instant joinedAt,
                                  boolean owner, boolean mayAdmitKnockers, Instant willEjectAt, String admission) {
    }

    /** Someone in a live room, with the room: Daily's {@code GET /presence}. */
    public record Presence(ViewRoom room, ViewParticipant participant) {
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public PresenceReader(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public List<ViewParticipant> present(String roomId) {
        return jdbc.query("select participant_id, user_id, user_name, joined_at, is_owner, may_admit, will_eject_at, admission "
                        + "from view_participant where room_id = ? order by joined_at, participant_id",
                (rs, i) -> new ViewParticipant(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4),
                        rs.getBoolean(5), rs.getBoolean(6), instant(rs, 7), rs.getString(8)), roomId);
    }

    /** Everyone in every live (not deleted, not expired) room, by room name, then as they joined. */
    public List<Presence> presentEverywhere() {
        return jdbc.query("select r.room_id, r.name, r.privacy, r.properties, r.present_count, r.created_at, r.session_id, "
                        + "p.participant_id, p.user_id, p.user_name, p.joined_at, p.is_owner, p.may_admit, p.will_eject_at, p.admission "
                        + "from view_participant p join view_room r on r.room_id = p.room_id "
                        + "where r.live = true and (r.exp is null or r.exp > ?) order by r.name, p.joined_at, p.participant_id",
                (rs, i) -> new Presence(ROOM.mapRow(rs, i), new ViewParticipant(rs.getString(8), rs.getString(9), rs.getString(10),
                        instant(rs, 11), rs.getBoolean(12), rs.getBoolean(13), instant(rs, 14), rs.getString(15))),
                clock.instant().getEpochSecond());
    }

    /** Whether anyone who may let knockers in (an owner) is in the room. */
    public boolean anyOwnerPresent(String roomId) {
        return exists(jdbc, "select count(*) from view_participant where room_id = ? and may_admit = true", roomId);
    }
}
