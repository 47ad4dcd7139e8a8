package io.roomgate.command.room;

import io.roomgate.events.BanLifted;
import io.roomgate.events.EjectionCause;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.UserBanned;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.roomgate.access.Rejected.Kind.FORBIDDEN;
import static io.roomgate.access.Rejected.Kind.NOT_FOUND;
import static io.roomgate.command.room.Rejections.rejected;
import static io.roomgate.command.room.RoomTesting.GUEST;
import static io.roomgate.command.room.RoomTesting.NAME;
import static io.roomgate.command.room.RoomTesting.NOW;
import static io.roomgate.command.room.RoomTesting.OTHER;
import static io.roomgate.command.room.RoomTesting.OWNER;
import static io.roomgate.command.room.RoomTesting.ROOM_ID;
import static io.roomgate.command.room.RoomTesting.joinAsUser;
import static io.roomgate.command.room.RoomTesting.joinedAsOwner;
import static io.roomgate.command.room.RoomTesting.joinedPublicly;
import static io.roomgate.command.room.RoomTesting.publicRoom;
import static io.roomgate.command.room.RoomTesting.roomFixture;

/** access rules §1 "Presence": leaves, an admin's ejections and Daily's {@code ban} flag, kept as events. */
class RoomEjectAndBanTest {

    private AggregateTestFixture<Room> fixture;

    @BeforeEach
    void setUp() {
        fixture = roomFixture();
    }

    // ---- leave

    @Test
    void a_participant_who_leaves_is_recorded_as_having_left() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, null, null))
                .when(new LeaveRoom(ROOM_ID, GUEST))
                .expectEvents(new ParticipantLeft(ROOM_ID, NAME, GUEST));
    }

    @Test
    void leaving_a_room_one_is_not_in_is_refused_as_not_found() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(OTHER, null, null))
                .when(new LeaveRoom(ROOM_ID, GUEST))
                .expectException(rejected(NOT_FOUND, "participant " + GUEST + " is not in room " + NAME))
                .expectNoEvents();
    }

    @Test
    void leaving_twice_is_refused_the_second_time_as_not_found() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, null, null), new ParticipantLeft(ROOM_ID, NAME, GUEST))
                .when(new LeaveRoom(ROOM_ID, GUEST))
                .expectException(rejected(NOT_FOUND, "is not in room"))
                .expectNoEvents();
    }

    // ---- eject

    @Test
    void an_admin_ejects_participants_by_their_ids() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, "user-g", null), joinedPublicly(OTHER, "user-o", null))
                .when(new EjectParticipants(ROOM_ID, List.of(GUEST), List.of(), false))
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.ADMIN))
                .expectResultMessagePayload(List.of(GUEST));
    }

    @Test
    void an_admin_ejects_every_session_of_a_user_id() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, "user-g", null), joinedPublicly(OWNER, "user-a", null),
                        joinedPublicly(OTHER, "user-g", null))
                .when(new EjectParticipants(ROOM_ID, List.of(), List.of("user-g"), false))
                .expectEvents(
                        new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.ADMIN),
                        new ParticipantEjected(ROOM_ID, NAME, OTHER, "user-g", EjectionCause.ADMIN))
                .expectResultMessagePayload(List.of(GUEST, OTHER));
    }

    @Test
    void ejecting_someone_who_is_not_present_records_nothing_and_ejects_nobody() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(OTHER, "user-o", null))
                .when(new EjectParticipants(ROOM_ID, List.of(GUEST), List.of(), false))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents()
                .expectResultMessagePayload(List.of());
    }

    @Test
    void an_eject_with_ban_bans_the_ejected_participants_user_id() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, "user-m", null))
                .when(new EjectParticipants(ROOM_ID, List.of(GUEST), List.of(), true))
                .expectEvents(
                        new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-m", EjectionCause.ADMIN),
                        new UserBanned(ROOM_ID, NAME, "user-m"));
    }

    @Test
    void an_eject_by_user_id_with_ban_bans_that_user_id_even_when_nobody_with_it_is_present() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new EjectParticipants(ROOM_ID, List.of(), List.of("user-m"), true))
                .expectEvents(new UserBanned(ROOM_ID, NAME, "user-m"))
                .expectResultMessagePayload(List.of());
    }

    @Test
    void an_eject_without_ban_bans_nobody() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, "user-m", null))
                .when(new EjectParticipants(ROOM_ID, List.of(), List.of("user-m"), false))
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-m", EjectionCause.ADMIN));
    }

    @Test
    void a_user_already_banned_is_not_banned_a_second_time() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), new UserBanned(ROOM_ID, NAME, "user-m"))
                .when(new EjectParticipants(ROOM_ID, List.of(), List.of("user-m"), true))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void a_participant_ejected_with_ban_cannot_join_again() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, "user-m", null),
                        new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-m", EjectionCause.ADMIN),
                        new UserBanned(ROOM_ID, NAME, "user-m"))
                .when(joinAsUser(OTHER, "user-m"))
                .expectException(rejected(FORBIDDEN, "join refused: banned"))
                .expectNoEvents();
    }

    @Test
    void a_participant_ejected_without_ban_may_join_again() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, "user-m", null),
                        new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-m", EjectionCause.ADMIN))
                .when(joinAsUser(GUEST, "user-m"))
                .expectEvents(joinedPublicly(GUEST, "user-m", null));
    }

    @Test
    void an_ejected_owner_is_no_longer_present() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedAsOwner(OWNER),
                        new ParticipantEjected(ROOM_ID, NAME, OWNER, "user-ada", EjectionCause.ADMIN))
                .when(new LeaveRoom(ROOM_ID, OWNER))
                .expectException(rejected(NOT_FOUND, "is not in room"))
                .expectNoEvents();
    }

    // ---- lift a ban

    @Test
    void lifting_a_ban_records_ban_lifted() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), new UserBanned(ROOM_ID, NAME, "user-m"))
                .when(new LiftBan(ROOM_ID, "user-m"))
                .expectEvents(new BanLifted(ROOM_ID, NAME, "user-m"));
    }

    @Test
    void a_user_whose_ban_was_lifted_may_join_again() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), new UserBanned(ROOM_ID, NAME, "user-m"), new BanLifted(ROOM_ID, NAME, "user-m"))
                .when(joinAsUser(GUEST, "user-m"))
                .expectEvents(joinedPublicly(GUEST, "user-m", null));
    }

    @Test
    void lifting_a_ban_on_a_user_who_is_not_banned_is_refused_as_not_found() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new LiftBan(ROOM_ID, "user-m"))
                .expectException(rejected(NOT_FOUND, "user user-m is not banned from room " + NAME))
                .expectNoEvents();
    }

    @Test
    void lifting_a_ban_twice_is_refused_the_second_time_as_not_found() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), new UserBanned(ROOM_ID, NAME, "user-m"), new BanLifted(ROOM_ID, NAME, "user-m"))
                .when(new LiftBan(ROOM_ID, "user-m"))
                .expectException(rejected(NOT_FOUND, "is not banned"))
                .expectNoEvents();
    }
}
