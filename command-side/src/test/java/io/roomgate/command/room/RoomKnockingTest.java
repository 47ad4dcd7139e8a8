package io.roomgate.command.room;

import io.roomgate.access.Decision;
import io.roomgate.access.Reason;
import io.roomgate.access.Verdict;
import io.roomgate.events.Admission;
import io.roomgate.events.EjectionCause;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockDenied;
import io.roomgate.events.KnockExpired;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.KnockWithdrawn;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomProperties;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.roomgate.access.Rejected.Kind.CONFLICT;
import static io.roomgate.access.Rejected.Kind.FORBIDDEN;
import static io.roomgate.access.Rejected.Kind.INVALID;
import static io.roomgate.access.Rejected.Kind.NOT_FOUND;
import static io.roomgate.command.room.Props.props;
import static io.roomgate.command.room.Rejections.rejected;
import static io.roomgate.command.room.RoomTesting.ADMIN;
import static io.roomgate.command.room.RoomTesting.GUEST;
import static io.roomgate.command.room.RoomTesting.GUEST_TOKEN;
import static io.roomgate.command.room.RoomTesting.KNOCK;
import static io.roomgate.command.room.RoomTesting.KNOCKER;
import static io.roomgate.command.room.RoomTesting.NAME;
import static io.roomgate.command.room.RoomTesting.NOW;
import static io.roomgate.command.room.RoomTesting.OTHER;
import static io.roomgate.command.room.RoomTesting.OWNER;
import static io.roomgate.command.room.RoomTesting.ROOM_ID;
import static io.roomgate.command.room.RoomTesting.created;
import static io.roomgate.command.room.RoomTesting.joinWithKnock;
import static io.roomgate.command.room.RoomTesting.joinWithToken;
import static io.roomgate.command.room.RoomTesting.joinedAsOwner;
import static io.roomgate.command.room.RoomTesting.joinedPublicly;
import static io.roomgate.command.room.RoomTesting.joinedWithPlainToken;
import static io.roomgate.command.room.RoomTesting.knockingRoom;
import static io.roomgate.command.room.RoomTesting.ownerClaims;
import static io.roomgate.command.room.RoomTesting.privateRoom;
import static io.roomgate.command.room.RoomTesting.publicRoom;
import static io.roomgate.command.room.RoomTesting.roomFixture;

/** access rules §1 "Knocking": who may knock, who may decide, and what an approval is worth. */
class RoomKnockingTest {

    private static final Instant PENDING_UNTIL = NOW.plus(Duration.ofMinutes(10));
    private static final Instant APPROVED_UNTIL = NOW.plus(Duration.ofMinutes(5));

    private AggregateTestFixture<Room> fixture;

    @BeforeEach
    void setUp() {
        fixture = roomFixture();
    }

    private static KnockRequested knocked() {
        return new KnockRequested(ROOM_ID, NAME, KNOCK, "Grace Hopper", PENDING_UNTIL);
    }

    private static KnockApproved approved() {
        return new KnockApproved(ROOM_ID, NAME, KNOCK, OWNER, APPROVED_UNTIL);
    }

    // ---- knocking

