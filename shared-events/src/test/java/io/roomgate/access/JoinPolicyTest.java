package io.roomgate.access;

import io.roomgate.events.MeetingTokenClaims;
import io.roomgate.events.Privacy;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.roomgate.access.FakeRoomState.noRoom;
import static io.roomgate.access.FakeRoomState.privateRoom;
import static io.roomgate.access.FakeRoomState.publicRoom;
import static org.assertj.core.api.Assertions.assertThat;

/** The decision table of access rules §2, row by row, and the precedence between the rows. */
class JoinPolicyTest {

    static final Instant NOW = Instant.parse("2026-11-27T14:03:00Z");
    static final long NOW_S = NOW.getEpochSecond();
    static final String ROOM = "standup";
    static final String OTHER_ROOM_ID = "0c4f8e2a-9b1d-4e37-a5c6-d2f0b7e91a83";
    static final String KNOCK_ID = "c7e1a9d2-5b3f-4e60-8a14-2f9d7c6b0e35";

    // ---- helpers ------------------------------------------------------------------------

    static Verdict decide(Attempt attempt, FakeRoomState state) {
        return JoinPolicy.decide(attempt.build(), state, NOW);
    }

    static Attempt anonymous() {
        return new Attempt();
    }

    static Attempt with(Token token) {
        return new Attempt().token(token.verified());
    }

    static Token token() {
        return new Token().room(ROOM);
    }

    static PresentedToken invalidToken() {
        return new PresentedToken.Invalid("signature does not verify");
    }

    static Knock pendingKnock(String roomId, Instant expiresAt) {
        return new Knock(KNOCK_ID, roomId, KnockState.PENDING, expiresAt, null);
    }

    static Knock approvedKnock(String roomId, Instant validUntil) {
        return new Knock(KNOCK_ID, roomId, KnockState.APPROVED, NOW.plus(Duration.ofMinutes(7)), validUntil);
    }

    static Knock knockIn(KnockState state) {
        Instant validUntil = state == KnockState.APPROVED || state == KnockState.USED ? NOW.plusSeconds(300) : null;
        return new Knock(KNOCK_ID, FakeRoomState.DEFAULT_ROOM_ID, state, NOW.plusSeconds(600), validUntil);
    }

    static void assertVerdict(Verdict verdict, Decision decision, Reason reason) {
        assertThat(verdict.decision()).as("decision of %s", verdict).isEqualTo(decision);
        assertThat(verdict.reason()).as("reason of %s", verdict).isEqualTo(reason);
    }

    static void assertAllowed(Verdict verdict, Reason reason) {
        assertVerdict(verdict, Decision.ALLOW, reason);
        assertThat(verdict.allowed()).isTrue();
    }

    static void assertDenied(Verdict verdict, Reason reason) {
        assertVerdict(verdict, Decision.DENY, reason);
        assertThat(verdict.allowed()).isFalse();
        assertThat(verdict.owner()).isFalse();
    }

    /** The credentials of a join attempt. */
    static final class Attempt {
        private PresentedToken token = PresentedToken.NONE;
        private String userId;
        private String memberId;
        private String participantId;
        private String knockId;

        Attempt token(PresentedToken token) {
            this.token = token;
            return this;
        }

        Attempt userId(String userId) {
            this.userId = userId;
            return this;
        }

        Attempt member(String memberId) {
            this.memberId = memberId;
            return this;
        }

        Attempt participant(String participantId) {
            this.participantId = participantId;
            return this;
        }

        Attempt knock(String knockId) {
            this.knockId = knockId;
            return this;
        }

        JoinAttempt build() {
            return new JoinAttempt(token, userId, memberId, participantId, knockId);
        }
    }

    /** A verified meeting token's claims. */
    static final class Token {
        private String tokenId = "4d1c7b9e-0a2f-4e85-b3d6-8f5a2c1e7b40";
        private String room;
        private Long exp = NOW_S + 3600;
        private Long nbf;
        private boolean owner;
        private String userId;
        private boolean knocking;

        Token id(String tokenId) {
            this.tokenId = tokenId;
            return this;
        }

        Token room(String room) {
            this.room = room;
            return this;
        }

        Token allRooms() {
            this.room = null;
            return this;
        }

        Token exp(Long exp) {
            this.exp = exp;
            return this;
        }

