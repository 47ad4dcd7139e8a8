package io.roomgate.command.room;

import io.roomgate.events.Admission;
import io.roomgate.events.DeletionCause;
import io.roomgate.events.EjectionCause;
import io.roomgate.events.KnockExpired;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.RoomPropertiesChanged;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.roomgate.command.room.Props.props;
import static io.roomgate.command.room.RoomTesting.GUEST;
import static io.roomgate.command.room.RoomTesting.GUEST_TOKEN;
import static io.roomgate.command.room.RoomTesting.KNOCK;
import static io.roomgate.command.room.RoomTesting.NAME;
import static io.roomgate.command.room.RoomTesting.NOW;
import static io.roomgate.command.room.RoomTesting.OTHER;
import static io.roomgate.command.room.RoomTesting.OWNER;
import static io.roomgate.command.room.RoomTesting.OWNER_TOKEN;
import static io.roomgate.command.room.RoomTesting.ROOM_ID;
import static io.roomgate.command.room.RoomTesting.create;
import static io.roomgate.command.room.RoomTesting.created;
import static io.roomgate.command.room.RoomTesting.inSeconds;
import static io.roomgate.command.room.RoomTesting.join;
import static io.roomgate.command.room.RoomTesting.joinAsUser;
import static io.roomgate.command.room.RoomTesting.joinWithToken;
import static io.roomgate.command.room.RoomTesting.joinedPublicly;
import static io.roomgate.command.room.RoomTesting.ownerClaims;
import static io.roomgate.command.room.RoomTesting.roomFixture;

/**
 * access rules §1, the rules that act on their own when time passes: a room's {@code exp}, a knock's
 * waiting time, and each participant's {@code will_eject_at}.
 */
class RoomDeadlinesTest {

    private static final long ONE_HOUR = 3600;
    private static final Instant IN_ONE_HOUR = Instant.ofEpochSecond(inSeconds(ONE_HOUR));
    private static final Instant IN_TWO_HOURS = Instant.ofEpochSecond(inSeconds(2 * ONE_HOUR));


    private AggregateTestFixture<Room> fixture;

    @BeforeEach
    void setUp() {
        fixture = roomFixture();
    }

    private static CreateRoom knockingRoomExpiringInOneHour() {
        return create(Privacy.PRIVATE, props().knocking().exp(inSeconds(ONE_HOUR)).build());
    }

    // ---- the room's exp

