package io.roomgate.command.room;

import io.roomgate.access.JoinAttempt;
import io.roomgate.access.PresentedToken;
import io.roomgate.events.Admission;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.SampleEvents;
import org.axonframework.test.aggregate.AggregateTestFixture;

import java.time.Instant;

/** The room every Room test plays in, and short ways to say who joins it and how. */
final class RoomTesting {

    static final String ROOM_ID = SampleEvents.ROOM_ID;
    static final String NAME = SampleEvents.ROOM_NAME;
    /** 2026-11-27T14:00:00Z: the fixture's "now" at the start of every test. */
    static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");

    static final String OWNER = "p-owner";
    static final String ADMIN = "p-admin";
    static final String GUEST = "p-guest";
    static final String OTHER = "p-other";
    static final String KNOCKER = "p-knocker";
    static final String OWNER_TOKEN = "jti-owner";
    static final String GUEST_TOKEN = "jti-guest";
    static final String KNOCK = SampleEvents.KNOCK_ID;

    private RoomTesting() {
    }

    /** A fixture whose {@code Clock} reads the fixture's own time, with the default knock timeouts. */
    static AggregateTestFixture<Room> roomFixture() {
        return roomFixture(KnockTimeouts.defaults());
    }

    static AggregateTestFixture<Room> roomFixture(KnockTimeouts timeouts) {
        AggregateTestFixture<Room> fixture = new AggregateTestFixture<>(Room.class);
        fixture.registerInjectableResource(new FixtureClock(fixture::currentTime));
        fixture.registerInjectableResource(timeouts);
        return fixture;
    }

    /** Unix seconds, {@code seconds} after {@link #NOW}. */
    static long inSeconds(long seconds) {
        return NOW.getEpochSecond() + seconds;
    }

    static RoomCreated created(Privacy privacy, RoomProperties properties) {
        return new RoomCreated(ROOM_ID, NAME, privacy, properties);
    }

    static RoomCreated publicRoom() {
        return created(Privacy.PUBLIC, RoomProperties.defaults());
    }

    static RoomCreated privateRoom() {
        return created(Privacy.PRIVATE, RoomProperties.defaults());
    }

    static RoomCreated knockingRoom() {
        return created(Privacy.PRIVATE, Props.props().knocking().build());
    }

    static CreateRoom create(Privacy privacy, RoomProperties properties) {
        return new CreateRoom(ROOM_ID, NAME, privacy, properties);
    }

    // ---- joins, as the join server reports them

    static JoinRoom join(String participantId) {
        return join(participantId, new JoinAttempt(null, null, null, participantId, null), false, false);
    }

    static JoinRoom joinAsUser(String participantId, String userId) {
        return join(participantId, new JoinAttempt(null, userId, null, participantId, null), false, false);
    }

    static JoinRoom joinWithToken(String participantId, String tokenId, MeetingTokenClaims claims) {
        return join(participantId, new JoinAttempt(new PresentedToken.Verified(tokenId, claims), null, null, participantId, null), false, false);
    }

    static JoinRoom joinWithRevokedToken(String participantId, String tokenId, MeetingTokenClaims claims) {
        return join(participantId, new JoinAttempt(new PresentedToken.Verified(tokenId, claims), null, null, participantId, null), true, false);
    }

    static JoinRoom joinWithInvalidToken(String participantId) {
        return join(participantId, new JoinAttempt(new PresentedToken.Invalid("bad signature"), null, null, participantId, null), false, false);
    }

    static JoinRoom joinAsMember(String participantId, String memberId, boolean active) {
        return join(participantId, new JoinAttempt(null, null, memberId, participantId, null), false, active);
    }

    static JoinRoom joinWithKnock(String participantId, String knockId) {
        return join(participantId, new JoinAttempt(null, null, null, participantId, knockId), false, false);
    }

    static JoinRoom join(String participantId, JoinAttempt attempt, boolean tokenRevoked, boolean memberActive) {
        return new JoinRoom(ROOM_ID, participantId, null, attempt, tokenRevoked, memberActive);
    }

    /** The claims of an owner's token for this room: Daily's {@code is_owner}. */
    static MeetingTokenClaims ownerClaims() {
        return Claims.forRoom(NAME).owner().userName("Ada Lovelace").userId("user-ada").build();
    }

    // ---- what the join records

    static ParticipantJoined joinedPublicly(String participantId, String userId, Instant willEjectAt) {
        return new ParticipantJoined(ROOM_ID, NAME, participantId, null, userId,
                Admission.publicRoom(), false, false, willEjectAt);
    }

    static ParticipantJoined joinedAsOwner(String participantId) {
        return new ParticipantJoined(ROOM_ID, NAME, participantId, "Ada Lovelace", "user-ada",
                Admission.token(OWNER_TOKEN), true, true, null);
    }

    static ParticipantJoined joinedWithPlainToken(String participantId, String userId) {
        return new ParticipantJoined(ROOM_ID, NAME, participantId, null, userId,
                Admission.token(GUEST_TOKEN), false, false, null);
    }
}