        Token nbf(Long nbf) {
            this.nbf = nbf;
            return this;
        }

        Token owner() {
            this.owner = true;
            return this;
        }

        Token userId(String userId) {
            this.userId = userId;
            return this;
        }

        Token knocking() {
            this.knocking = true;
            return this;
        }

        String tokenId() {
            return tokenId;
        }

        PresentedToken verified() {
            MeetingTokenClaims claims = new MeetingTokenClaims(room, exp, nbf, owner, "Ada Lovelace", userId,
                    false, null, knocking, owner ? Map.of("canAdmin", List.of("participants")) : Map.of(), Map.of());
            return new PresentedToken.Verified(tokenId, claims);
        }
    }

    // ---- the rows -----------------------------------------------------------------------

    @Nested
    class Row1_room_not_found {

        @Test
        void a_name_without_a_live_room_is_denied_room_not_found() {
            assertDenied(decide(anonymous(), noRoom()), Reason.ROOM_NOT_FOUND);
        }

        @Test
        void even_a_valid_owner_token_cannot_join_a_room_that_does_not_exist() {
            assertDenied(decide(with(token().owner()), noRoom()), Reason.ROOM_NOT_FOUND);
        }

        @Test
        void a_present_participant_of_a_room_that_is_gone_is_denied_room_not_found() {
            assertDenied(decide(anonymous().participant("p-1"), noRoom().present("p-1")), Reason.ROOM_NOT_FOUND);
        }
    }

    @Nested
    class Row2_room_expired {

        @Test
        void a_room_whose_exp_passed_is_denied_room_expired() {
            assertDenied(decide(anonymous(), publicRoom(ROOM).exp(NOW_S - 60)), Reason.ROOM_EXPIRED);
        }

        @Test
        void room_exp_exactly_now_is_room_expired() {
            assertDenied(decide(anonymous(), publicRoom(ROOM).exp(NOW_S)), Reason.ROOM_EXPIRED);
        }

        @Test
        void room_exp_one_second_ahead_still_admits() {
            assertAllowed(decide(anonymous(), publicRoom(ROOM).exp(NOW_S + 1)), Reason.PUBLIC_ROOM);
        }

        @Test
        void an_expired_room_refuses_a_valid_owner_token_and_a_present_participant() {
            FakeRoomState expired = privateRoom(ROOM).exp(NOW_S - 1).present("p-1");

            assertDenied(decide(with(token().owner()), expired), Reason.ROOM_EXPIRED);
            assertDenied(decide(anonymous().participant("p-1"), expired), Reason.ROOM_EXPIRED);
        }

        @Test
        void an_expired_room_that_has_not_opened_either_says_room_expired() {
            assertDenied(decide(anonymous(), publicRoom(ROOM).nbf(NOW_S + 60).exp(NOW_S - 60)), Reason.ROOM_EXPIRED);
        }
    }

    @Nested
    class Row3_room_not_yet_open {

        @Test
        void a_room_whose_nbf_is_in_the_future_is_denied_room_not_yet_open() {
            assertDenied(decide(anonymous(), publicRoom(ROOM).nbf(NOW_S + 60)), Reason.ROOM_NOT_YET_OPEN);
        }

        @Test
        void room_nbf_exactly_now_is_open() {
            assertAllowed(decide(anonymous(), publicRoom(ROOM).nbf(NOW_S)), Reason.PUBLIC_ROOM);
        }

        @Test
        void a_valid_owner_token_does_not_open_a_room_before_its_nbf() {
            assertDenied(decide(with(token().owner()), privateRoom(ROOM).nbf(NOW_S + 60)), Reason.ROOM_NOT_YET_OPEN);
        }
    }

    @Nested
    class Row4_already_present {

        @Test
        void a_participant_already_present_is_allowed_already_present() {
            assertAllowed(decide(anonymous().participant("p-1"), privateRoom(ROOM).present("p-1")),
                    Reason.ALREADY_PRESENT);
        }

        @Test
        void a_participant_already_present_in_a_room_that_turned_private_and_full_is_allowed() {
            FakeRoomState privateAndFull = privateRoom(ROOM).maxParticipants(2).present("p-1", "p-2");

            assertAllowed(decide(anonymous().participant("p-1"), privateAndFull), Reason.ALREADY_PRESENT);
        }

