package io.roomgate.command.token;

import io.roomgate.command.room.Claims;
import io.roomgate.command.room.FixtureClock;
import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.SampleEvents;
import io.roomgate.events.StreamIds;
import io.roomgate.events.TokenIssued;
import io.roomgate.events.TokenRevoked;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.roomgate.access.Rejected.Kind.INVALID;
import static io.roomgate.command.room.Rejections.rejected;
import static org.assertj.core.api.Assertions.assertThat;

/** access rules §1 "Meeting tokens": issuing a token records its id and claims; revoking refuses it from then on. */
class MeetingTokenTest {

    private static final Instant NOW = Instant.parse("2026-11-27T14:00:00Z");
    private static final String TOKEN_ID = SampleEvents.TOKEN_ID;
    private static final String KEY_ID = SampleEvents.KEY_ID;
    private static final String ROOM = SampleEvents.ROOM_NAME;

    private AggregateTestFixture<MeetingToken> fixture;

    @BeforeEach
    void setUp() {
        fixture = new AggregateTestFixture<>(MeetingToken.class);
        fixture.registerInjectableResource(new FixtureClock(fixture::currentTime));
    }

    private static long inSeconds(long seconds) {
        return NOW.getEpochSecond() + seconds;
    }

    private static IssueToken issue(MeetingTokenClaims claims) {
        return new IssueToken(TOKEN_ID, KEY_ID, claims, false);
    }

    // ---- issue

    @Test
    void issuing_a_token_records_its_id_key_and_claims() {
        MeetingTokenClaims claims = SampleEvents.ownerClaims();

        fixture.givenCurrentTime(NOW)
                .when(issue(claims))
                .expectEvents(new TokenIssued(TOKEN_ID, KEY_ID, claims, false));
    }

    @Test
    void a_token_is_stored_in_a_token_stream_not_under_the_bare_jti_a_member_or_room_could_have() {
        fixture.givenCurrentTime(NOW)
                .when(issue(SampleEvents.ownerClaims()))
                .expectSuccessfulHandlerExecution();

        assertThat(fixture.getEventStore().readEvents(StreamIds.meetingToken(TOKEN_ID)).asStream())
                .singleElement().satisfies(e -> assertThat(e.getAggregateIdentifier()).isEqualTo("token:" + TOKEN_ID));
    }

    @Test
    void token_issued_has_no_place_for_a_token_string_or_a_signing_key() {
        List<String> fields = Arrays.stream(TokenIssued.class.getRecordComponents()).map(c -> c.getName()).toList();

        assertThat(fields).containsExactly("tokenId", "keyId", "claims", "allowAllRooms");
    }

    @Test
    void a_token_without_room_name_is_refused_unless_the_request_allows_all_rooms() {
        fixture.givenCurrentTime(NOW)
                .when(issue(Claims.forAllRooms().build()))
                .expectException(rejected(INVALID, "\"allow_all_rooms\": true"))
                .expectNoEvents();
    }

    @Test
    void a_token_without_room_name_is_issued_when_the_request_allows_all_rooms_and_marked_so() {
        MeetingTokenClaims claims = Claims.forAllRooms().build();

        fixture.givenCurrentTime(NOW)
                .when(new IssueToken(TOKEN_ID, KEY_ID, claims, true))
                .expectEvents(new TokenIssued(TOKEN_ID, KEY_ID, claims, true));
    }

