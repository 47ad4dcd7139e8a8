package io.roomgate.query.view;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.roomgate.access.Decision;
import io.roomgate.access.JoinAttempt;
import io.roomgate.access.JoinPolicy;
import io.roomgate.access.KnockState;
import io.roomgate.access.Reason;
import io.roomgate.access.Verdict;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.ParticipantJoined;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static io.roomgate.events.SampleEvents.KNOCK_ID;
import static io.roomgate.events.SampleEvents.OWNER_PARTICIPANT_ID;
import static io.roomgate.events.SampleEvents.ROOM_ID;
import static io.roomgate.events.SampleEvents.ROOM_NAME;
import static io.roomgate.events.SampleEvents.TOKEN_ID;
import static io.roomgate.events.SampleEvents.participantJoined;
import static io.roomgate.events.SampleEvents.privacyChanged;
import static io.roomgate.events.SampleEvents.roomCreated;
import static io.roomgate.events.SampleEvents.roomDeleted;
import static io.roomgate.events.SampleEvents.tokenRevoked;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The join-eligibility view without Spring or HTTP (issue 17; giftcard-demo's
 * {@code CardSummaryProjectionTest} is the model): events handed to the projection's handlers on
 * a fresh H2 database with the view's own migrations, then the view read as the join check reads
 * it and decided by {@link JoinPolicy}.
 */
class JoinEligibilityProjectionTest {

    /** Inside the sample room's nbf..exp window. */
    private static final Instant NOW = Instant.parse("2026-11-27T14:05:00Z");

    private JdbcTemplate jdbc;
    private JoinEligibilityProjection projection;
    private JoinView view;
    private RoomReader rooms;
    private PresenceReader presence;
    private KnockReader knocks;

    @BeforeEach
    void freshView() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:projection-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/h2").load().migrate();
        jdbc = new JdbcTemplate(ds);
        projection = new JoinEligibilityProjection(jdbc);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        knocks = new KnockReader(jdbc);
        rooms = new RoomReader(jdbc, clock);
        presence = new PresenceReader(jdbc, clock);
        view = new JoinView(jdbc, new Quarantine(jdbc, clock), knocks);
    }

    private Verdict check(JoinAttempt attempt) {
        return JoinPolicy.decide(attempt, view.stateOf(ROOM_NAME), NOW);
    }

    private static JoinAttempt anonymous() {
        return new JoinAttempt(null, null, null, null, null);
    }

    @Test
    void a_created_public_room_admits_anyone() {
        projection.on(roomCreated(), NOW.minusSeconds(60));

        assertThat(rooms.liveRoom(ROOM_NAME)).hasValueSatisfying(room -> assertThat(room.roomId()).isEqualTo(ROOM_ID));
        assertThat(check(anonymous())).isEqualTo(new Verdict(Decision.ALLOW, Reason.PUBLIC_ROOM, false));
    }

    @Test
    void turning_the_room_private_keeps_who_is_present_and_knocks_the_rest() {
        projection.on(roomCreated(), NOW.minusSeconds(60));
        ParticipantJoined joined = participantJoined();
        projection.on(joined, NOW.minusSeconds(30), UUID.randomUUID().toString());
        projection.on(privacyChanged());

        assertThat(presence.present(ROOM_ID)).extracting(PresenceReader.ViewParticipant::participantId)
                .containsExactly(OWNER_PARTICIPANT_ID);
        assertThat(check(new JoinAttempt(null, null, null, OWNER_PARTICIPANT_ID, null)).reason()).isEqualTo(Reason.ALREADY_PRESENT);
        // the sample room has enable_knocking: a newcomer may knock
        assertThat(check(anonymous())).isEqualTo(new Verdict(Decision.KNOCK, Reason.KNOCK_REQUIRED, false));
    }

    @Test
    void an_approved_knock_admits_its_knocker_and_a_pending_one_waits() {
        projection.on(roomCreated(), NOW.minusSeconds(120));
        projection.on(privacyChanged());
        projection.on(new KnockRequested(ROOM_ID, ROOM_NAME, KNOCK_ID, "Grace", NOW.plusSeconds(600), null), NOW.minusSeconds(60));

        JoinAttempt knocker = new JoinAttempt(null, null, null, null, KNOCK_ID);
        assertThat(check(knocker)).isEqualTo(new Verdict(Decision.WAIT, Reason.KNOCK_PENDING, false));

        projection.on(new KnockApproved(ROOM_ID, ROOM_NAME, KNOCK_ID, OWNER_PARTICIPANT_ID, NOW.plusSeconds(300)), NOW.minusSeconds(10));
        assertThat(knocks.knock(KNOCK_ID)).hasValueSatisfying(k -> {
            assertThat(k.knock().state()).isEqualTo(KnockState.APPROVED);
            assertThat(k.decidedBy()).isEqualTo(OWNER_PARTICIPANT_ID);
        });
        assertThat(check(knocker)).isEqualTo(new Verdict(Decision.ALLOW, Reason.KNOCK_APPROVED, false));
    }

    @Test
    void a_revoked_token_and_a_deleted_room_are_seen_at_once() {
        projection.on(roomCreated(), NOW.minusSeconds(60));
        assertThat(view.isRevoked(TOKEN_ID)).isFalse();
        projection.on(tokenRevoked(), NOW.minusSeconds(5));
        assertThat(view.isRevoked(TOKEN_ID)).isTrue();

        projection.on(roomDeleted(), NOW.minusSeconds(1));
        assertThat(rooms.liveRoom(ROOM_NAME)).isEmpty();
        assertThat(check(anonymous()).reason()).isEqualTo(Reason.ROOM_NOT_FOUND);
    }

    @Test
    void knock_meters_count_each_outcome_with_its_wait() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        KnockMeters meters = new KnockMeters(jdbc, registry);
        projection.on(roomCreated(), NOW.minusSeconds(120));
        KnockRequested requested = new KnockRequested(ROOM_ID, ROOM_NAME, KNOCK_ID, "Grace", NOW.plusSeconds(600), null);
        projection.on(requested, NOW.minusSeconds(90));
        meters.on(requested);
        KnockApproved approved = new KnockApproved(ROOM_ID, ROOM_NAME, KNOCK_ID, OWNER_PARTICIPANT_ID, NOW.plusSeconds(300));
        projection.on(approved, NOW.minusSeconds(30));
        meters.on(approved, NOW.minusSeconds(30));

        assertThat(registry.counter(KnockMeters.KNOCKS, "outcome", "requested").count()).isEqualTo(1);
        assertThat(registry.counter(KnockMeters.KNOCKS, "outcome", "approved").count()).isEqualTo(1);
        var waited = registry.timer(KnockMeters.TIME_TO_DECISION, "outcome", "approved");
        assertThat(waited.count()).isEqualTo(1);
        assertThat(waited.totalTime(java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(60.0);
    }
}