        @Test
        void a_participant_already_present_is_allowed_even_if_their_user_id_was_banned_since() {
            assertAllowed(decide(anonymous().participant("p-1").userId("u-1"), privateRoom(ROOM).present("p-1").banned("u-1")),
                    Reason.ALREADY_PRESENT);
        }

        @Test
        void a_reconnect_with_a_participant_id_that_is_not_present_is_judged_as_a_new_join() {
            FakeRoomState full = publicRoom(ROOM).maxParticipants(1).present("p-2");

            assertDenied(decide(anonymous().participant("p-1"), full), Reason.ROOM_FULL);
        }

        @Test
        void already_present_is_not_an_owner_verdict() {
            Verdict verdict = decide(with(token().owner()).participant("p-1"), privateRoom(ROOM).present("p-1"));

            assertAllowed(verdict, Reason.ALREADY_PRESENT);
            assertThat(verdict.owner()).isFalse();
        }
    }

    @Nested
    class Row5_token_invalid {

        @Test
        void invalid_token_is_denied_even_in_a_public_room() {
            assertDenied(decide(anonymous().token(invalidToken()), publicRoom(ROOM)), Reason.TOKEN_INVALID);
        }

        @Test
        void an_invalid_token_is_not_ignored_in_favour_of_membership_or_an_approved_knock() {
            FakeRoomState room = privateRoom(ROOM).knocking().members("m-1")
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

            assertDenied(decide(anonymous().token(invalidToken()).member("m-1").knock(KNOCK_ID), room),
                    Reason.TOKEN_INVALID);
        }

        @Test
        void an_invalid_token_is_denied_before_the_room_full_check() {
            assertDenied(decide(anonymous().token(invalidToken()), publicRoom(ROOM).maxParticipants(1).present("p-2")),
                    Reason.TOKEN_INVALID);
        }

        @Test
        void a_present_participant_reconnecting_with_an_invalid_token_is_still_already_present() {
            assertAllowed(decide(anonymous().token(invalidToken()).participant("p-1"), publicRoom(ROOM).present("p-1")),
                    Reason.ALREADY_PRESENT);
        }
    }

    @Nested
    class Row6_token_expired_or_not_yet_valid {

        @Test
        void a_token_whose_exp_passed_is_denied_token_expired() {
            assertDenied(decide(with(token().exp(NOW_S - 1)), privateRoom(ROOM)), Reason.TOKEN_EXPIRED);
        }

        @Test
        void token_exp_exactly_now_is_token_expired() {
            assertDenied(decide(with(token().exp(NOW_S)), privateRoom(ROOM)), Reason.TOKEN_EXPIRED);
        }

        @Test
        void an_expired_token_is_denied_even_in_a_public_room() {
            assertDenied(decide(with(token().exp(NOW_S - 1)), publicRoom(ROOM)), Reason.TOKEN_EXPIRED);
        }

        @Test
        void a_token_whose_nbf_is_in_the_future_is_denied_token_not_yet_valid() {
            assertDenied(decide(with(token().nbf(NOW_S + 60)), privateRoom(ROOM)), Reason.TOKEN_NOT_YET_VALID);
        }

        @Test
        void token_nbf_exactly_now_is_valid() {
            assertAllowed(decide(with(token().nbf(NOW_S)), privateRoom(ROOM)), Reason.VALID_TOKEN);
        }

        @Test
        void a_token_without_exp_does_not_expire() {
            assertAllowed(decide(with(token().exp(null)), privateRoom(ROOM)), Reason.VALID_TOKEN);
        }

        @Test
        void an_expired_token_for_another_room_says_token_expired_first() {
            assertDenied(decide(with(token().room("retro").exp(NOW_S - 1)), privateRoom(ROOM)), Reason.TOKEN_EXPIRED);
        }
    }

    @Nested
    class Row7_token_wrong_room {

        @Test
        void a_token_for_another_room_is_denied_token_wrong_room() {
            assertDenied(decide(with(token().room("retro")), privateRoom(ROOM)), Reason.TOKEN_WRONG_ROOM);
        }

        @Test
        void a_token_for_another_room_is_denied_even_in_a_public_room() {
            assertDenied(decide(with(token().room("retro")), publicRoom(ROOM)), Reason.TOKEN_WRONG_ROOM);
        }