    @Test
    void a_room_with_exp_schedules_its_own_deletion_at_exp() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).build()))
                .expectScheduledDeadlineWithName(IN_ONE_HOUR, Room.ROOM_EXPIRY);
    }

    @Test
    void a_room_without_exp_schedules_nothing() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, RoomProperties.defaults()))
                .expectNoScheduledDeadlines();
    }

    @Test
    void a_room_is_deleted_automatically_at_exp() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).build()))
                .whenTimeAdvancesTo(IN_ONE_HOUR)
                .expectTriggeredDeadlinesWithName(Room.ROOM_EXPIRY)
                .expectEvents(new RoomDeleted(ROOM_ID, NAME, DeletionCause.EXPIRY));
    }

    @Test
    void an_expired_room_whose_deadline_has_not_run_is_deleted_at_once_when_its_name_is_wanted() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().exp(inSeconds(0)).build()))
                .when(new ExpireRoom(ROOM_ID))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new RoomDeleted(ROOM_ID, NAME, DeletionCause.EXPIRY));
    }

    @Test
    void a_room_not_expired_yet_is_not_deleted_for_its_name() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().exp(inSeconds(1)).build()))
                .when(new ExpireRoom(ROOM_ID))
                .expectException(io.roomgate.access.Rejected.class)
                .expectNoEvents();
    }

    @Test
    void expiring_a_room_already_deleted_changes_nothing() {
        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PUBLIC, props().exp(inSeconds(-60)).build()), new RoomDeleted(ROOM_ID, NAME, DeletionCause.ADMIN))
                .when(new ExpireRoom(ROOM_ID))
                // the controller takes this as "the name is free already" and goes on creating
                .expectException(org.axonframework.modelling.command.AggregateNotFoundException.class)
                .expectNoEvents();
    }

    @Test
    void a_room_is_not_deleted_a_second_before_its_exp() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).build()))
                .whenTimeAdvancesTo(IN_ONE_HOUR.minusSeconds(1))
                .expectTriggeredDeadlines()
                .expectNoEvents();
    }

    @Test
    void with_eject_at_room_exp_the_participants_present_are_ejected_at_exp_and_the_room_deleted() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).ejectAtRoomExp().build()),
                        joinAsUser(GUEST, "user-g"),
                        joinAsUser(OTHER, "user-o"))
                .whenTimeAdvancesTo(IN_ONE_HOUR)
                .expectEvents(
                        new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.ROOM_EXPIRED),
                        new ParticipantEjected(ROOM_ID, NAME, OTHER, "user-o", EjectionCause.ROOM_EXPIRED),
                        new RoomDeleted(ROOM_ID, NAME, DeletionCause.EXPIRY));
    }

    @Test
    void moving_exp_later_postpones_the_automatic_deletion() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).build()),
                        new UpdateRoom(ROOM_ID, null, props().exp(inSeconds(2 * ONE_HOUR)).build()))
                .whenTimeAdvancesTo(IN_ONE_HOUR)
                .expectNoEvents()
                .expectScheduledDeadlineWithName(IN_TWO_HOURS, Room.ROOM_EXPIRY);
    }

    @Test
    void a_room_whose_exp_was_moved_later_is_deleted_at_the_new_exp() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).build()),
                        new UpdateRoom(ROOM_ID, null, props().exp(inSeconds(2 * ONE_HOUR)).build()))
                .whenTimeAdvancesTo(IN_TWO_HOURS)
                .expectEvents(new RoomDeleted(ROOM_ID, NAME, DeletionCause.EXPIRY));
    }

    @Test
    void moving_exp_earlier_brings_the_automatic_deletion_forward() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(create(Privacy.PUBLIC, props().exp(inSeconds(2 * ONE_HOUR)).build()))
                .when(new UpdateRoom(ROOM_ID, null, props().exp(inSeconds(ONE_HOUR)).build()))
                .expectScheduledDeadlineWithName(IN_ONE_HOUR, Room.ROOM_EXPIRY)
                .expectNoScheduledDeadlineWithName(IN_TWO_HOURS, Room.ROOM_EXPIRY);
    }

    @Test
    void removing_exp_cancels_the_automatic_deletion() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).build()))
                .when(new UpdateRoom(ROOM_ID, null, RoomProperties.defaults()))
                .expectEvents(new RoomPropertiesChanged(ROOM_ID, NAME, RoomProperties.defaults()))
                .expectNoScheduledDeadlines();
    }

    // ---- knocks

    @Test
    void a_knock_schedules_its_expiry_ten_minutes_ahead() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(knockingRoomExpiringInOneHour())
                .when(new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .expectScheduledDeadline(NOW.plus(Duration.ofMinutes(10)), KNOCK);
    }

    @Test
    void a_pending_knock_expires_after_ten_minutes() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(knockingRoomExpiringInOneHour(), new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .whenTimeElapses(Duration.ofMinutes(10))
                .expectTriggeredDeadlinesWithName(Room.KNOCK_EXPIRY)
                .expectEvents(new KnockExpired(ROOM_ID, NAME, KNOCK));
    }

    @Test
    void a_pending_knock_is_still_waiting_just_before_ten_minutes() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(knockingRoomExpiringInOneHour(), new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .whenTimeElapses(Duration.ofMinutes(10).minusSeconds(1))
                .expectTriggeredDeadlines()
                .expectNoEvents();
    }

    @Test
    void an_approved_knocks_expiry_deadline_does_nothing() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        knockingRoomExpiringInOneHour(),
                        joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()),
                        new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"),
                        new ApproveKnock(ROOM_ID, KNOCK, OWNER))
                .whenTimeElapses(Duration.ofMinutes(10))
                .expectTriggeredDeadlinesWithName(Room.KNOCK_EXPIRY)
                .expectNoEvents();
    }

    @Test
    void a_denied_knocks_expiry_deadline_does_nothing() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        knockingRoomExpiringInOneHour(),
                        joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()),
                        new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"),
                        new DenyKnock(ROOM_ID, KNOCK, OWNER))
                .whenTimeElapses(Duration.ofMinutes(10))
                .expectTriggeredDeadlinesWithName(Room.KNOCK_EXPIRY)
                .expectNoEvents();
    }

    @Test
    void a_withdrawn_knocks_expiry_deadline_does_nothing() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        knockingRoomExpiringInOneHour(),
                        new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"),
                        new WithdrawKnock(ROOM_ID, KNOCK))
                .whenTimeElapses(Duration.ofMinutes(10))
                .expectTriggeredDeadlinesWithName(Room.KNOCK_EXPIRY)
                .expectNoEvents();
    }

    // ---- participants' will_eject_at

    @Test
    void a_join_schedules_the_ejection_at_will_eject_at() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(create(Privacy.PUBLIC, props().ejectAfterElapsed(ONE_HOUR).build()))
                .when(join(GUEST))
                .expectScheduledDeadline(IN_ONE_HOUR, new ScheduledEjection(GUEST, IN_ONE_HOUR, EjectionCause.ELAPSED));
    }

    @Test
    void a_join_without_any_ejection_limit_schedules_nothing() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(create(Privacy.PUBLIC, RoomProperties.defaults()))
                .when(join(GUEST))
                .expectNoScheduledDeadlines();
    }

    @Test
    void a_participant_is_ejected_once_eject_after_elapsed_has_passed() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().ejectAfterElapsed(ONE_HOUR).build()),
                        joinAsUser(GUEST, "user-g"))
                .whenTimeElapses(Duration.ofSeconds(ONE_HOUR))
                .expectTriggeredDeadlinesWithName(Room.PARTICIPANT_EJECTION)
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.ELAPSED));
    }

    @Test
    void a_participant_is_ejected_at_their_tokens_exp_with_eject_at_token_exp() {
        MeetingTokenClaims claims = Claims.forRoom(NAME).userId("user-g").exp(inSeconds(ONE_HOUR)).ejectAtTokenExp().build();

        fixture.givenCurrentTime(NOW)
                .andGivenCommands(create(Privacy.PRIVATE, RoomProperties.defaults()), joinWithToken(GUEST, GUEST_TOKEN, claims))
                .whenTimeAdvancesTo(IN_ONE_HOUR)
                .expectTriggeredDeadlinesWithName(Room.PARTICIPANT_EJECTION)
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.TOKEN_EXPIRED));
    }

    @Test
    void only_the_participant_whose_time_has_come_is_ejected() {
        MeetingTokenClaims shortLived = Claims.forRoom(NAME).userId("user-g").ejectAfterElapsed(600L).build();

        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PRIVATE, RoomProperties.defaults()),
                        joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()),
                        joinWithToken(GUEST, GUEST_TOKEN, shortLived))
                .whenTimeElapses(Duration.ofMinutes(10))
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.ELAPSED));
    }

    @Test
    void a_participant_who_left_is_not_ejected_by_the_old_deadline() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().ejectAfterElapsed(ONE_HOUR).build()),
                        joinAsUser(GUEST, "user-g"),
                        new LeaveRoom(ROOM_ID, GUEST))
                .whenTimeElapses(Duration.ofSeconds(ONE_HOUR))
                .expectTriggeredDeadlinesWithName(Room.PARTICIPANT_EJECTION)
                .expectNoEvents();
    }

    @Test
    void a_participant_ejected_by_an_admin_is_not_ejected_again_by_the_old_deadline() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().ejectAfterElapsed(ONE_HOUR).build()),
                        joinAsUser(GUEST, "user-g"),
                        new EjectParticipants(ROOM_ID, List.of(GUEST), List.of(), false))
                .whenTimeElapses(Duration.ofSeconds(ONE_HOUR))
                .expectTriggeredDeadlinesWithName(Room.PARTICIPANT_EJECTION)
                .expectNoEvents();
    }

    @Test
    void changing_the_rooms_exp_does_not_move_will_eject_at_of_people_already_in() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).ejectAtRoomExp().build()),
                        join(GUEST))
                .when(new UpdateRoom(ROOM_ID, null, props().exp(inSeconds(2 * ONE_HOUR)).ejectAtRoomExp().build()))
                .expectEvents(new RoomPropertiesChanged(ROOM_ID, NAME, props().exp(inSeconds(2 * ONE_HOUR)).ejectAtRoomExp().build()))
                .expectScheduledDeadline(IN_ONE_HOUR, new ScheduledEjection(GUEST, IN_ONE_HOUR, EjectionCause.ROOM_EXPIRED));
    }

    @Test
    void a_participant_in_the_room_before_its_exp_moved_is_ejected_at_the_time_fixed_when_they_joined() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).ejectAtRoomExp().build()),
                        join(GUEST),
                        new UpdateRoom(ROOM_ID, null, props().exp(inSeconds(2 * ONE_HOUR)).ejectAtRoomExp().build()))
                .whenTimeAdvancesTo(IN_ONE_HOUR)
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, GUEST, null, EjectionCause.ROOM_EXPIRED));
    }

    @Test
    void someone_joining_after_the_rooms_exp_moved_gets_the_new_exp_as_will_eject_at() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).ejectAtRoomExp().build()),
                        new UpdateRoom(ROOM_ID, null, props().exp(inSeconds(2 * ONE_HOUR)).ejectAtRoomExp().build()))
                .when(join(GUEST))
                .expectEvents(joinedPublicly(GUEST, null, IN_TWO_HOURS));
    }

    // ---- deletion ends every deadline

    @Test
    void deleting_the_room_cancels_its_deadlines() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PRIVATE, props().knocking().exp(inSeconds(ONE_HOUR)).ejectAfterElapsed(600L).build()),
                        joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()),
                        new RequestKnock(ROOM_ID, KNOCK, "Grace Hopper"))
                .when(new DeleteRoom(ROOM_ID, DeletionCause.ADMIN))
                .expectEvents(
                        new ParticipantEjected(ROOM_ID, NAME, OWNER, "user-ada", EjectionCause.ROOM_DELETED),
                        new RoomDeleted(ROOM_ID, NAME, DeletionCause.ADMIN))
                .expectNoScheduledDeadlines();
    }

    @Test
    void a_room_deleted_at_exp_leaves_no_deadline_behind() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(
                        create(Privacy.PUBLIC, props().exp(inSeconds(ONE_HOUR)).ejectAfterElapsed(2 * ONE_HOUR).build()),
                        join(GUEST))
                .whenTimeAdvancesTo(IN_ONE_HOUR)
                .expectNoScheduledDeadlines();
    }

    @Test
    void the_join_that_set_will_eject_at_recorded_it() {
        fixture.givenCurrentTime(NOW)
                .andGivenCommands(create(Privacy.PRIVATE, props().ejectAfterElapsed(ONE_HOUR).build()))
                .when(joinWithToken(OWNER, OWNER_TOKEN, ownerClaims()))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, OWNER, "Ada Lovelace", "user-ada",
                        Admission.token(OWNER_TOKEN), true, true, IN_ONE_HOUR));
    }
}
