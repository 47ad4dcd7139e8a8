package io.roomgate.command.room;

import io.roomgate.events.Admission;
import io.roomgate.events.BanLifted;
import io.roomgate.events.DeletionCause;
import io.roomgate.events.EjectionCause;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.Privacy;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.UserBanned;
import io.roomgate.access.RoomFacts;
import io.roomgate.store.StoreConfiguration;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.EventSourcedAggregate;
import org.axonframework.eventsourcing.NoSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.modelling.command.inspection.AnnotatedAggregateMetaModelFactory;
import org.axonframework.serialization.SerializedObject;
import org.axonframework.serialization.Serializer;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.TestExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.roomgate.access.Rejected.Kind.CONFLICT;
import static io.roomgate.access.Rejected.Kind.FORBIDDEN;
import static io.roomgate.access.Rejected.Kind.NOT_FOUND;
import static io.roomgate.command.room.Rejections.rejected;
import static io.roomgate.command.room.RoomTesting.GUEST;
import static io.roomgate.command.room.RoomTesting.GUEST_TOKEN;
import static io.roomgate.command.room.RoomTesting.KNOCKER;
import static io.roomgate.command.room.RoomTesting.NAME;
import static io.roomgate.command.room.RoomTesting.NOW;
import static io.roomgate.command.room.RoomTesting.OTHER;
import static io.roomgate.command.room.RoomTesting.OWNER;
import static io.roomgate.command.room.RoomTesting.ROOM_ID;
import static io.roomgate.command.room.RoomTesting.joinAsMember;
import static io.roomgate.command.room.RoomTesting.joinWithKnock;
import static io.roomgate.command.room.RoomTesting.joinWithToken;
import static io.roomgate.command.room.RoomTesting.joinedAsOwner;
import static io.roomgate.command.room.RoomTesting.joinedPublicly;
import static io.roomgate.command.room.RoomTesting.roomFixture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A room loaded from a snapshot (its state after part of its history, written and read back by
 * the application's snapshot serializer) and the later events decides every command exactly as
 * the same room loaded from all its events: each behaviour below runs both ways.
 */
class RoomFromSnapshotTest {

    /** How the room under test was loaded. */
    enum Loaded { FROM_ITS_EVENTS, FROM_A_SNAPSHOT }

    static final RoomProperties PROPERTIES = Props.props().maxParticipants(3).knocking().uniqueUserIds()
            // Daily properties roomgate keeps verbatim, as JSON reads them back
            .other(Map.of("enable_chat", true, "sfu_switchover", 0.5, "lang", "de", "max_streaming_instances_per_room", 2))
            .build();
    static final Instant GUEST_EJECTED_AT = NOW.plusSeconds(3600);

    /** A day in a private room, up to its snapshot: an owner, a guest, two knocks, a ban, a member. */
    static final List<Object> UP_TO_THE_SNAPSHOT = List.of(
            RoomTesting.created(Privacy.PRIVATE, PROPERTIES),
            joinedAsOwner(OWNER),
            new ParticipantJoined(ROOM_ID, NAME, GUEST, null, "user-g", Admission.token(GUEST_TOKEN), false, false, GUEST_EJECTED_AT),
            new KnockRequested(ROOM_ID, NAME, "k-kim", "Kim", NOW.plus(Duration.ofMinutes(10))),
            new KnockRequested(ROOM_ID, NAME, "k-lee", "Lee", NOW.plus(Duration.ofMinutes(10)), "user-lee"),
            new UserBanned(ROOM_ID, NAME, "user-bad"),
            new ParticipantJoined(ROOM_ID, NAME, OTHER, null, "user-o", Admission.member("m-o"), false, false, null));

    /** After the snapshot: Lee's knock approved, the member gone. Present: owner and guest, 2 of 3. */
    static final List<Object> AFTER_THE_SNAPSHOT = List.of(
            new KnockApproved(ROOM_ID, NAME, "k-lee", OWNER, NOW.plus(Duration.ofMinutes(5))),
            new ParticipantLeft(ROOM_ID, NAME, OTHER));

    private AggregateTestFixture<Room> fixture;

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_full_room_stays_full(Loaded room) {
        given(room, joinedPublicly("p-third", null, null))
                .when(joinAsMember("p-new", "m-new", true))
                .expectException(rejected(CONFLICT, "join refused: room-full"))
                .expectNoEvents();
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_room_with_a_free_place_still_admits(Loaded room) {
        given(room)
                .when(joinAsMember("p-new", "m-new", true))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, "p-new", null, null, Admission.member("m-new"), false, false, null));
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_knock_approved_after_the_snapshot_admits_its_knocker(Loaded room) {
        given(room)
                .when(joinWithKnock(KNOCKER, "k-lee"))
                .expectEvents(new ParticipantJoined(ROOM_ID, NAME, KNOCKER, null, null, Admission.knock("k-lee"), false, false, null));
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_used_knock_admits_no_one_else(Loaded room) {
        given(room, new ParticipantJoined(ROOM_ID, NAME, KNOCKER, null, null, Admission.knock("k-lee"), false, false, null),
                new ParticipantLeft(ROOM_ID, NAME, KNOCKER))
                .when(joinWithKnock("p-x", "k-lee"))
                .expectException(rejected(FORBIDDEN, "join refused: knock-used"))
                .expectNoEvents();
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_pending_knock_does_not_admit(Loaded room) {
        given(room)
                .when(joinWithKnock(KNOCKER, "k-kim"))
                .expectException(rejected(FORBIDDEN, "join refused: knock-pending"))
                .expectNoEvents();
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_banned_user_may_not_knock(Loaded room) {
        given(room)
                .when(new RequestKnock(ROOM_ID, "k-bad", "Bad", "user-bad"))
                .expectException(rejected(FORBIDDEN, "user user-bad is banned"))
                .expectNoEvents();
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void the_owner_in_the_room_decides_a_pending_knock(Loaded room) {
        given(room)
                .when(new ApproveKnock(ROOM_ID, "k-kim", OWNER))
                .expectEvents(new KnockApproved(ROOM_ID, NAME, "k-kim", OWNER, NOW.plus(Duration.ofMinutes(5))));
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_participant_who_is_no_owner_may_not_decide_a_knock(Loaded room) {
        given(room)
                .when(new ApproveKnock(ROOM_ID, "k-kim", GUEST))
                .expectException(rejected(FORBIDDEN, "participant " + GUEST + " is not an owner"))
                .expectNoEvents();
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_participant_who_left_may_not_decide_a_knock(Loaded room) {
        given(room)
                .when(new ApproveKnock(ROOM_ID, "k-kim", OTHER))
                .expectException(rejected(FORBIDDEN, "only an owner who is in the room"))
                .expectNoEvents();
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_decided_knock_stays_decided(Loaded room) {
        given(room)
                .when(new ApproveKnock(ROOM_ID, "k-lee", OWNER))
                .expectException(rejected(CONFLICT, "knock k-lee is already approved"))
                .expectNoEvents();
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_new_session_of_a_present_user_id_ejects_the_older_one(Loaded room) {
        given(room)
                .when(joinWithToken("p-g2", GUEST_TOKEN, Claims.forRoom(NAME).userId("user-g").build()))
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.DUPLICATE_USER_ID),
                        new ParticipantJoined(ROOM_ID, NAME, "p-g2", null, "user-g", Admission.token(GUEST_TOKEN), false, false, null));
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void ejecting_with_a_ban_bans_only_those_not_banned_yet(Loaded room) {
        given(room)
                .when(new EjectParticipants(ROOM_ID, List.of(), List.of("user-g", "user-bad"), true))
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.ADMIN),
                        new UserBanned(ROOM_ID, NAME, "user-g"));
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void a_ban_lifts_and_only_a_ban_that_exists(Loaded room) {
        given(room)
                .when(new LiftBan(ROOM_ID, "user-bad"))
                .expectEvents(new BanLifted(ROOM_ID, NAME, "user-bad"));
        given(room)
                .when(new LiftBan(ROOM_ID, "user-g"))
                .expectException(rejected(NOT_FOUND, "user user-g is not banned"));
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void deleting_ejects_everyone_present_in_the_order_they_came(Loaded room) {
        given(room, joinedPublicly("p-third", null, null))
                .when(new DeleteRoom(ROOM_ID, DeletionCause.ADMIN))
                .expectEvents(new ParticipantEjected(ROOM_ID, NAME, OWNER, "user-ada", EjectionCause.ROOM_DELETED),
                        new ParticipantEjected(ROOM_ID, NAME, GUEST, "user-g", EjectionCause.ROOM_DELETED),
                        new ParticipantEjected(ROOM_ID, NAME, "p-third", null, EjectionCause.ROOM_DELETED),
                        new RoomDeleted(ROOM_ID, NAME, DeletionCause.ADMIN));
    }

    @ParameterizedTest
    @EnumSource(Loaded.class)
    void the_same_properties_again_change_nothing(Loaded room) {
        given(room)
                .when(new UpdateRoom(ROOM_ID, Privacy.PRIVATE, PROPERTIES))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void a_room_read_from_its_snapshot_has_every_field_of_the_room_read_from_its_events() throws ReflectiveOperationException {
        List<Object> history = Stream.concat(UP_TO_THE_SNAPSHOT.stream(), AFTER_THE_SNAPSHOT.stream()).toList();
        Room replayed = replay(history);
        Room restored = readBack(replayed);

        assertThat(restored).usingRecursiveComparison().isEqualTo(replayed);
        // the comparison above ignores the order of maps; whom a deletion ejects first depends on it
        assertThat(presentIds(restored)).containsExactlyElementsOf(presentIds(replayed)).containsExactly(OWNER, GUEST);
    }

    // ---- loading the room either way

    private TestExecutor<Room> given(Loaded room, Object... laterStill) {
        List<Object> after = new ArrayList<>(AFTER_THE_SNAPSHOT);
        after.addAll(List.of(laterStill));
        fixture = roomFixture();
        return switch (room) {
            case FROM_ITS_EVENTS -> {
                List<Object> all = new ArrayList<>(UP_TO_THE_SNAPSHOT);
                all.addAll(after);
                yield fixture.givenCurrentTime(NOW).andGiven(all);
            }
            // the fixture's repository takes a first message whose payload is a Room as its snapshot
            case FROM_A_SNAPSHOT -> fixture.givenCurrentTime(NOW).andGiven(snapshotOf(UP_TO_THE_SNAPSHOT)).andGiven(after);
        };
    }

    /** The room after {@code history}, written and read back as the application writes snapshots. */
    static DomainEventMessage<Room> snapshotOf(List<Object> history) {
        return new GenericDomainEventMessage<>(Room.class.getSimpleName(), ROOM_ID, history.size() - 1, readBack(replay(history)));
    }

    static Room replay(List<Object> history) {
        EventSourcedAggregate<Room> aggregate = EventSourcedAggregate.initialize(new Room(),
                AnnotatedAggregateMetaModelFactory.inspectAggregate(Room.class), null, NoSnapshotTriggerDefinition.TRIGGER);
        List<DomainEventMessage<?>> messages = new ArrayList<>();
        for (Object event : history) {
            messages.add(new GenericDomainEventMessage<>(Room.class.getSimpleName(), ROOM_ID, messages.size(), event));
        }
        aggregate.initializeState(DomainEventStream.of(messages));
        return aggregate.getAggregateRoot();
    }

    static Room readBack(Room room) {
        Serializer serializer = snapshotSerializer();
        SerializedObject<byte[]> written = serializer.serialize(room, byte[].class);
        return serializer.deserialize(written);
    }

    static Serializer snapshotSerializer() {
        return new StoreConfiguration().snapshotSerializer();
    }

    private static List<String> presentIds(Room room) throws ReflectiveOperationException {
        Field facts = Room.class.getDeclaredField("facts");
        facts.setAccessible(true);
        return List.copyOf(((RoomFacts) facts.get(room)).present().keySet());
    }
}
