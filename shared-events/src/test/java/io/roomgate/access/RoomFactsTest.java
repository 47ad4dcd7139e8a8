package io.roomgate.access;

import io.roomgate.events.Admission;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockDenied;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.Privacy;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.roomgate.events.SampleEvents.BANNED_USER_ID;
import static io.roomgate.events.SampleEvents.KNOCK_ID;
import static io.roomgate.events.SampleEvents.OWNER_PARTICIPANT_ID;
import static io.roomgate.events.SampleEvents.ROOM_ID;
import static io.roomgate.events.SampleEvents.ROOM_NAME;
import static io.roomgate.events.SampleEvents.banLifted;
import static io.roomgate.events.SampleEvents.knockApproved;
import static io.roomgate.events.SampleEvents.knockRequested;
import static io.roomgate.events.SampleEvents.memberAdded;
import static io.roomgate.events.SampleEvents.participantJoined;
import static io.roomgate.events.SampleEvents.privacyChanged;
import static io.roomgate.events.SampleEvents.roomCreated;
import static io.roomgate.events.SampleEvents.roomDeleted;
import static io.roomgate.events.SampleEvents.tokenRevoked;
import static io.roomgate.events.SampleEvents.userBanned;
import static org.assertj.core.api.Assertions.assertThat;

/** The one fold of a room's events (issue 17): what {@code Room} and time travel both decide on. */
class RoomFactsTest {

    private static final Instant NOW = Instant.parse("2026-11-27T14:05:00Z");

    private static RoomFacts fold(Object... events) {
        RoomFacts facts = new RoomFacts();
        for (Object event : events) {
            facts.apply(event);
        }
        return facts;
    }

    @Test
    void before_its_creation_and_after_its_deletion_a_room_has_no_rules() {
        assertThat(fold().rules()).isEmpty();
        assertThat(fold(roomCreated()).rules()).hasValueSatisfying(r -> assertThat(r.roomId()).isEqualTo(ROOM_ID));
        RoomFacts deleted = fold(roomCreated(), participantJoined(), knockRequested(), roomDeleted());
        assertThat(deleted.rules()).isEmpty();
        assertThat(deleted.deleted()).isTrue();
        assertThat(deleted.present()).isEmpty();
        assertThat(deleted.knock(KNOCK_ID)).isEmpty();
    }

    @Test
    void a_privacy_flip_keeps_who_is_present() {
        RoomFacts facts = fold(roomCreated(), participantJoined(), privacyChanged());
        assertThat(facts.privacy()).isEqualTo(Privacy.PRIVATE);
        assertThat(facts.presence(OWNER_PARTICIPANT_ID)).hasValueSatisfying(p -> assertThat(p.mayAdmitKnockers()).isTrue());
    }

    @Test
    void bans_are_laid_and_lifted_and_other_streams_events_change_nothing() {
        RoomFacts facts = fold(roomCreated(), userBanned(), tokenRevoked(), memberAdded());
        assertThat(facts.isBanned(BANNED_USER_ID)).isTrue();
        facts.apply(banLifted());
        assertThat(facts.isBanned(BANNED_USER_ID)).isFalse();
        // revocations and members are the caller's to judge
        RoomState state = facts.asState(token -> true, member -> false);
        assertThat(state.isRevoked("any")).isTrue();
        assertThat(state.isActiveMember("any")).isFalse();
    }

    @Test
    void a_knock_is_pending_then_approved_then_used_by_the_join_it_admitted() {
        RoomFacts facts = fold(roomCreated(), privacyChanged(), knockRequested());
        assertThat(facts.knock(KNOCK_ID).map(Knock::state)).hasValue(KnockState.PENDING);
        KnockApproved approved = knockApproved();
        facts.apply(approved);
        assertThat(facts.knock(KNOCK_ID)).hasValueSatisfying(k -> {
            assertThat(k.state()).isEqualTo(KnockState.APPROVED);
            assertThat(k.validUntil()).isEqualTo(approved.validUntil());
        });
        facts.apply(new ParticipantJoined(ROOM_ID, ROOM_NAME, "knocker", "Grace", null, Admission.knock(KNOCK_ID), false, false, null));
        assertThat(facts.knock(KNOCK_ID)).hasValueSatisfying(k -> {
            assertThat(k.state()).isEqualTo(KnockState.USED);
            assertThat(k.validUntil()).as("a used approval keeps its window").isEqualTo(approved.validUntil());
        });
        assertThat(facts.asState(t -> false, m -> false).presentCount()).isEqualTo(1);
    }

    @Test
    void decided_knocks_are_forgotten_after_a_day_or_beyond_the_cap_and_pending_ones_never() {
        RoomFacts facts = fold(roomCreated(), privacyChanged());
        Instant old = NOW.minus(Duration.ofDays(2));
        facts.apply(new KnockRequested(ROOM_ID, ROOM_NAME, "old-denied", "A", old, null));
        facts.apply(new KnockDenied(ROOM_ID, ROOM_NAME, "old-denied", OWNER_PARTICIPANT_ID));
        facts.apply(new KnockRequested(ROOM_ID, ROOM_NAME, "recent-denied-1", "B", NOW.minusSeconds(60), null));
        facts.apply(new KnockDenied(ROOM_ID, ROOM_NAME, "recent-denied-1", OWNER_PARTICIPANT_ID));
        facts.apply(new KnockRequested(ROOM_ID, ROOM_NAME, "recent-denied-2", "C", NOW.minusSeconds(30), null));
        facts.apply(new KnockDenied(ROOM_ID, ROOM_NAME, "recent-denied-2", OWNER_PARTICIPANT_ID));
        facts.apply(new KnockRequested(ROOM_ID, ROOM_NAME, "pending", "D", NOW.plusSeconds(600), null));

        facts.forgetDecidedKnocks(NOW, Duration.ofDays(1), 1);

        assertThat(facts.knock("old-denied")).as("older than a day").isEmpty();
        assertThat(facts.knock("recent-denied-1")).as("the oldest beyond the cap of 1").isEmpty();
        assertThat(facts.knock("recent-denied-2")).isPresent();
        assertThat(facts.knock("pending")).isPresent();
    }
}
