package io.roomgate.events;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One realistic instance of every event in the contract, with fixed values: the golden files
 * under {@code src/test/resources/golden} are these events as {@link EventJson} writes them.
 * Shared through the test-jar, so other modules can build fixtures from the same samples.
 *
 * <p>The story: room {@code standup} is created public, turned private with knocking; Ada gets an
 * owner token and joins; Grace knocks and is let in; Mallory is ejected and banned, later
 * forgiven; the room expires.
 */
public final class SampleEvents {

    public static final String ROOM_ID = "5f2d6a8e-3c1b-4f7a-9d2e-8b6c4a1f0e93";
    public static final String ROOM_NAME = "standup";
    public static final String TOKEN_ID = "0b9c6f3e-2a41-4d8e-b5f7-91c3e0a2d6b4";
    public static final String KEY_ID = "k-2026-11";
    public static final String KNOCK_ID = "c7e1a9d2-5b3f-4e60-8a14-2f9d7c6b0e35";
    public static final String OWNER_PARTICIPANT_ID = "a3f09c41-7d2e-4b85-9e16-5c8d2b7f0a94";
    public static final String KNOCKER_PARTICIPANT_ID = "e8d47b20-1c6a-4f39-b2e5-7a0c9d3f6b18";
    public static final String MEMBER_ID = "member-grace-hopper";
    public static final String OWNER_USER_ID = "user-ada-42";
    public static final String BANNED_USER_ID = "user-mallory-7";

    /** 2026-11-27T13:00:00Z: the room opens. */
    public static final long ROOM_NBF = 1795784400L;
    /** 2026-11-28T00:00:00Z: the room expires. */
    public static final long ROOM_EXP = 1795824000L;
    /** 2026-11-27T18:00:00Z: Ada's token expires. */
    public static final long TOKEN_EXP = 1795802400L;

    private SampleEvents() {
    }

    public static RoomProperties roomProperties() {
        return new RoomProperties(ROOM_NBF, ROOM_EXP, 12, true, true, 7200L, true,
                Map.of("enable_chat", true, "lang", "en", "start_video_off", false));
    }

    public static MeetingTokenClaims ownerClaims() {
        return new MeetingTokenClaims(ROOM_NAME, TOKEN_EXP, ROOM_NBF, true, "Ada Lovelace", OWNER_USER_ID,
                true, 3600L, false,
                Map.of("canAdmin", List.of("participants"), "hasPresence", true),
                Map.of("lang", "en", "start_cloud_recording", false));
    }

    public static RoomCreated roomCreated() {
        return new RoomCreated(ROOM_ID, ROOM_NAME, Privacy.PUBLIC, roomProperties());
    }

    public static PrivacyChanged privacyChanged() {
        return new PrivacyChanged(ROOM_ID, ROOM_NAME, Privacy.PRIVATE);
    }

    public static RoomPropertiesChanged roomPropertiesChanged() {
        return new RoomPropertiesChanged(ROOM_ID, ROOM_NAME,
                new RoomProperties(ROOM_NBF, ROOM_EXP, 8, true, false, 5400L, false,
                        Map.of("enable_chat", false, "lang", "de")));
    }

    public static RoomDeleted roomDeleted() {
        return new RoomDeleted(ROOM_ID, ROOM_NAME, DeletionCause.EXPIRY);
    }

    public static TokenIssued tokenIssued() {
        return new TokenIssued(TOKEN_ID, KEY_ID, ownerClaims(), false);
    }

    public static TokenRevoked tokenRevoked() {
        return new TokenRevoked(TOKEN_ID, false);
    }

    public static KnockRequested knockRequested() {
        return new KnockRequested(ROOM_ID, ROOM_NAME, KNOCK_ID, "Grace Hopper", Instant.parse("2026-11-27T14:13:00Z"), "user-42");
    }

    public static KnockApproved knockApproved() {
        return new KnockApproved(ROOM_ID, ROOM_NAME, KNOCK_ID, OWNER_PARTICIPANT_ID, Instant.parse("2026-11-27T14:09:30Z"));
    }

    public static KnockDenied knockDenied() {
        return new KnockDenied(ROOM_ID, ROOM_NAME, KNOCK_ID, OWNER_PARTICIPANT_ID);
    }

    public static KnockExpired knockExpired() {
        return new KnockExpired(ROOM_ID, ROOM_NAME, KNOCK_ID);
    }

    public static KnockWithdrawn knockWithdrawn() {
        return new KnockWithdrawn(ROOM_ID, ROOM_NAME, KNOCK_ID);
    }

    public static ParticipantJoined participantJoined() {
        return new ParticipantJoined(ROOM_ID, ROOM_NAME, OWNER_PARTICIPANT_ID, "Ada Lovelace", OWNER_USER_ID,
                Admission.token(TOKEN_ID), true, true, Instant.parse("2026-11-27T15:03:00Z"));
    }

    public static ParticipantLeft participantLeft() {
        return new ParticipantLeft(ROOM_ID, ROOM_NAME, KNOCKER_PARTICIPANT_ID);
    }

    public static ParticipantEjected participantEjected() {
        return new ParticipantEjected(ROOM_ID, ROOM_NAME, "9b2e5d71-4a0f-4c83-a6d9-3e7f1b8c5a20", BANNED_USER_ID,
                EjectionCause.ADMIN);
    }

    public static UserBanned userBanned() {
        return new UserBanned(ROOM_ID, ROOM_NAME, BANNED_USER_ID);
    }

    public static BanLifted banLifted() {
        return new BanLifted(ROOM_ID, ROOM_NAME, BANNED_USER_ID);
    }

    public static MemberAdded memberAdded() {
        return new MemberAdded(MEMBER_ID);
    }

    public static MemberRemoved memberRemoved() {
        return new MemberRemoved(MEMBER_ID);
    }

    /** Every event type once, in the order of {@link RoomgateEvent}'s {@code permits} clause. */
    public static List<RoomgateEvent> all() {
        return List.of(
                roomCreated(), privacyChanged(), roomPropertiesChanged(), roomDeleted(),
                tokenIssued(), tokenRevoked(),
                knockRequested(), knockApproved(), knockDenied(), knockExpired(), knockWithdrawn(),
                participantJoined(), participantLeft(), participantEjected(), userBanned(), banLifted(),
                memberAdded(), memberRemoved());
    }
}
