package io.roomgate.query.view;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.access.KnockState;
import io.roomgate.events.BanLifted;
import io.roomgate.events.EventJson;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockDenied;
import io.roomgate.events.KnockExpired;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.KnockWithdrawn;
import io.roomgate.events.MemberAdded;
import io.roomgate.events.MemberRemoved;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.RoomPropertiesChanged;
import io.roomgate.events.TokenRevoked;
import io.roomgate.events.UserBanned;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.messaging.annotation.MessageIdentifier;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;

/**
 * The join-eligibility view: per room, what the join decision reads (access rules §2). Runs in its own
 * pooled streaming processor; its tokens live in the same database and transaction, so each
 * event is applied exactly once. Present participants survive privacy flips: only leaving,
 * ejection or deletion removes them.
 */
@ProcessingGroup(JoinEligibilityProjection.GROUP)
public class JoinEligibilityProjection {

    public static final String GROUP = "join-eligibility";
    private static final ObjectMapper JSON = EventJson.newMapper();
    /** The widths of {@code view_participant.user_id}/{@code view_ban.user_id} and {@code user_name}. */
    static final int MAX_USER_ID = 128;
    static final int MAX_USER_NAME = 200;

    private final JdbcTemplate jdbc;

    public JoinEligibilityProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // Each handler that writes view_room or view_participant writes through the batch's
    // BufferedRows when one is open (a rebuild), else at once: the two branches make the same rows.

    @EventHandler
    void on(RoomCreated e, @Timestamp Instant at) {
        RoomProperties p = e.properties();
        BufferedRows.RoomRow row = new BufferedRows.RoomRow(e.roomId(), e.name(), true, e.privacy().wireName(), json(p),
                p.nbf(), p.exp(), p.maxParticipants(), p.enableKnocking(), 0, ts(at), null, null, null, true);
        BufferedRows buffer = BufferedRows.current();
        if (buffer != null) {
            buffer.created(row);
        } else {
            jdbc.update(INSERT_ROOM, row.insertArgs());
        }
    }

    @EventHandler
    void on(PrivacyChanged e) {
        // only the rule for later joiners changes; view_participant is left alone
        BufferedRows buffer = BufferedRows.current();
        if (buffer == null) {
            jdbc.update("update view_room set privacy = ? where room_id = ?", e.privacy().wireName(), e.roomId());
        } else {
            buffer.changeRoom(e.roomId(), r -> r.privacy = e.privacy().wireName());
        }
    }

    @EventHandler
    void on(RoomPropertiesChanged e) {
        RoomProperties p = e.properties();
        BufferedRows buffer = BufferedRows.current();
        if (buffer == null) {
            jdbc.update("update view_room set properties = ?, nbf = ?, exp = ?, max_participants = ?, enable_knocking = ? "
                    + "where room_id = ?", json(p), p.nbf(), p.exp(), p.maxParticipants(), p.enableKnocking(), e.roomId());
        } else {
            buffer.changeRoom(e.roomId(), r -> {
                r.properties = json(p);
                r.nbf = p.nbf();
                r.exp = p.exp();
                r.maxParticipants = p.maxParticipants();
                r.enableKnocking = p.enableKnocking();
            });
        }
    }

    @EventHandler
    void on(RoomDeleted e, @Timestamp Instant at) {
        BufferedRows buffer = BufferedRows.current();
        if (buffer == null) {
            jdbc.update("update view_room set live = false, present_count = 0, deleted_at = ?, deletion_cause = ? where room_id = ?",
                    ts(at), e.cause().wireName(), e.roomId());
        } else {
            buffer.changeRoom(e.roomId(), r -> {
                r.live = false;
                r.presentCount = 0;
                r.deletedAt = ts(at);
                r.deletionCause = e.cause().wireName();
            });
            buffer.emptied(e.roomId());
        }
        jdbc.update("delete from view_participant where room_id = ?", e.roomId());
        jdbc.update("delete from view_knock where room_id = ?", e.roomId());
        jdbc.update("delete from view_ban where room_id = ?", e.roomId());
    }

    static final String INSERT_ROOM = "insert into view_room (room_id, name, live, privacy, properties, nbf, exp, "
            + "max_participants, enable_knocking, present_count, created_at, deleted_at, deletion_cause, session_id) "
            + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String INSERT_PARTICIPANT = "insert into view_participant (room_id, participant_id, user_id, user_name, "
            + "admission, is_owner, may_admit, joined_at, will_eject_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)";

    @EventHandler
    void on(ParticipantJoined e, @Timestamp Instant at, @MessageIdentifier String eventId) {
        Object[] participant = {e.roomId(), text(e.participantId()), userKey(e.userId()), userName(e.userName()),
                e.admission().basis().wireName(), e.owner(), e.mayAdmitKnockers(), ts(at), ts(e.willEjectAt())};
        BufferedRows buffer = BufferedRows.current();
        if (buffer == null) {
            jdbc.update(INSERT_PARTICIPANT, participant);
            // a join into an empty room begins a meeting session (Daily's mtgSessionId)
            jdbc.update("update view_room set session_id = case when present_count = 0 then ? else session_id end, "
                    + "present_count = present_count + 1 where room_id = ?", eventId, e.roomId());
        } else {
            buffer.joined(e.roomId(), text(e.participantId()), participant);
            buffer.changeRoom(e.roomId(), r -> {
                r.sessionId = r.presentCount == 0 ? eventId : r.sessionId;
                r.presentCount++;
            });
        }
        if (e.admission().knockId() != null) {
            jdbc.update("update view_knock set state = ? where knock_id = ?", KnockState.USED.name(), e.admission().knockId());
        }
    }

