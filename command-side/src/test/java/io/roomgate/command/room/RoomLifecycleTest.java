package io.roomgate.command.room;

import io.roomgate.events.DeletionCause;
import io.roomgate.events.EjectionCause;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.Privacy;
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.RoomPropertiesChanged;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.roomgate.access.Rejected.Kind.INVALID;
import static io.roomgate.command.room.Props.props;
import static io.roomgate.command.room.Rejections.rejected;
import static io.roomgate.command.room.RoomTesting.GUEST;
import static io.roomgate.command.room.RoomTesting.KNOCK;
import static io.roomgate.command.room.RoomTesting.NAME;
import static io.roomgate.command.room.RoomTesting.NOW;
import static io.roomgate.command.room.RoomTesting.OTHER;
import static io.roomgate.command.room.RoomTesting.OWNER;
import static io.roomgate.command.room.RoomTesting.ROOM_ID;
import static io.roomgate.command.room.RoomTesting.create;
import static io.roomgate.command.room.RoomTesting.created;
import static io.roomgate.command.room.RoomTesting.inSeconds;
import static io.roomgate.command.room.RoomTesting.join;
import static io.roomgate.command.room.RoomTesting.joinedAsOwner;
import static io.roomgate.command.room.RoomTesting.joinedPublicly;
import static io.roomgate.command.room.RoomTesting.publicRoom;
import static io.roomgate.command.room.RoomTesting.roomFixture;
import static org.hamcrest.Matchers.instanceOf;

/** access rules §1 "Rooms": creating, updating and deleting a room. */
class RoomLifecycleTest {

    private AggregateTestFixture<Room> fixture;

    @BeforeEach
    void setUp() {
        fixture = roomFixture();
    }

    // ---- create