        @Test
        void token_without_room_name_admits_to_any_room() {
            assertAllowed(decide(with(token().allRooms()), privateRoom(ROOM)), Reason.VALID_TOKEN);
            assertAllowed(decide(with(token().allRooms()), privateRoom("retro")), Reason.VALID_TOKEN);
        }

        @Test
        void a_revoked_token_for_another_room_says_token_wrong_room_first() {
            Token token = token().room("retro");

            assertDenied(decide(with(token), privateRoom(ROOM).revoked(token.tokenId())), Reason.TOKEN_WRONG_ROOM);
        }
    }

    @Nested
    class Row8_token_revoked {

        @Test
        void a_revoked_token_is_denied_token_revoked() {
            Token token = token().owner();

            assertDenied(decide(with(token), privateRoom(ROOM).revoked(token.tokenId())), Reason.TOKEN_REVOKED);
        }

        @Test
        void a_revoked_token_is_denied_even_in_a_public_room() {
            Token token = token();

            assertDenied(decide(with(token), publicRoom(ROOM).revoked(token.tokenId())), Reason.TOKEN_REVOKED);
        }

        @Test
        void revoking_another_token_does_not_touch_this_one() {
            assertAllowed(decide(with(token()), privateRoom(ROOM).revoked("some-other-jti")), Reason.VALID_TOKEN);
        }
    }

    @Nested
    class Row9_banned {

        @Test
        void banned_user_id_from_the_token_claims_is_denied_even_with_a_valid_token() {
            assertDenied(decide(with(token().owner().userId("u-mallory")), privateRoom(ROOM).banned("u-mallory")),
                    Reason.BANNED);
        }

        @Test
        void a_banned_user_id_asserted_by_the_join_server_is_denied_even_in_a_public_room() {
            assertDenied(decide(anonymous().userId("u-mallory"), publicRoom(ROOM).banned("u-mallory")), Reason.BANNED);
        }

        @Test
        void the_asserted_user_id_counts_when_the_token_names_none() {
            assertDenied(decide(with(token()).userId("u-mallory"), privateRoom(ROOM).banned("u-mallory")),
                    Reason.BANNED);
        }

        @Test
        void a_ban_in_a_full_room_says_banned_rather_than_room_full() {
            assertDenied(decide(anonymous().userId("u-mallory"), publicRoom(ROOM).banned("u-mallory")
                    .maxParticipants(1).present("p-2")), Reason.BANNED);
        }

        @Test
        void a_ban_of_someone_else_does_not_keep_this_user_out() {
            assertAllowed(decide(anonymous().userId("u-ada"), publicRoom(ROOM).banned("u-mallory")), Reason.PUBLIC_ROOM);
        }
    }

    @Nested
    class Row10_room_full {

        @Test
        void a_full_room_is_denied_room_full() {
            assertDenied(decide(anonymous(), publicRoom(ROOM).maxParticipants(2).present("p-1", "p-2")),
                    Reason.ROOM_FULL);
        }

        @Test
        void a_full_room_refuses_a_valid_token() {
            assertDenied(decide(with(token().owner()), privateRoom(ROOM).maxParticipants(2).present("p-1", "p-2")),
                    Reason.ROOM_FULL);
        }

        @Test
        void a_full_room_refuses_a_member_and_an_approved_knock() {
            FakeRoomState full = privateRoom(ROOM).knocking().members("m-1").maxParticipants(1).present("p-2")
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

            assertDenied(decide(anonymous().member("m-1"), full), Reason.ROOM_FULL);
            assertDenied(decide(anonymous().knock(KNOCK_ID), full), Reason.ROOM_FULL);
        }

        @Test
        void a_room_with_one_seat_left_admits() {
            assertAllowed(decide(anonymous(), publicRoom(ROOM).maxParticipants(3).present("p-1", "p-2")),
                    Reason.PUBLIC_ROOM);
        }

        @Test
        void a_room_without_max_participants_is_never_full() {
            assertAllowed(decide(anonymous(), publicRoom(ROOM).present("p-1", "p-2", "p-3", "p-4")),
                    Reason.PUBLIC_ROOM);
        }
    }

    @Nested
    class Row11_valid_token {