    @Test
    void someone_without_a_token_may_knock_on_a_private_room_with_knocking_and_waits_ten_minutes() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom())
                .when(new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .expectEvents(new KnockRequested(ROOM_ID, NAME, KNOCK, "Grace Hopper", NOW.plus(Duration.ofMinutes(10))));
    }

    @Test
    void a_knock_waits_for_the_configured_pending_time() {
        fixture = roomFixture(new KnockTimeouts(Duration.ofMinutes(2), Duration.ofMinutes(1)));

        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom())
                .when(new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .expectEvents(new KnockRequested(ROOM_ID, NAME, KNOCK, "Grace Hopper", NOW.plus(Duration.ofMinutes(2))));
    }

    @Test
    void knocking_on_a_public_room_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().knocking().build()))
                .when(new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .expectException(rejected(INVALID, "is public"))
                .expectNoEvents();
    }

    @Test
    void knocking_on_a_private_room_without_enable_knocking_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(privateRoom())
                .when(new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .expectException(rejected(INVALID, "enable_knocking is false"))
                .expectNoEvents();
    }

    @Test
    void a_room_created_with_default_properties_takes_no_knocks() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PRIVATE, RoomProperties.defaults()))
                .when(new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .expectException(rejected(INVALID, "does not take knocks"))
                .expectNoEvents();
    }

    @Test
    void a_knock_without_a_user_name_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom())
                .when(new RequestKnock(ROOM_ID, KNOCK, " "))
                .expectException(rejected(INVALID, "user_name must be 1-200 characters"))
                .expectNoEvents();
    }

    @Test
    void a_knock_whose_user_name_is_longer_than_200_characters_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom())
                .when(new RequestKnock(ROOM_ID, KNOCK, "g".repeat(201)))
                .expectException(rejected(INVALID, "user_name must be 1-200 characters"))
                .expectNoEvents();
    }

    @Test
    void a_knocker_whose_knock_is_pending_is_not_admitted_yet() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), knocked())
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectException(rejected(FORBIDDEN, "join refused: knock-pending"))
                .expectNoEvents();
    }

    // ---- a room does not keep every knock ever filed (issue 16)

    /** A knocking room with its owner in it, and 1,100 knocks filed and denied, then one more filed and left pending. */
    private static java.util.List<Object> floodedRoom() {
        java.util.List<Object> history = new java.util.ArrayList<>(java.util.List.of(knockingRoom(), joinedAsOwner(OWNER)));
        for (int i = 0; i < 1_100; i++) {
            history.add(new KnockRequested(ROOM_ID, NAME, "k" + i, "flood", PENDING_UNTIL));
            history.add(new KnockDenied(ROOM_ID, NAME, "k" + i, OWNER));
        }
        history.add(new KnockRequested(ROOM_ID, NAME, "waiting", "Grace Hopper", PENDING_UNTIL));
        return history;
    }

    @Test
    void the_oldest_decided_knocks_beyond_a_thousand_are_forgotten() {
        fixture.givenCurrentTime(NOW)
                .andGiven(floodedRoom())
                .when(new DenyKnock(ROOM_ID, "k0", OWNER))
                .expectException(rejected(NOT_FOUND, "no knock k0"));
    }

    @Test
    void the_newest_decided_knocks_are_still_known_as_decided() {
        fixture.givenCurrentTime(NOW)
                .andGiven(floodedRoom())
                .when(new DenyKnock(ROOM_ID, "k1099", OWNER))
                .expectException(rejected(CONFLICT, "already denied"));
    }

    @Test
    void pending_knocks_are_never_forgotten() {
        fixture.givenCurrentTime(NOW)
                .andGiven(floodedRoom())
                .when(new ApproveKnock(ROOM_ID, "waiting", OWNER))
                .expectEvents(new KnockApproved(ROOM_ID, NAME, "waiting", OWNER, NOW.plus(Duration.ofMinutes(5))));
    }

    // ---- deciding: only an owner who is in the room right now

    @Test
    void only_an_owner_who_is_in_the_room_may_approve_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked())
                .when(new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .expectEvents(new KnockApproved(ROOM_ID, NAME, KNOCK, OWNER, NOW.plus(Duration.ofMinutes(5))));
    }

    @Test
    void an_owner_who_arrives_later_may_approve_a_knock_already_waiting() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), knocked())
                .andGivenCommands(joinWithToken(OWNER, RoomTesting.OWNER_TOKEN, ownerClaims()))
                .when(new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .expectEvents(approved());
    }

    @Test
    void a_participant_whose_token_may_admin_participants_may_approve_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), knocked())
                .andGivenCommands(joinWithToken(ADMIN, GUEST_TOKEN, Claims.forRoom(NAME).canAdmin("participants").build()))
                .when(new ApproveKnock(ROOM_ID, KNOCK, ADMIN))
                .expectEvents(new KnockApproved(ROOM_ID, NAME, KNOCK, ADMIN, APPROVED_UNTIL));
    }

    @Test
    void a_participant_whose_token_may_admin_only_other_things_may_not_approve_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), knocked())
                .andGivenCommands(joinWithToken(ADMIN, GUEST_TOKEN, Claims.forRoom(NAME).canAdmin("streaming").build()))
                .when(new ApproveKnock(ROOM_ID, KNOCK, ADMIN))
                .expectException(rejected(FORBIDDEN, "is not an owner"))
                .expectNoEvents();
    }

    @Test
    void a_participant_who_is_not_an_owner_may_not_approve_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), joinedWithPlainToken(GUEST, "user-g"), knocked())
                .when(new ApproveKnock(ROOM_ID, KNOCK, GUEST))
                .expectException(rejected(FORBIDDEN, "participant " + GUEST + " is not an owner of room " + NAME))
                .expectNoEvents();
    }

    @Test
    void a_participant_admitted_because_the_room_was_public_may_not_approve_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedPublicly(GUEST, null, null), knocked())
                .when(new ApproveKnock(ROOM_ID, KNOCK, GUEST))
                .expectException(rejected(FORBIDDEN, "is not an owner"))
                .expectNoEvents();
    }

    @Test
    void an_owner_who_has_left_may_not_approve_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), new ParticipantLeft(ROOM_ID, NAME, OWNER))
                .when(new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .expectException(rejected(FORBIDDEN, "only an owner who is in the room can decide a knock"))
                .expectNoEvents();
    }

    @Test
    void an_owner_who_was_ejected_may_not_approve_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(),
                        new ParticipantEjected(ROOM_ID, NAME, OWNER, "user-ada", EjectionCause.ELAPSED))
                .when(new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .expectException(rejected(FORBIDDEN, "only an owner who is in the room"))
                .expectNoEvents();
    }

    @Test
    void a_decision_without_a_deciding_participant_is_forbidden() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked())
                .when(new ApproveKnock(ROOM_ID, KNOCK, null))
                .expectException(rejected(FORBIDDEN, "only an owner who is in the room"))
                .expectNoEvents();
    }

    @Test
    void approving_a_knock_that_does_not_exist_is_refused_as_not_found() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER))
                .when(new ApproveKnock(ROOM_ID, "no-such-knock", OWNER))
                .expectException(rejected(NOT_FOUND, "no knock no-such-knock in room " + NAME))
                .expectNoEvents();
    }

    @Test
    void a_knock_already_denied_cannot_be_approved() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), new KnockDenied(ROOM_ID, NAME, KNOCK, OWNER))
                .when(new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .expectException(rejected(CONFLICT, "knock " + KNOCK + " is already denied"))
                .expectNoEvents();
    }

    @Test
    void a_knock_already_approved_cannot_be_approved_again() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), approved())
                .when(new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .expectException(rejected(CONFLICT, "is already approved"))
                .expectNoEvents();
    }

    @Test
    void a_knock_whose_waiting_time_has_passed_cannot_be_approved_even_before_its_expiry_is_recorded() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), new KnockRequested(ROOM_ID, NAME, KNOCK, "Grace Hopper", NOW))
                .when(new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .expectException(rejected(CONFLICT, "is already expired"))
                .expectNoEvents();
    }

    @Test
    void a_withdrawn_knock_cannot_be_approved() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), new KnockWithdrawn(ROOM_ID, NAME, KNOCK))
                .when(new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .expectException(rejected(CONFLICT, "is already withdrawn"))
                .expectNoEvents();
    }

    @Test
    void a_present_owner_may_deny_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked())
                .when(new DenyKnock(ROOM_ID, KNOCK, OWNER))
                .expectEvents(new KnockDenied(ROOM_ID, NAME, KNOCK, OWNER));
    }

    @Test
    void only_an_owner_who_is_in_the_room_may_deny_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), joinedWithPlainToken(GUEST, "user-g"), knocked())
                .when(new DenyKnock(ROOM_ID, KNOCK, GUEST))
                .expectException(rejected(FORBIDDEN, "is not an owner"))
                .expectNoEvents();
    }

    @Test
    void an_owner_who_has_left_may_not_deny_a_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), new ParticipantLeft(ROOM_ID, NAME, OWNER))
                .when(new DenyKnock(ROOM_ID, KNOCK, OWNER))
                .expectException(rejected(FORBIDDEN, "only an owner who is in the room"))
                .expectNoEvents();
    }

    @Test
    void a_knock_already_approved_cannot_be_denied() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), approved())
                .when(new DenyKnock(ROOM_ID, KNOCK, OWNER))
                .expectException(rejected(CONFLICT, "is already approved"))
                .expectNoEvents();
    }

    // ---- what a decision is worth

    @Test
    void an_approved_knock_admits_the_knocker_but_not_as_an_owner() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), approved())
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, KNOCKER, null, null, Admission.knock(KNOCK), false, false, null))
                .expectResultMessagePayload(new Verdict(Decision.ALLOW, Reason.KNOCK_APPROVED, false));
    }

    @Test
    void an_approved_knock_admits_the_knocker_only_once() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), approved(),
                        new ParticipantJoined(ROOM_ID, NAME, KNOCKER, null, null, Admission.knock(KNOCK), false, false, null))
                .when(joinWithKnock(OTHER, KNOCK))
                .expectException(rejected(FORBIDDEN, "join refused: knock-used"))
                .expectNoEvents();
    }

    @Test
    void an_approved_knock_admits_the_knocker_once_even_after_they_left() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), approved(),
                        new ParticipantJoined(ROOM_ID, NAME, KNOCKER, null, null, Admission.knock(KNOCK), false, false, null),
                        new ParticipantLeft(ROOM_ID, NAME, KNOCKER))
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectException(rejected(FORBIDDEN, "join refused: knock-used"))
                .expectNoEvents();
    }

    @Test
    void an_approval_admits_only_within_its_window() {
        Instant approvedAt = NOW.minus(Duration.ofMinutes(6));
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER),
                        new KnockRequested(ROOM_ID, NAME, KNOCK, "Grace Hopper", approvedAt.plus(Duration.ofMinutes(10))),
                        new KnockApproved(ROOM_ID, NAME, KNOCK, OWNER, approvedAt.plus(Duration.ofMinutes(5))))
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectException(rejected(FORBIDDEN, "join refused: knock-expired"))
                .expectNoEvents();
    }

    @Test
    void an_approved_knock_for_another_room_is_not_accepted() {
        // the knock was approved in another room: this room has never heard of it
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER))
                .when(joinWithKnock(KNOCKER, "knock-approved-in-another-room"))
                .expectException(rejected(FORBIDDEN, "join refused: knock-required"))
                .expectNoEvents();
    }

    @Test
    void a_denial_is_final_for_that_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), new KnockDenied(ROOM_ID, NAME, KNOCK, OWNER))
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectException(rejected(FORBIDDEN, "join refused: knock-denied"))
                .expectNoEvents();
    }

    @Test
    void an_expired_knock_does_not_admit() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), knocked(), new KnockExpired(ROOM_ID, NAME, KNOCK))
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectException(rejected(FORBIDDEN, "join refused: knock-expired"))
                .expectNoEvents();
    }

    @Test
    void an_approved_knock_does_not_admit_into_a_full_room() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PRIVATE, props().knocking().maxParticipants(1).build()),
                        joinedAsOwner(OWNER), knocked(), approved())
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectException(rejected(CONFLICT, "join refused: room-full"))
                .expectNoEvents();
    }

    // ---- withdrawing

    @Test
    void the_knocker_may_withdraw_a_pending_knock() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), knocked())
                .when(new WithdrawKnock(ROOM_ID, KNOCK))
                .expectEvents(new KnockWithdrawn(ROOM_ID, NAME, KNOCK));
    }

    @Test
    void the_knocker_may_withdraw_an_approved_knock_not_yet_used() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), approved())
                .when(new WithdrawKnock(ROOM_ID, KNOCK))
                .expectEvents(new KnockWithdrawn(ROOM_ID, NAME, KNOCK));
    }

    @Test
    void withdrawing_a_knock_twice_records_nothing_the_second_time() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), knocked(), new KnockWithdrawn(ROOM_ID, NAME, KNOCK))
                .when(new WithdrawKnock(ROOM_ID, KNOCK))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void a_denied_knock_cannot_be_withdrawn() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), new KnockDenied(ROOM_ID, NAME, KNOCK, OWNER))
                .when(new WithdrawKnock(ROOM_ID, KNOCK))
                .expectException(rejected(CONFLICT, "is denied and cannot be withdrawn"))
                .expectNoEvents();
    }

    @Test
    void withdrawing_a_knock_that_does_not_exist_is_refused_as_not_found() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom())
                .when(new WithdrawKnock(ROOM_ID, KNOCK))
                .expectException(rejected(NOT_FOUND, "no knock"))
                .expectNoEvents();
    }

    @Test
    void a_withdrawn_knock_does_not_admit() {
        fixture.givenCurrentTime(NOW)
                .andGiven(knockingRoom(), joinedAsOwner(OWNER), knocked(), approved(), new KnockWithdrawn(ROOM_ID, NAME, KNOCK))
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectException(rejected(FORBIDDEN, "join refused: knock-withdrawn"))
                .expectNoEvents();
    }

    @Test
    void a_knock_id_is_ignored_in_a_public_room_where_anyone_may_join() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(joinWithKnock(KNOCKER, KNOCK))
                .expectEvents(joinedPublicly(KNOCKER, null, null));
    }
}