    @EventHandler
    void on(ParticipantLeft e) {
        leave(e.roomId(), e.participantId());
    }

    @EventHandler
    void on(ParticipantEjected e) {
        leave(e.roomId(), e.participantId());
    }

    private void leave(String roomId, String participantId) {
        BufferedRows buffer = BufferedRows.current();
        boolean removed = buffer != null && buffer.leftFromBuffer(roomId, text(participantId))
                || jdbc.update("delete from view_participant where room_id = ? and participant_id = ?", roomId, text(participantId)) > 0;
        if (!removed) {
            return;
        }
        if (buffer == null) {
            jdbc.update("update view_room set present_count = present_count - 1 where room_id = ?", roomId);
        } else {
            buffer.changeRoom(roomId, r -> r.presentCount--);
        }
    }

    @EventHandler
    void on(UserBanned e) {
        jdbc.update("insert into view_ban (room_id, user_id) values (?, ?)", e.roomId(), userKey(e.userId()));
    }

    @EventHandler
    void on(BanLifted e) {
        jdbc.update("delete from view_ban where room_id = ? and user_id = ?", e.roomId(), userKey(e.userId()));
    }

    @EventHandler
    void on(KnockRequested e, @Timestamp Instant at) {
        jdbc.update("insert into view_knock (knock_id, room_id, user_name, state, requested_at, expires_at) values (?, ?, ?, ?, ?, ?)",
                e.knockId(), e.roomId(), text(e.userName()), KnockState.PENDING.name(), ts(at), ts(e.expiresAt()));
    }

    @EventHandler
    void on(KnockApproved e, @Timestamp Instant at) {
        jdbc.update("update view_knock set state = ?, valid_until = ?, decided_by = ?, decided_at = ? where knock_id = ?",
                KnockState.APPROVED.name(), ts(e.validUntil()), e.approvedBy(), ts(at), e.knockId());
    }

    @EventHandler
    void on(KnockDenied e, @Timestamp Instant at) {
        jdbc.update("update view_knock set state = ?, decided_by = ?, decided_at = ? where knock_id = ?",
                KnockState.DENIED.name(), e.deniedBy(), ts(at), e.knockId());
    }

    @EventHandler
    void on(KnockExpired e, @Timestamp Instant at) {
        jdbc.update("update view_knock set state = ?, decided_at = ? where knock_id = ?", KnockState.EXPIRED.name(), ts(at), e.knockId());
    }

    @EventHandler
    void on(KnockWithdrawn e, @Timestamp Instant at) {
        jdbc.update("update view_knock set state = ?, decided_at = ? where knock_id = ?", KnockState.WITHDRAWN.name(), ts(at), e.knockId());
    }

    /** Nothing to keep (a token carries its own claims), but applied so read-your-writes covers an issue. */
    @EventHandler
    void on(io.roomgate.events.TokenIssued e) {
    }

    @EventHandler
    void on(TokenRevoked e, @Timestamp Instant at) {
        jdbc.update("insert into view_revoked_token (token_id, revoked_at) values (?, ?)", e.tokenId(), ts(at));
    }

    @EventHandler
    void on(MemberAdded e) {
        jdbc.update("insert into view_member (member_id) values (?)", text(e.memberId()));
    }

    @EventHandler
    void on(MemberRemoved e) {
        jdbc.update("delete from view_member where member_id = ?", text(e.memberId()));
    }

    /** A replay starts from an empty view. */
    @ResetHandler
    void reset() {
        for (String table : ViewTables.ALL) {
            jdbc.update("delete from " + table);
        }
    }

    /**
     * A user id as the view keeps it: as it is up to the width of its columns, else a digest of
     * it. The view must be able to apply every event the write side stored (an event it cannot
     * apply stops it), and a ban or a join may carry a user id of any length.
     */
    static String userKey(String userId) {
        if (userId == null || userId.length() <= MAX_USER_ID) {
            return text(userId);
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(userId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return "sha256:" + java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A display name cut to the width of its column, for the same reason. */
    static String userName(String userName) {
        return text(userName == null || userName.length() <= MAX_USER_NAME ? userName : userName.substring(0, MAX_USER_NAME));
    }

    /**
     * Text as the view can store it on every database: PostgreSQL refuses U+0000 in text, and an
     * event the view cannot apply would stop it. The API refuses such text before any event is
     * stored; this keeps the view applying events stored before it did (or written by other means).
     */
    static String text(String value) {
        return value == null || value.indexOf('\u0000') < 0 ? value : value.replace('\u0000', '\uFFFD');
    }

    static java.sql.Timestamp ts(Instant at) {
        return at == null ? null : java.sql.Timestamp.from(at);
    }

    static String json(RoomProperties p) {
        try {
            return JSON.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static RoomProperties properties(String json) {
        try {
            return JSON.readValue(json, RoomProperties.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
