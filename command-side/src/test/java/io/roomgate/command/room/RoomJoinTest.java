package io.roomgate.command.room;

import io.roomgate.access.Decision;
import io.roomgate.access.JoinAttempt;
import io.roomgate.access.Reason;
import io.roomgate.access.Verdict;
import io.roomgate.events.Admission;
import io.roomgate.events.EjectionCause;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.Privacy;
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.UserBanned;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static io.roomgate.access.Rejected.Kind.CONFLICT;
import static io.roomgate.access.Rejected.Kind.FORBIDDEN;
import static io.roomgate.access.Rejected.Kind.INVALID;
import static io.roomgate.command.room.Props.props;
import static io.roomgate.command.room.Rejections.rejected;
import static io.roomgate.command.room.RoomTesting.GUEST;
import static io.roomgate.command.room.RoomTesting.GUEST_TOKEN;
import static io.roomgate.command.room.RoomTesting.NAME;
import static io.roomgate.command.room.RoomTesting.NOW;
import static io.roomgate.command.room.RoomTesting.OTHER;
import static io.roomgate.command.room.RoomTesting.OWNER;
import static io.roomgate.command.room.RoomTesting.OWNER_TOKEN;
import static io.roomgate.command.room.RoomTesting.ROOM_ID;
import static io.roomgate.command.room.RoomTesting.created;
import static io.roomgate.command.room.RoomTesting.inSeconds;
import static io.roomgate.command.room.RoomTesting.join;
import static io.roomgate.command.room.RoomTesting.joinAsMember;
import static io.roomgate.command.room.RoomTesting.joinAsUser;
import static io.roomgate.command.room.RoomTesting.joinWithInvalidToken;
import static io.roomgate.command.room.RoomTesting.joinWithRevokedToken;
import static io.roomgate.command.room.RoomTesting.joinWithToken;
import static io.roomgate.command.room.RoomTesting.joinedAsOwner;
import static io.roomgate.command.room.RoomTesting.joinedPublicly;
import static io.roomgate.command.room.RoomTesting.knockingRoom;
import static io.roomgate.command.room.RoomTesting.ownerClaims;
import static io.roomgate.command.room.RoomTesting.privateRoom;
import static io.roomgate.command.room.RoomTesting.publicRoom;
import static io.roomgate.command.room.RoomTesting.roomFixture;

/** access rules §1 "Presence" and §2: the authoritative join, re-checked on the command side with the join decision. */
class RoomJoinTest {

    private AggregateTestFixture<Room> fixture;

    @BeforeEach
    void setUp() {
        fixture = roomFixture();
    }

    private static MeetingTokenClaims guestClaims() {
        return Claims.forRoom(NAME).userId("user-g").build();
    }

    // ---- who is admitted