    @Test
    void a_token_for_a_room_name_that_cannot_exist_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(issue(Claims.forRoom("stand up!").build()))
                .expectException(rejected(INVALID, "room_name must be"))
                .expectNoEvents();
    }

    @Test
    void a_token_with_an_exp_in_the_past_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(issue(Claims.forRoom(ROOM).exp(inSeconds(-1)).build()))
                .expectException(rejected(INVALID, "exp is in the past"))
                .expectNoEvents();
    }

    @Test
    void a_token_exp_that_looks_like_milliseconds_is_refused_saying_so() {
        fixture.givenCurrentTime(NOW)
                .when(issue(Claims.forRoom(ROOM).exp(NOW.plusSeconds(3600).toEpochMilli()).build()))
                .expectException(rejected(INVALID, "exp looks like milliseconds"))
                .expectNoEvents();
    }

    @Test
    void a_token_nbf_that_looks_like_milliseconds_is_refused_saying_so() {
        fixture.givenCurrentTime(NOW)
                .when(issue(Claims.forRoom(ROOM).nbf(NOW.toEpochMilli()).build()))
                .expectException(rejected(INVALID, "nbf looks like milliseconds"))
                .expectNoEvents();
    }

    @Test
    void a_user_id_longer_than_36_characters_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(issue(Claims.forRoom(ROOM).userId("u".repeat(37)).build()))
                .expectException(rejected(INVALID, "user_id must be 1-36 characters"))
                .expectNoEvents();
    }

    @Test
    void a_user_id_of_36_characters_is_accepted() {
        MeetingTokenClaims claims = Claims.forRoom(ROOM).userId("0b9c6f3e-2a41-4d8e-b5f7-91c3e0a2d6b4").build();

        fixture.givenCurrentTime(NOW)
                .when(issue(claims))
                .expectEvents(new TokenIssued(TOKEN_ID, KEY_ID, claims, false));
    }

    @Test
    void an_empty_user_id_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(issue(Claims.forRoom(ROOM).userId("").build()))
                .expectException(rejected(INVALID, "user_id must be 1-36 characters"))
                .expectNoEvents();
    }

    @Test
    void a_token_eject_after_elapsed_below_one_second_is_refused() {
        fixture.givenCurrentTime(NOW)
                .when(issue(Claims.forRoom(ROOM).ejectAfterElapsed(0L).build()))
                .expectException(rejected(INVALID, "eject_after_elapsed must be at least 1 second"))
                .expectNoEvents();
    }

    @Test
    void the_tokens_other_daily_properties_are_kept_in_its_claims() {
        MeetingTokenClaims claims = new MeetingTokenClaims(ROOM, null, null, false, "Grace", null, false, null, false,
                Map.of("hasPresence", true), Map.of("lang", "en"));

        fixture.givenCurrentTime(NOW)
                .when(issue(claims))
                .expectEvents(new TokenIssued(TOKEN_ID, KEY_ID, claims, false));
    }

    // ---- revoke

    @Test
    void revoking_an_issued_token_records_token_revoked() {
        fixture.givenCurrentTime(NOW)
                .andGiven(new TokenIssued(TOKEN_ID, KEY_ID, SampleEvents.ownerClaims(), false))
                .when(new RevokeToken(TOKEN_ID))
                .expectEvents(new TokenRevoked(TOKEN_ID, false));
    }

    @Test
    void a_self_signed_token_revoked_is_stored_in_a_token_stream_too() {
        fixture.givenCurrentTime(NOW)
                .andGiven()
                .when(new RevokeToken(TOKEN_ID))
                .expectEvents(new TokenRevoked(TOKEN_ID, true));

        assertThat(fixture.getEventStore().readEvents(StreamIds.meetingToken(TOKEN_ID)).asStream())
                .singleElement().satisfies(e -> assertThat(e.getAggregateIdentifier()).isEqualTo("token:" + TOKEN_ID));
    }

    @Test
    void revoking_a_token_twice_records_nothing_the_second_time() {
        fixture.givenCurrentTime(NOW)
                .andGiven(new TokenIssued(TOKEN_ID, KEY_ID, SampleEvents.ownerClaims(), false), new TokenRevoked(TOKEN_ID, false))
                .when(new RevokeToken(TOKEN_ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }

    @Test
    void revoking_a_token_roomgate_never_issued_records_it_as_self_signed() {
        String sha256OfTokenText = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

        fixture.givenCurrentTime(NOW)
                .andGiven()
                .when(new RevokeToken(sha256OfTokenText))
                .expectEvents(new TokenRevoked(sha256OfTokenText, true));
    }

    @Test
    void revoking_a_self_signed_token_twice_records_nothing_the_second_time() {
        fixture.givenCurrentTime(NOW)
                .andGiven(new TokenRevoked(TOKEN_ID, true))
                .when(new RevokeToken(TOKEN_ID))
                .expectSuccessfulHandlerExecution()
                .expectNoEvents();
    }
}
