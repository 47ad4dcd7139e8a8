package io.roomgate.query.view;

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
import io.roomgate.events.PrivacyChanged;
import io.roomgate.events.RoomCreated;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.RoomProperties;
import io.roomgate.events.RoomPropertiesChanged;
import io.roomgate.events.UserBanned;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.BatchingUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static io.roomgate.events.SampleEvents.roomProperties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A rebuild applies batches through {@link BufferedRows}; the live view applies each event at
 * once. Both must make the same view: random event streams over a few rooms, people and knocks,
 * cut into random batches, applied both ways to two fresh databases and compared row by row.
 */
class BufferedRowsTest {

    private static final Instant T0 = Instant.parse("2026-11-27T14:00:00Z");
    private static final List<String> ROOMS = List.of("room-a", "room-b", "room-c");

    @Test
    void buffered_batches_make_the_view_that_events_applied_one_by_one_make() {
        JdbcTemplate atOnce = freshView();
        JdbcTemplate buffered = freshView();
        for (int seed = 0; seed < 60; seed++) {
            List<EventMessage<?>> events = stream(new Random(seed), 120);
            for (String table : ViewTables.ALL) {
                atOnce.update("delete from " + table);
                buffered.update("delete from " + table);
            }
            AnnotationEventHandlerAdapter one = new AnnotationEventHandlerAdapter(new JoinEligibilityProjection(atOnce));
            for (EventMessage<?> e : events) {
                handle(one, e);
            }
            AnnotationEventHandlerAdapter batches = new AnnotationEventHandlerAdapter(new JoinEligibilityProjection(buffered));
            Random cuts = new Random(seed * 31L + 7);
            for (int i = 0; i < events.size(); ) {
                int n = 1 + cuts.nextInt(40);
                applyBuffered(batches, buffered, events.subList(i, Math.min(events.size(), i + n)));
                i += n;
            }
            Map<String, List<String>> expected = dump(atOnce);
            assertThat(expected.get("view_room")).as("seed %d makes rooms", seed).isNotEmpty();
            assertThat(dump(buffered)).as("seed %d", seed).isEqualTo(expected);
        }
    }

    @Test
    void a_participant_joining_twice_fails_the_batch_as_the_insert_would() {
        JdbcTemplate jdbc = freshView();
        AnnotationEventHandlerAdapter handler = new AnnotationEventHandlerAdapter(new JoinEligibilityProjection(jdbc));
        applyBuffered(handler, jdbc, List.of(message(0, created("room-a")), message(1, joined("room-a", "p1", Admission.publicRoom()))));

        // within one batch: at the second join
        assertThatThrownBy(() -> applyBuffered(handler, jdbc, List.of(message(2, joined("room-a", "p2", Admission.publicRoom())),
                message(3, joined("room-a", "p2", Admission.publicRoom()))))).isInstanceOf(DuplicateKeyException.class);
        // across batches: when the batch is written
        assertThatThrownBy(() -> applyBuffered(handler, jdbc, List.of(message(4, joined("room-a", "p1", Admission.publicRoom())))))
                .isInstanceOf(DuplicateKeyException.class);
        // a room created twice in one batch
        assertThatThrownBy(() -> applyBuffered(handler, jdbc, List.of(message(5, created("room-b")), message(6, created("room-b")))))
                .isInstanceOf(DuplicateKeyException.class);
        assertThat(jdbc.queryForObject("select present_count from view_room where room_id = 'room-a'", Integer.class)).isOne();
    }