    @Test
    void anyone_who_knows_the_url_may_join_a_public_room() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(join(GUEST))
                .expectEvents(joinedPublicly(GUEST, null, null))
                .expectResultMessagePayload(new Verdict(Decision.ALLOW, Reason.PUBLIC_ROOM, false));
    }

    @Test
    void the_join_records_the_user_name_and_user_id_the_join_server_reports() {
        JoinRoom join = new JoinRoom(ROOM_ID, GUEST, "Grace", new JoinAttempt(null, "user-g", null, GUEST, null), false, false);

        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(join)
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, "Grace", "user-g", Admission.publicRoom(), false, false, null));
    }

    @Test
    void a_private_room_refuses_someone_without_a_credential() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(join(GUEST))
                .expectException(rejected(FORBIDDEN, "join refused: private-room"))
                .expectNoEvents();
    }

    @Test
    void after_a_room_turns_private_later_joiners_need_a_credential() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(OTHER, null, null), new PrivacyChanged(ROOM_ID, NAME, Privacy.PRIVATE))
                .when(join(GUEST))
                .expectException(rejected(FORBIDDEN, "join refused: private-room"))
                .expectNoEvents();
    }

    @Test
    void a_private_room_with_knocking_refuses_someone_without_a_credential_and_tells_them_to_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom())
                .when(join(GUEST))
                .expectException(rejected(FORBIDDEN, "join refused: knock-required"))
                .expectNoEvents();
    }

    @Test
    void any_valid_meeting_token_grants_access_to_a_private_room() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, guestClaims()))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, "user-g",
                        Admission.token(GUEST_TOKEN), false, false, null))
                .expectResultMessagePayload(new Verdict(Decision.ALLOW, Reason.VALID_TOKEN, false));
    }

    @Test
    void a_token_with_is_owner_admits_its_holder_as_an_owner_who_may_let_knockers_in() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()))
                .expectEvents(joinedAsOwner(OWNER))
                .expectResultMessagePayload(new Verdict(Decision.ALLOW, Reason.VALID_TOKEN, true));
    }

    @Test
    void a_token_whose_permissions_can_admin_participants_admits_a_participant_who_may_let_knockers_in() {
        MeetingTokenClaims admin = Claims.forRoom(NAME).userId("user-adm").canAdmin("participants").build();

        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, admin))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, "user-adm",
                        Admission.token(GUEST_TOKEN), false, true, null));
    }

    @Test
    void a_token_holder_joining_a_public_room_is_admitted_by_the_token() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()))
                .expectEvents(joinedAsOwner(OWNER));
    }

    @Test
    void a_token_without_room_name_grants_access_to_any_room_of_the_domain() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, Claims.forAllRooms().build()))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, null,
                        Admission.token(GUEST_TOKEN), false, false, null));
    }

    @Test
    void a_token_for_another_room_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, Claims.forRoom("another-room").build()))
                .expectException(rejected(FORBIDDEN, "join refused: token-wrong-room"))
                .expectNoEvents();
    }

    @Test
    void an_expired_token_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, Claims.forRoom(NAME).exp(inSeconds(0)).build()))
                .expectException(rejected(FORBIDDEN, "join refused: token-expired"))
                .expectNoEvents();
    }

    @Test
    void a_token_that_is_not_valid_yet_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, Claims.forRoom(NAME).nbf(inSeconds(60)).build()))
                .expectException(rejected(FORBIDDEN, "join refused: token-not-yet-valid"))
                .expectNoEvents();
    }

    @Test
    void a_revoked_token_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithRevokedToken(OWNER, OWNER_TOKEN, ownerClaims()))
                .expectException(rejected(FORBIDDEN, "join refused: token-revoked"))
                .expectNoEvents();
    }

    @Test
    void an_invalid_token_is_refused_even_in_a_public_room() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(joinWithInvalidToken(GUEST))
                .expectException(rejected(FORBIDDEN, "join refused: token-invalid"))
                .expectNoEvents();
    }

    @Test
    void a_token_that_says_knocking_makes_its_holder_knock_on_a_knocking_room() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, Claims.forRoom(NAME).knocking().build()))
                .expectException(rejected(FORBIDDEN, "join refused: knock-required"))
                .expectNoEvents();
    }

    @Test
    void a_logged_in_member_of_the_domain_may_join_a_private_room() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinAsMember(GUEST, "member-grace", true))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, null,
                        Admission.member("member-grace"), false, false, null))
                .expectResultMessagePayload(new Verdict(Decision.ALLOW, Reason.MEMBER, false));
    }

    @Test
    void someone_who_is_not_an_active_member_is_not_admitted_as_a_member() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinAsMember(GUEST, "member-gone", false))
                .expectException(rejected(FORBIDDEN, "join refused: private-room"))
                .expectNoEvents();
    }

    // ---- what refuses everyone

    @Test
    void a_full_room_refuses_another_joiner_as_a_conflict() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().maxParticipants(2).build()),
                        joinedPublicly(OWNER, null, null), joinedPublicly(OTHER, null, null))
                .when(join(GUEST))
                .expectException(rejected(CONFLICT, "join refused: room-full"))
                .expectNoEvents();
    }

    @Test
    void a_full_room_refuses_even_an_owner_token() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PRIVATE, props().maxParticipants(1).build()), joinedPublicly(OTHER, null, null))
                .when(joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()))
                .expectException(rejected(CONFLICT, "join refused: room-full"))
                .expectNoEvents();
    }

    @Test
    void a_room_with_a_free_place_admits_up_to_max_participants() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().maxParticipants(2).build()), joinedPublicly(OTHER, null, null))
                .when(join(GUEST))
                .expectEvents(joinedPublicly(GUEST, null, null));
    }

    @Test
    void a_banned_user_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), new UserBanned(ROOM_ID, NAME, "user-m"))
                .when(joinAsUser(GUEST, "user-m"))
                .expectException(rejected(FORBIDDEN, "join refused: banned"))
                .expectNoEvents();
    }

    @Test
    void a_banned_user_is_refused_even_with_a_valid_token_carrying_their_user_id() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom(), new UserBanned(ROOM_ID, NAME, "user-ada"))
                .when(joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()))
                .expectException(rejected(FORBIDDEN, "join refused: banned"))
                .expectNoEvents();
    }

    @Test
    void a_room_refuses_joins_before_its_nbf() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().nbf(inSeconds(60)).build()))
                .when(join(GUEST))
                .expectException(rejected(FORBIDDEN, "join refused: room-not-yet-open"))
                .expectNoEvents();
    }

    @Test
    void a_room_past_its_exp_refuses_joins_even_with_a_token_before_the_deletion_has_run() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().exp(inSeconds(-1)).build()))
                .when(joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()))
                .expectException(rejected(FORBIDDEN, "join refused: room-expired"))
                .expectNoEvents();
    }

    @Test
    void a_participant_id_longer_than_128_characters_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(join("p".repeat(129)))
                .expectException(rejected(INVALID, "participant_id must be 1-128 characters"))
                .expectNoEvents();
    }

    // ---- reconnects and duplicate sessions

    @Test
    void a_present_participant_who_reconnects_is_admitted_without_recording_anything() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, null, null))
                .when(join(GUEST))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(new Verdict(Decision.ALLOW, Reason.ALREADY_PRESENT, false));
    }

    @Test
    void a_present_participant_may_reconnect_after_the_room_turned_private() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, null, null), new PrivacyChanged(ROOM_ID, NAME, Privacy.PRIVATE))
                .when(join(GUEST))
                .expectNoEvents()
                .expectResultMessagePayload(new Verdict(Decision.ALLOW, Reason.ALREADY_PRESENT, false));
    }

    @Test
    void a_present_participant_may_reconnect_to_a_full_room() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().maxParticipants(1).build()), joinedPublicly(GUEST, null, null))
                .when(join(GUEST))
                .expectNoEvents()
                .expectResultMessagePayload(new Verdict(Decision.ALLOW, Reason.ALREADY_PRESENT, false));
    }

    @Test
    void with_enforce_unique_user_ids_a_new_session_of_a_present_user_ejects_the_older_one() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().uniqueUserIds().build()), joinedPublicly(OTHER, "user-g", null))
                .when(joinAsUser(GUEST, "user-g"))
                .expectEvents(
                        new ParticipantEjected(ROOM_ID, NAME, OTHER, "user-g", EjectionCause.DUPLICATE_USER_ID),
                        joinedPublicly(GUEST, "user-g", null));
    }

    @Test
    void with_enforce_unique_user_ids_a_shared_token_ejects_the_older_holder() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PRIVATE, props().uniqueUserIds().build()), joinedAsOwner(OWNER))
                .when(joinWithToken(OTHER, OWNER_TOKEN, ownerClaims()))
                .expectEvents(
                        new ParticipantEjected(ROOM_ID, NAME, OWNER, "user-ada", EjectionCause.DUPLICATE_USER_ID),
                        joinedAsOwner(OTHER));
    }

    @Test
    void without_enforce_unique_user_ids_two_sessions_of_one_user_may_be_present() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(OTHER, "user-g", null))
                .when(joinAsUser(GUEST, "user-g"))
                .expectEvents(joinedPublicly(GUEST, "user-g", null));
    }

    // ---- will_eject_at, fixed at join

    @Test
    void will_eject_at_is_fixed_at_join_from_the_rooms_eject_after_elapsed() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().ejectAfterElapsed(600L).build()))
                .when(join(GUEST))
                .expectEvents(joinedPublicly(GUEST, null, NOW.plusSeconds(600)));
    }

    @Test
    void will_eject_at_is_the_tokens_exp_when_the_token_says_eject_at_token_exp() {
        MeetingTokenClaims claims = Claims.forRoom(NAME).exp(inSeconds(1800)).ejectAtTokenExp().build();

        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, claims))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, null, Admission.token(GUEST_TOKEN),
                        false, false, Instant.ofEpochSecond(inSeconds(1800))));
    }

    @Test
    void a_tokens_exp_without_eject_at_token_exp_does_not_eject() {
        MeetingTokenClaims claims = Claims.forRoom(NAME).exp(inSeconds(1800)).build();

        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(joinWithToken(GUEST, GUEST_TOKEN, claims))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, null, Admission.token(GUEST_TOKEN),
                        false, false, null));
    }

    @Test
    void will_eject_at_is_the_rooms_exp_when_the_room_says_eject_at_room_exp() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().exp(inSeconds(3600)).ejectAtRoomExp().build()))
                .when(join(GUEST))
                .expectEvents(joinedPublicly(GUEST, null, Instant.ofEpochSecond(inSeconds(3600))));
    }

    @Test
    void the_tokens_eject_after_elapsed_overrides_the_rooms_even_when_longer() {
        MeetingTokenClaims claims = Claims.forRoom(NAME).ejectAfterElapsed(7200L).build();

        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PRIVATE, props().ejectAfterElapsed(60L).build()))
                .when(joinWithToken(GUEST, GUEST_TOKEN, claims))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, null, Admission.token(GUEST_TOKEN),
                        false, false, NOW.plusSeconds(7200)));
    }

    @Test
    void the_tokens_eject_after_elapsed_overrides_the_rooms_when_shorter() {
        MeetingTokenClaims claims = Claims.forRoom(NAME).ejectAfterElapsed(60L).build();

        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PRIVATE, props().ejectAfterElapsed(7200L).build()))
                .when(joinWithToken(GUEST, GUEST_TOKEN, claims))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, null, Admission.token(GUEST_TOKEN),
                        false, false, NOW.plusSeconds(60)));
    }

    @Test
    void will_eject_at_is_the_earliest_of_the_limits_that_apply() {
        MeetingTokenClaims claims = Claims.forRoom(NAME).exp(inSeconds(1800)).ejectAtTokenExp().build();

        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PRIVATE, props().exp(inSeconds(3600)).ejectAtRoomExp().ejectAfterElapsed(2400L).build()))
                .when(joinWithToken(GUEST, GUEST_TOKEN, claims))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, GUEST, null, null, Admission.token(GUEST_TOKEN),
                        false, false, Instant.ofEpochSecond(inSeconds(1800))));
    }

    @Test
    void a_room_exp_without_eject_at_room_exp_sets_no_will_eject_at() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().exp(inSeconds(3600)).build()))
                .when(join(GUEST))
                .expectEvents(joinedPublicly(GUEST, null, null));
    }
}