        @Test
        void a_valid_token_admits_to_a_private_room() {
            Verdict verdict = decide(with(token()), privateRoom(ROOM));

            assertAllowed(verdict, Reason.VALID_TOKEN);
            assertThat(verdict.owner()).isFalse();
        }

        @Test
        void is_owner_is_carried_through_on_valid_token() {
            Verdict verdict = decide(with(token().owner()), privateRoom(ROOM));

            assertAllowed(verdict, Reason.VALID_TOKEN);
            assertThat(verdict.owner()).isTrue();
        }

        @Test
        void a_valid_token_in_a_public_room_says_valid_token_and_keeps_is_owner() {
            Verdict verdict = decide(with(token().owner()), publicRoom(ROOM));

            assertAllowed(verdict, Reason.VALID_TOKEN);
            assertThat(verdict.owner()).isTrue();
        }

        @Test
        void a_valid_token_wins_over_membership_and_a_knock() {
            FakeRoomState room = privateRoom(ROOM).knocking().members("m-1")
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

            assertAllowed(decide(with(token()).member("m-1").knock(KNOCK_ID), room), Reason.VALID_TOKEN);
        }

        @Test
        void a_token_with_knocking_true_in_a_knocking_room_must_knock() {
            assertVerdict(decide(with(token().owner().knocking()), privateRoom(ROOM).knocking()),
                    Decision.KNOCK, Reason.KNOCK_REQUIRED);
        }

        @Test
        void a_token_with_knocking_true_in_a_knocking_room_is_not_let_in_by_membership() {
            assertVerdict(decide(with(token().knocking()).member("m-1"), privateRoom(ROOM).knocking().members("m-1")),
                    Decision.KNOCK, Reason.KNOCK_REQUIRED);
        }

        @Test
        void a_token_with_knocking_true_and_an_approved_knock_is_allowed_knock_approved_without_ownership() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

            Verdict verdict = decide(with(token().owner().knocking()).knock(KNOCK_ID), room);

            assertAllowed(verdict, Reason.KNOCK_APPROVED);
            assertThat(verdict.owner()).isFalse();
        }

        @Test
        void a_token_with_knocking_true_and_a_pending_knock_waits() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(pendingKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

            assertVerdict(decide(with(token().knocking()).knock(KNOCK_ID), room), Decision.WAIT, Reason.KNOCK_PENDING);
        }

        @Test
        void a_token_with_knocking_true_in_a_room_without_knocking_is_a_valid_token() {
            assertAllowed(decide(with(token().knocking()), privateRoom(ROOM)), Reason.VALID_TOKEN);
        }

