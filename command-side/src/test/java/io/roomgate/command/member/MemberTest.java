package io.roomgate.command.member;

import io.roomgate.events.MemberAdded;
import io.roomgate.events.MemberRemoved;
import io.roomgate.events.SampleEvents;
import io.roomgate.events.StreamIds;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.roomgate.access.Rejected.Kind.INVALID;
import static io.roomgate.access.Rejected.Kind.NOT_FOUND;
import static io.roomgate.command.room.Rejections.rejected;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.instanceOf;

/** access rules §1 "Members": admins add and remove the logged-in users who may join private rooms. */
class MemberTest {

    private static final String MEMBER = SampleEvents.MEMBER_ID;

    private AggregateTestFixture<Member> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(Member.class);
    }

    @Test
    void adding_a_member_records_member_added() {
        fixture.givenNoPriorActivity()
                .when(new AddMember(MEMBER))
                .expectEvents(new MemberAdded(MEMBER));
    }

    @Test
    void a_member_is_stored_in_a_member_stream_not_under_the_bare_id_a_token_or_room_could_have() {
        fixture.givenNoPriorActivity()
                .when(new AddMember(MEMBER))
                .expectEvents(new MemberAdded(MEMBER));

        assertThat(fixture.getEventStore().readEvents(StreamIds.member(MEMBER)).asStream())
                .singleElement().satisfies(e -> assertThat(e.getAggregateIdentifier()).isEqualTo("member:" + MEMBER));
    }

    @Test
    void adding_a_member_who_already_is_one_records_nothing() {
        fixture.given(new MemberAdded(MEMBER))
                .when(new AddMember(MEMBER))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void a_removed_member_may_be_added_again() {
        fixture.given(new MemberAdded(MEMBER), new MemberRemoved(MEMBER))
                .when(new AddMember(MEMBER))
                .expectEvents(new MemberAdded(MEMBER));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "grace\nhopper", "grace\u0000"})
    void a_member_id_that_is_empty_or_has_control_characters_is_refused(String memberId) {
        fixture.givenNoPriorActivity()
                .when(new AddMember(memberId))
                .expectException(rejected(INVALID, "user_id must be 1-128 printable characters"))
                .expectNoEvents();
    }

    @Test
    void a_member_id_longer_than_128_characters_is_refused() {
        fixture.givenNoPriorActivity()
                .when(new AddMember("m".repeat(129)))
                .expectException(rejected(INVALID, "user_id must be 1-128 printable characters"))
                .expectNoEvents();
    }

    @Test
    void removing_a_member_records_member_removed() {
        fixture.given(new MemberAdded(MEMBER))
                .when(new RemoveMember(MEMBER))
                .expectEvents(new MemberRemoved(MEMBER));
    }

    @Test
    void removing_someone_who_never_was_a_member_is_not_found() {
        fixture.givenNoPriorActivity()
                .when(new RemoveMember(MEMBER))
                .expectException(instanceOf(AggregateNotFoundException.class))
                .expectNoEvents();
    }

    @Test
    void removing_a_member_who_was_already_removed_is_refused_as_not_found() {
        fixture.given(new MemberAdded(MEMBER), new MemberRemoved(MEMBER))
                .when(new RemoveMember(MEMBER))
                .expectException(rejected(NOT_FOUND, "user " + MEMBER + " is not a member"))
                .expectNoEvents();
    }
}