    @Test
    void a_room_is_created_with_its_name_privacy_and_properties() {
        RoomProperties properties = props().maxParticipants(8).other(Map.of("enable_chat", true)).build();

        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, properties))
                .expectSuccessfulHandlerExecution()
                .expectEvents(created(Privacy.PUBLIC, properties));
    }

    @Test
    void a_room_created_without_a_privacy_setting_is_public() {
        fixture.givenCurrentTime(NOW)
                .when(create(null, RoomProperties.defaults()))
                .expectEvents(created(Privacy.PUBLIC, RoomProperties.defaults()));
    }

    @Test
    void a_room_may_be_created_private() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PRIVATE, RoomProperties.defaults()))
                .expectEvents(created(Privacy.PRIVATE, RoomProperties.defaults()));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"stand up", "standup!", "stand.up", "stand/up", "räum", "standup\n", "stand%20up"})
    void a_room_name_outside_letters_digits_dash_and_underscore_is_refused(String name) {
        fixture.givenCurrentTime(NOW)
                .when(new CreateRoom(ROOM_ID, name, Privacy.PUBLIC, RoomProperties.defaults()))
                .expectException(rejected(INVALID, "room name must be 1-128 characters"))
                .expectNoEvents();
    }

    @Test
    void a_room_name_longer_than_128_characters_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(new CreateRoom(ROOM_ID, "a".repeat(129), Privacy.PUBLIC, RoomProperties.defaults()))
                .expectException(rejected(INVALID, "room name must be 1-128 characters"))
                .expectNoEvents();
    }

    @Test
    void a_room_name_of_128_letters_digits_dashes_and_underscores_is_accepted() {
        String name = ("Ab9_-".repeat(26) + "xyz").substring(0, 128);

        fixture.givenCurrentTime(NOW)
                .when(new CreateRoom(ROOM_ID, name, Privacy.PUBLIC, RoomProperties.defaults()))
                .expectEvents(new RoomCreated(ROOM_ID, name, Privacy.PUBLIC, RoomProperties.defaults()));
    }

    @Test
    void a_room_with_an_exp_in_the_past_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, props().exp(inSeconds(-1)).build()))
                .expectException(rejected(INVALID, "exp is in the past"))
                .expectNoEvents();
    }

    @Test
    void a_room_with_an_exp_of_right_now_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, props().exp(inSeconds(0)).build()))
                .expectException(rejected(INVALID, "exp is in the past"))
                .expectNoEvents();
    }

    @Test
    void a_room_exp_that_looks_like_milliseconds_is_refused_saying_so() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, props().exp(NOW.plusSeconds(3600).toEpochMilli()).build()))
                .expectException(rejected(INVALID, "exp looks like milliseconds"))
                .expectNoEvents();
    }

    @Test
    void a_room_nbf_that_looks_like_milliseconds_is_refused_saying_so() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, props().nbf(NOW.toEpochMilli()).build()))
                .expectException(rejected(INVALID, "nbf looks like milliseconds"))
                .expectNoEvents();
    }

    @Test
    void a_room_nbf_at_or_after_its_exp_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, props().nbf(inSeconds(7200)).exp(inSeconds(3600)).build()))
                .expectException(rejected(INVALID, "nbf must be before exp"))
                .expectNoEvents();
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1})
    void max_participants_below_one_is_refused(int maxParticipants) {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, props().maxParticipants(maxParticipants).build()))
                .expectException(rejected(INVALID, "max_participants must be at least 1"))
                .expectNoEvents();
    }

    @Test
    void eject_after_elapsed_below_one_second_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(create(Privacy.PUBLIC, props().ejectAfterElapsed(0L).build()))
                .expectException(rejected(INVALID, "eject_after_elapsed must be at least 1 second"))
                .expectNoEvents();
    }

    // ---- update

    @Test
    void private_room_keeps_present_participants_when_privacy_flips() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedPublicly(GUEST, "user-g", null), joinedPublicly(OTHER, "user-o", null))
                .when(new UpdateRoom(ROOM_ID, Privacy.PRIVATE, null))
                .expectSuccessfulHandlerExecution()
                .expectEvents(new PrivacyChanged(ROOM_ID, NAME, Privacy.PRIVATE));
    }

    @Test
    void a_room_may_turn_public_again() {
        fixture.givenCurrentTime(NOW)
                .andGiven(RoomTesting.privateRoom())
                .when(new UpdateRoom(ROOM_ID, Privacy.PUBLIC, null))
                .expectEvents(new PrivacyChanged(ROOM_ID, NAME, Privacy.PUBLIC));
    }

    @Test
    void setting_the_privacy_a_room_already_has_records_nothing() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new UpdateRoom(ROOM_ID, Privacy.PUBLIC, null))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void updating_properties_records_the_whole_new_set() {
        RoomProperties changed = props().knocking().maxParticipants(4).build();

        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new UpdateRoom(ROOM_ID, null, changed))
                .expectEvents(new RoomPropertiesChanged(ROOM_ID, NAME, changed));
    }

    @Test
    void updating_properties_to_the_values_they_already_have_records_nothing() {
        RoomProperties properties = props().knocking().maxParticipants(4).build();

        fixture.givenCurrentTime(NOW)
                .andGiven(created(Privacy.PRIVATE, properties))
                .when(new UpdateRoom(ROOM_ID, null, props().knocking().maxParticipants(4).build()))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void changing_privacy_and_properties_at_once_records_both() {
        RoomProperties knocking = props().knocking().build();

        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new UpdateRoom(ROOM_ID, Privacy.PRIVATE, knocking))
                .expectEvents(new PrivacyChanged(ROOM_ID, NAME, Privacy.PRIVATE),
                        new RoomPropertiesChanged(ROOM_ID, NAME, knocking));
    }

    @Test
    void an_update_with_an_exp_in_the_past_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new UpdateRoom(ROOM_ID, Privacy.PRIVATE, props().exp(inSeconds(-60)).build()))
                .expectException(rejected(INVALID, "exp is in the past"))
                .expectNoEvents();
    }

    @Test
    void an_update_with_an_exp_in_milliseconds_is_refused_saying_so() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new UpdateRoom(ROOM_ID, null, props().exp(NOW.plusSeconds(60).toEpochMilli()).build()))
                .expectException(rejected(INVALID, "looks like milliseconds"))
                .expectNoEvents();
    }

    @Test
    void an_update_with_max_participants_below_one_is_refused() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new UpdateRoom(ROOM_ID, null, props().maxParticipants(0).build()))
                .expectException(rejected(INVALID, "max_participants must be at least 1"))
                .expectNoEvents();
    }

    // ---- delete

    @Test
    void deleting_a_room_ejects_everyone_present_then_deletes_it() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), joinedAsOwner(OWNER), joinedPublicly(GUEST, "user-g", null))
                .when(new DeleteRoom(ROOM_ID, DeletionCause.ADMIN))
                .expectEvents(
                        new ParticipantEjected(ROOM_ID, NAME, OWNER, "user-ada", EjectionCause.ROOM_DELETED),
                        new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.ROOM_DELETED),
                        new RoomDeleted(ROOM_ID, NAME, DeletionCause.ADMIN))
                .expectMarkedDeleted();
    }

    @Test
    void deleting_an_empty_room_records_only_its_deletion() {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom())
                .when(new DeleteRoom(ROOM_ID, DeletionCause.ADMIN))
                .expectEvents(new RoomDeleted(ROOM_ID, NAME, DeletionCause.ADMIN))
                .expectMarkedDeleted();
    }

    static Stream<Object> commandsOnADeletedRoom() {
        return Stream.of(
                new UpdateRoom(ROOM_ID, Privacy.PRIVATE, null),
                new DeleteRoom(ROOM_ID, DeletionCause.ADMIN),
                join(GUEST),
                new LeaveRoom(ROOM_ID, GUEST),
                new EjectParticipants(ROOM_ID, List.of(GUEST), List.of(), true),
                new LiftBan(ROOM_ID, "user-m"),
                new RequestKnock(ROOM_ID, KNOCK, "Grace"),
                new ApproveKnock(ROOM_ID, KNOCK, OWNER),
                new DenyKnock(ROOM_ID, KNOCK, OWNER),
                new WithdrawKnock(ROOM_ID, KNOCK));
    }

    /** Nobody can join a deleted room, "even with the URL or a token", and nothing else happens to it either. */
    @ParameterizedTest
    @MethodSource("commandsOnADeletedRoom")
    void a_deleted_room_refuses_every_command_as_not_found(Object command) {
        fixture.givenCurrentTime(NOW)
                .andGiven(publicRoom(), new RoomDeleted(ROOM_ID, NAME, DeletionCause.ADMIN))
                .when(command)
                .expectException(instanceOf(AggregateNotFoundException.class))
                .expectNoEvents();
    }
}