    private static void handle(AnnotationEventHandlerAdapter handler, EventMessage<?> e) {
        try {
            handler.handle(e);
        } catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** As a rebuild applies a batch: one transaction, one unit of work, rows buffered and written at its end. */
    private static void applyBuffered(AnnotationEventHandlerAdapter handler, JdbcTemplate jdbc, List<EventMessage<?>> batch) {
        new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource())).executeWithoutResult(tx -> {
            BatchingUnitOfWork<EventMessage<?>> unitOfWork = new BatchingUnitOfWork<>(batch);
            BufferedRows.bufferFor(unitOfWork, jdbc);
            ResultMessage<Object> result = unitOfWork.executeWithResult(() -> handler.handle(unitOfWork.getMessage()),
                    RollbackConfigurationType.ANY_THROWABLE);
            if (result.isExceptional()) {
                throw (RuntimeException) result.exceptionResult();
            }
        });
    }

    /** Events of a few rooms in a random order, mostly valid, some not (updates of unknown rooms, leaving twice). */
    private static List<EventMessage<?>> stream(Random r, int count) {
        List<EventMessage<?>> out = new ArrayList<>();
        Map<String, List<String>> present = new TreeMap<>();
        Map<String, Boolean> created = new TreeMap<>();
        List<String> knocks = new ArrayList<>();
        java.util.Set<String> bans = new java.util.HashSet<>();
        for (int i = 0; out.size() < count; i++) {
            String room = ROOMS.get(r.nextInt(ROOMS.size()));
            List<String> here = present.computeIfAbsent(room, k -> new ArrayList<>());
            String person = "p" + r.nextInt(6);
            Object event = switch (r.nextInt(12)) {
                case 0 -> created.containsKey(room) ? null : created(room);
                case 1 -> new PrivacyChanged(room, room, r.nextBoolean() ? Privacy.PRIVATE : Privacy.PUBLIC);
                case 2 -> new RoomPropertiesChanged(room, room, new RoomProperties(1795784400L, 1795824000L, 2 + r.nextInt(9),
                        r.nextBoolean(), true, 7200L, true, Map.of()));
                case 3, 4, 5 -> here.contains(person) ? null : joined(room, person, Admission.publicRoom());
                case 6, 7 -> new ParticipantLeft(room, room, person);
                case 8 -> new ParticipantEjected(room, room, person, "user-" + person, EjectionCause.ADMIN);
                case 9 -> r.nextInt(4) == 0 ? new RoomDeleted(room, room, DeletionCause.ADMIN)
                        : bans.add(room + "/" + person) ? new UserBanned(room, room, "user-" + person) : null;
                case 10 -> {
                    String knock = "knock-" + i;
                    knocks.add(knock);
                    yield new KnockRequested(room, room, knock, "Knocker " + i, T0.plusSeconds(600), null);
                }
                default -> knocks.isEmpty() ? (bans.remove(room + "/" + person) ? new BanLifted(room, room, "user-" + person) : null)
                        : r.nextBoolean() ? new KnockApproved(room, room, knocks.get(r.nextInt(knocks.size())), "p0", T0.plusSeconds(900))
                        : here.contains(person) ? null : joined(room, person, Admission.knock(knocks.get(r.nextInt(knocks.size()))));
            };
            if (event == null) {
                continue;
            }
            if (event instanceof RoomCreated c) {
                created.put(c.roomId(), true);
            } else if (event instanceof ParticipantJoined j) {
                here.add(j.participantId());
            } else if (event instanceof ParticipantLeft l) {
                here.remove(l.participantId());
            } else if (event instanceof ParticipantEjected x) {
                here.remove(x.participantId());
            } else if (event instanceof RoomDeleted) {
                here.clear();
                bans.removeIf(b -> b.startsWith(room + "/"));
            }
            out.add(message(out.size(), event));
        }
        return out;
    }

    private static RoomCreated created(String room) {
        return new RoomCreated(room, room, Privacy.PUBLIC, roomProperties());
    }

    private static ParticipantJoined joined(String room, String person, Admission admission) {
        return new ParticipantJoined(room, room, person, "Name " + person, "user-" + person, admission, false, false, null);
    }

    private static EventMessage<?> message(int i, Object payload) {
        return new GenericEventMessage<>(new GenericMessage<>("event-" + i, payload, MetaData.emptyInstance()), () -> T0.plusSeconds(i));
    }

    private static JdbcTemplate freshView() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:buffered-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/h2").load().migrate();
        return new JdbcTemplate(ds);
    }

    private static Map<String, List<String>> dump(JdbcTemplate jdbc) {
        Map<String, List<String>> dump = new TreeMap<>();
        for (String table : ViewTables.ALL) {
            List<String> rows = new ArrayList<>(jdbc.queryForList("select * from " + table).stream().map(Object::toString).toList());
            rows.sort(null);
            dump.put(table, rows);
        }
        return dump;
    }
}