        /*
         * access rules §1: knocking exists "in a private room with enable_knocking"; a public room lets
         * everyone in. Presenting a valid knocking token must not leave its holder worse off than
         * someone who presents nothing at all.
         */
        @Test
        void a_token_with_knocking_true_in_a_public_room_with_knocking_enabled_is_not_worse_off_than_no_token() {
            FakeRoomState publicWithKnocking = publicRoom(ROOM).knocking();

            assertAllowed(decide(anonymous(), publicWithKnocking), Reason.PUBLIC_ROOM);
            assertThat(decide(with(token().knocking()), publicWithKnocking).allowed()).isTrue();
        }
    }

    @Nested
    class Row12_public_room {

        @Test
        void anyone_without_credentials_is_allowed_into_a_public_room() {
            Verdict verdict = decide(anonymous(), publicRoom(ROOM));

            assertAllowed(verdict, Reason.PUBLIC_ROOM);
            assertThat(verdict.owner()).isFalse();
        }

        @Test
        void a_public_room_says_public_room_before_member() {
            assertAllowed(decide(anonymous().member("m-1"), publicRoom(ROOM).members("m-1")), Reason.PUBLIC_ROOM);
        }

        @Test
        void a_public_room_says_public_room_even_with_a_pending_knock() {
            FakeRoomState room = publicRoom(ROOM).knock(pendingKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(60)));

            assertAllowed(decide(anonymous().knock(KNOCK_ID), room), Reason.PUBLIC_ROOM);
        }
    }

    @Nested
    class Row13_member {

        @Test
        void an_active_member_is_allowed_into_a_private_room() {
            Verdict verdict = decide(anonymous().member("m-1"), privateRoom(ROOM).members("m-1"));

            assertAllowed(verdict, Reason.MEMBER);
            assertThat(verdict.owner()).isFalse();
        }

        @Test
        void someone_who_is_not_an_active_member_is_not_let_in_as_one() {
            assertDenied(decide(anonymous().member("m-removed"), privateRoom(ROOM).members("m-1")), Reason.PRIVATE_ROOM);
        }

        @Test
        void a_member_says_member_before_an_approved_knock() {
            FakeRoomState room = privateRoom(ROOM).knocking().members("m-1")
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

            assertAllowed(decide(anonymous().member("m-1").knock(KNOCK_ID), room), Reason.MEMBER);
        }
    }

    @Nested
    class Row14_knock_approved {

        @Test
        void an_approved_knock_in_its_window_is_allowed_knock_approved() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

            Verdict verdict = decide(anonymous().knock(KNOCK_ID), room);

            assertAllowed(verdict, Reason.KNOCK_APPROVED);
            assertThat(verdict.owner()).isFalse();
        }

        @Test
        void an_approved_knock_for_another_room_is_not_accepted_in_a_knocking_room() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(approvedKnock(OTHER_ROOM_ID, NOW.plusSeconds(300)));

            assertVerdict(decide(anonymous().knock(KNOCK_ID), room), Decision.KNOCK, Reason.KNOCK_REQUIRED);
        }

        @Test
        void an_approved_knock_for_another_room_is_not_accepted_in_a_room_without_knocking() {
            FakeRoomState room = privateRoom(ROOM).knock(approvedKnock(OTHER_ROOM_ID, NOW.plusSeconds(300)));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.PRIVATE_ROOM);
        }

        @Test
        void an_approval_for_an_earlier_room_of_the_same_name_is_not_accepted() {
            // same name, new generation: knocks belong to a room id, not a name
            FakeRoomState recreated = privateRoom(ROOM).roomId("b1e7d3a9-6c2f-4a58-9e04-7d3c1f8a2b65").knocking()
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

            assertVerdict(decide(anonymous().knock(KNOCK_ID), recreated), Decision.KNOCK, Reason.KNOCK_REQUIRED);
        }

        @Test
        void an_approval_past_valid_until_is_knock_expired() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.minusSeconds(1)));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_EXPIRED);
        }

        @Test
        void an_approval_whose_valid_until_is_exactly_now_is_knock_expired() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_EXPIRED);
        }

        @Test
        void an_approval_that_already_admitted_someone_is_denied_knock_used() {
            FakeRoomState room = privateRoom(ROOM).knocking().knock(knockIn(KnockState.USED));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_USED);
        }
    }

    @Nested
    class Row15_knock_pending_denied_expired {

        @Test
        void a_pending_knock_waits_knock_pending() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(pendingKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(60)));

            Verdict verdict = decide(anonymous().knock(KNOCK_ID), room);

            assertVerdict(verdict, Decision.WAIT, Reason.KNOCK_PENDING);
            assertThat(verdict.allowed()).isFalse();
            assertThat(verdict.owner()).isFalse();
        }

        @Test
        void a_denied_knock_is_denied_knock_denied() {
            FakeRoomState room = privateRoom(ROOM).knocking().knock(knockIn(KnockState.DENIED));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_DENIED);
        }

        @Test
        void an_expired_knock_is_denied_knock_expired() {
            FakeRoomState room = privateRoom(ROOM).knocking().knock(knockIn(KnockState.EXPIRED));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_EXPIRED);
        }

        @Test
        void a_pending_knock_past_its_expires_at_is_knock_expired_even_before_any_knock_expired_event() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(pendingKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.minusSeconds(1)));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_EXPIRED);
        }

        @Test
        void a_pending_knock_whose_expires_at_is_exactly_now_is_knock_expired() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(pendingKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_EXPIRED);
        }

        @Test
        void a_withdrawn_knock_is_denied_knock_withdrawn() {
            FakeRoomState room = privateRoom(ROOM).knocking().knock(knockIn(KnockState.WITHDRAWN));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_WITHDRAWN);
        }

        @Test
        void a_denied_knock_stays_denied_after_its_expiry_time() {
            FakeRoomState room = privateRoom(ROOM).knocking()
                    .knock(new Knock(KNOCK_ID, FakeRoomState.DEFAULT_ROOM_ID, KnockState.DENIED, NOW.minusSeconds(60), null));

            assertDenied(decide(anonymous().knock(KNOCK_ID), room), Reason.KNOCK_DENIED);
        }

        @ParameterizedTest(name = "a {0} knock of another room does not count here")
        @EnumSource(KnockState.class)
        void a_knock_of_another_room_never_decides_here(KnockState state) {
            Knock foreign = new Knock(KNOCK_ID, OTHER_ROOM_ID, state, NOW.plusSeconds(600), NOW.plusSeconds(300));

            assertVerdict(decide(anonymous().knock(KNOCK_ID), privateRoom(ROOM).knocking().knock(foreign)),
                    Decision.KNOCK, Reason.KNOCK_REQUIRED);
        }
    }

    @Nested
    class Row16_knock_required {

        @Test
        void a_private_room_with_knocking_tells_someone_without_credentials_to_knock() {
            Verdict verdict = decide(anonymous(), privateRoom(ROOM).knocking());

            assertVerdict(verdict, Decision.KNOCK, Reason.KNOCK_REQUIRED);
            assertThat(verdict.allowed()).isFalse();
        }

        @Test
        void an_unknown_knock_id_in_a_knocking_room_is_knock_required() {
            assertVerdict(decide(anonymous().knock("no-such-knock"), privateRoom(ROOM).knocking()),
                    Decision.KNOCK, Reason.KNOCK_REQUIRED);
        }

        @Test
        void a_non_member_in_a_knocking_room_is_told_to_knock() {
            assertVerdict(decide(anonymous().member("m-unknown"), privateRoom(ROOM).knocking()),
                    Decision.KNOCK, Reason.KNOCK_REQUIRED);
        }
    }

    @Nested
    class Row17_private_room {

        @Test
        void a_private_room_without_knocking_denies_someone_without_credentials() {
            assertDenied(decide(anonymous(), privateRoom(ROOM)), Reason.PRIVATE_ROOM);
        }

        @Test
        void an_asserted_user_id_alone_does_not_open_a_private_room() {
            assertDenied(decide(anonymous().userId("u-ada"), privateRoom(ROOM)), Reason.PRIVATE_ROOM);
        }

        @Test
        void a_room_that_turned_private_keeps_out_new_joiners_without_credentials() {
            FakeRoomState turnedPrivate = publicRoom(ROOM).present("p-1").privacy(Privacy.PRIVATE);

            assertDenied(decide(anonymous().participant("p-new"), turnedPrivate), Reason.PRIVATE_ROOM);
            assertAllowed(decide(anonymous().participant("p-1"), turnedPrivate), Reason.ALREADY_PRESENT);
        }
    }

    // ---- properties of the decision as a whole ------------------------------------------

    @Test
    void the_decision_is_pure_the_same_question_gets_the_same_answer() {
        FakeRoomState room = privateRoom(ROOM).knocking()
                .knock(pendingKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(60)));
        JoinAttempt attempt = anonymous().knock(KNOCK_ID).build();

        assertThat(JoinPolicy.decide(attempt, room, NOW)).isEqualTo(JoinPolicy.decide(attempt, room, NOW));
    }

    @Test
    void the_same_state_judged_at_another_instant_gives_the_answer_of_that_instant() {
        FakeRoomState room = privateRoom(ROOM).knocking()
                .knock(pendingKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(60)));
        JoinAttempt attempt = anonymous().knock(KNOCK_ID).build();

        assertThat(JoinPolicy.decide(attempt, room, NOW).reason()).isEqualTo(Reason.KNOCK_PENDING);
        assertThat(JoinPolicy.decide(attempt, room, NOW.plusSeconds(61)).reason()).isEqualTo(Reason.KNOCK_EXPIRED);
    }

    @Test
    void only_an_allow_by_an_owner_token_carries_is_owner() {
        FakeRoomState room = privateRoom(ROOM).knocking().members("m-1")
                .knock(approvedKnock(FakeRoomState.DEFAULT_ROOM_ID, NOW.plusSeconds(300)));

        assertThat(decide(anonymous().member("m-1"), room).owner()).isFalse();
        assertThat(decide(anonymous().knock(KNOCK_ID), room).owner()).isFalse();
        assertThat(decide(with(token()), room).owner()).isFalse();
        assertThat(decide(with(token().owner()), room).owner()).isTrue();
    }
}
