package io.roomgate.app.scaleout;

import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import io.roomgate.app.time.TimeTesting;
import io.roomgate.token.MeetingTokens;
import io.roomgate.events.StreamIds;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two command nodes and two query nodes on one real PostgreSQL: concurrent writes to the same
 * rooms lose nothing and break no rule, the query nodes share the view's segments, and a query
 * node that stops hands its segments to the other.
 */
@Tag("postgres")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleOutIT {

    static Cluster cluster;
    static ConfigurableApplicationContext commandA;
    static ConfigurableApplicationContext commandB;
    static ConfigurableApplicationContext queryA;
    static ConfigurableApplicationContext queryB;
    static Api cmdA;
    static Api cmdB;
    static Api qA;
    static Api qB;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new Cluster();
        // the nodes of each kind start at the same time on the fresh database, as a deployment starts them
        ExecutorService starting = Executors.newFixedThreadPool(2);
        try {
            // 3 s apart: Spring Boot's logging set-up is JVM-wide and cannot run twice at once in one JVM
            // (separate processes have no such limit); the nodes' Axon start-ups, seconds later, still overlap
            Future<ConfigurableApplicationContext> a = starting.submit(() -> cluster.startCommandNode("command-a"));
            Thread.sleep(3_000);
            Future<ConfigurableApplicationContext> b = starting.submit(() -> cluster.startCommandNode("command-b"));
            commandA = a.get();
            commandB = b.get();
            Future<ConfigurableApplicationContext> qa = starting.submit(() -> cluster.startQueryNode("query-a"));
            Thread.sleep(3_000);
            Future<ConfigurableApplicationContext> qb = starting.submit(() -> cluster.startQueryNode("query-b"));
            queryA = qa.get();
            queryB = qb.get();
        } finally {
            starting.shutdown();
        }
        cmdA = cluster.api(commandA);
        cmdB = cluster.api(commandB);
        qA = cluster.api(queryA);
        qB = cluster.api(queryB);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void both_query_nodes_own_segments_of_the_view() {
        Waiting.waitUntil("the view's segments owned as expected", Duration.ofSeconds(60), () -> owners().size() == 2);
        assertThat(owners()).containsExactlyInAnyOrder("query-a", "query-b");
    }

    @Test
    @Order(2)
    void concurrent_joins_through_two_command_nodes_never_exceed_max_participants() throws Exception {
        String room = Api.uniqueName("full");
        assertThat(cmdA.createRoom("{\"name\":\"" + room + "\",\"properties\":{\"max_participants\":3}}").status()).isEqualTo(200);

        List<Callable<Api.Answer>> joins = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Api node = i % 2 == 0 ? cmdA : cmdB;
            String body = "{\"participant_id\":\"p" + i + "\"}";
            joins.add(() -> node.post("/v1/rooms/" + room + "/participants", Api.JOIN, body));
        }
        List<Api.Answer> answers = runAll(joins);

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 409));
        assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(3);
        assertThat(countEvents("ParticipantJoined", room)).isEqualTo(3);
    }

    @Test
    @Order(3)
    void every_token_issued_through_either_command_node_is_stored_exactly_once() throws Exception {
        String room = Api.uniqueName("tokens");
        List<Callable<Api.Answer>> issues = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Api node = i % 2 == 0 ? cmdA : cmdB;
            issues.add(() -> node.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"room_name\":\"" + room + "\"}}"));
        }
        List<Api.Answer> answers = runAll(issues);

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        Set<String> ids = new HashSet<>();
        for (Api.Answer a : answers) {
            String jti = MeetingTokens.tokenIdOf(a.text("token"));
            ids.add(jti);
            assertThat(cluster.jdbc().queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? "
                    + "and payload_type like '%TokenIssued'", Integer.class, StreamIds.meetingToken(jti))).isEqualTo(1);
        }
        assertThat(ids).hasSize(40);
    }

    @Test
    @Order(4)
    void concurrent_decisions_on_one_knock_record_exactly_one() throws Exception {
        String room = Api.uniqueName("knock");
        cmdA.createRoom("{\"name\":\"" + room + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}");
        String owner = cmdA.token("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        assertThat(cmdB.post("/v1/rooms/" + room + "/participants", Api.JOIN,
                "{\"participant_id\":\"owner\",\"token\":\"" + owner + "\"}").status()).isEqualTo(200);
        String knock = cmdA.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"guest\"}").text("id");

        List<Callable<Api.Answer>> decisions = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Api node = i % 2 == 0 ? cmdA : cmdB;
            String verb = i % 2 == 0 ? "approve" : "deny";
            decisions.add(() -> node.post("/v1/knocks/" + knock + "/" + verb, Api.JOIN, "{\"by_participant_id\":\"owner\"}"));
        }
        List<Api.Answer> answers = runAll(decisions);

        assertThat(answers).allSatisfy(a -> assertThat(a.status()).isIn(200, 409));
        assertThat(answers.stream().filter(a -> a.status() == 200)).hasSize(1);
        Integer decided = cluster.jdbc().queryForObject("select count(*) from domain_event_entry where "
                + "(payload_type like '%KnockApproved' or payload_type like '%KnockDenied') and "
                + "convert_from(payload, 'UTF8') like ?", Integer.class, "%" + knock + "%");
        assertThat(decided).isEqualTo(1);
    }

    @Test
    @Order(5)
    void both_query_nodes_give_the_same_answer_once_they_hold_the_write() {
        String room = Api.uniqueName("agree");
        Api.Answer created = cmdB.createRoom("{\"name\":\"" + room + "\",\"privacy\":\"private\"}");
        Api.Answer issued = cmdA.post("/v1/meeting-tokens", Api.ADMIN, "{\"properties\":{\"room_name\":\"" + room + "\"}}");
        String check = "{\"room_name\":\"" + room + "\",\"token\":\"" + issued.text("token") + "\"}";

        for (Api node : List.of(qA, qB)) {
            Api.Answer roomVisible = node.joinCheck("{\"room_name\":\"" + room + "\"}", created.consistencyToken());
            assertThat(roomVisible.text("reason")).isEqualTo("private-room");
            Api.Answer allowed = node.joinCheck(check, issued.consistencyToken());
            assertThat(allowed.text("reason")).isEqualTo("valid-token");
        }
        Api.Answer revoked = cmdB.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"token\":\"" + issued.text("token") + "\"}");
        for (Api node : List.of(qA, qB)) {
            assertThat(node.joinCheck(check, revoked.consistencyToken()).text("reason")).isEqualTo("token-revoked");
        }
    }

    @Test
    @Order(6)
    void a_query_node_that_stops_hands_its_segments_to_the_other() {
        cluster.stop(queryB);
        Waiting.waitUntil("the view's segments owned as expected", Duration.ofSeconds(60), () -> owners().equals(Set.of("query-a"))
                && ownedSegments("query-a") == 2);

        String room = Api.uniqueName("takeover");
        Api.Answer created = cmdA.createRoom("{\"name\":\"" + room + "\"}");
        Api.Answer flipped = cmdB.post("/v1/rooms/" + room, Api.ADMIN, "{\"privacy\":\"private\"}");
        assertThat(qA.joinCheck("{\"room_name\":\"" + room + "\"}", created.consistencyToken()).status()).isEqualTo(200);
        assertThat(qA.joinCheck("{\"room_name\":\"" + room + "\"}", flipped.consistencyToken()).text("reason")).isEqualTo("private-room");
    }

    private static Set<String> owners() {
        return new HashSet<>(cluster.jdbc().queryForList(
                "select owner from token_entry where processor_name = 'join-eligibility' and owner is not null", String.class));
    }

    private static int ownedSegments(String owner) {
        Integer n = cluster.jdbc().queryForObject(
                "select count(*) from token_entry where processor_name = 'join-eligibility' and owner = ?", Integer.class, owner);
        return n == null ? 0 : n;
    }

    private static int countEvents(String type, String roomName) {
        Integer n = cluster.jdbc().queryForObject("select count(*) from domain_event_entry where payload_type like ? "
                + "and convert_from(payload, 'UTF8') like ?", Integer.class, "%" + type, "%\"name\":\"" + roomName + "\"%");
        return n == null ? 0 : n;
    }

    private static List<Api.Answer> runAll(List<Callable<Api.Answer>> calls) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Api.Answer> answers = new ArrayList<>();
            for (Future<Api.Answer> f : pool.invokeAll(calls)) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Deadlines are rows in the shared {@code scheduled_tasks} table, so whichever command node is
     * alive runs them, and only one does: rooms created through both command nodes expire while
     * both poll the table (each deadline runs once), and after one node has stopped the other runs
     * the deadlines that node scheduled.
     */
    @Test
    @Order(7)
    void deadlines_scheduled_through_either_command_node_run_once_even_after_one_stops() {
        JdbcTemplate jdbc = cluster.jdbc();
        List<String> early = new ArrayList<>();
        List<String> late = new ArrayList<>();
        long earlyExp = TimeTesting.epochSecondsIn(Duration.ofSeconds(4));
        long lateExp = TimeTesting.epochSecondsIn(Duration.ofSeconds(12));
        for (int i = 0; i < 8; i++) {
            Api creator = i % 2 == 0 ? cmdA : cmdB;
            Api joiner = i % 2 == 0 ? cmdB : cmdA;
            long exp = i < 4 ? earlyExp : lateExp;
            String name = Api.uniqueName("expiring");
            String roomId = TimeTesting.roomId(creator.createRoom("{\"name\":\"" + name + "\",\"properties\":{\"exp\":" + exp
                    + ",\"eject_at_room_exp\":true}}"));
            TimeTesting.joined(joiner, name, "p-" + i, null, null);
            (i < 4 ? early : late).add(roomId);
        }
        for (String roomId : early) {
            Waiting.waitUntil("room " + roomId + " expired while both command nodes run", Duration.ofSeconds(60),
                    () -> !TimeTesting.events(jdbc, roomId, "RoomDeleted").isEmpty());
        }
        assertThat(Instant.now().getEpochSecond()).as("node B stops before the late rooms' exp").isLessThan(lateExp);
        cluster.stop(commandB);
        for (String roomId : late) {
            Waiting.waitUntil("room " + roomId + " expired after command node B stopped", Duration.ofSeconds(60),
                    () -> !TimeTesting.events(jdbc, roomId, "RoomDeleted").isEmpty());
        }
        List<String> all = new ArrayList<>(early);
        all.addAll(late);
        Waiting.waitUntil("every deadline of these rooms has run", Duration.ofSeconds(30),
                () -> all.stream().allMatch(r -> TimeTesting.scheduledTasksOf(jdbc, r) == 0));
        Waiting.sleep(Duration.ofSeconds(2)); // several polling rounds of the remaining node: nothing runs twice
        for (String roomId : all) {
            long exp = early.contains(roomId) ? earlyExp : lateExp;
            assertThat(TimeTesting.events(jdbc, roomId, "RoomDeleted")).as("deletions of %s", roomId).singleElement()
                    .satisfies(e -> assertThat(e.field("cause")).isEqualTo("expiry"));
            assertThat(TimeTesting.events(jdbc, roomId, "ParticipantEjected")).as("ejections of %s", roomId).singleElement()
                    .satisfies(e -> assertThat(e.field("cause")).isEqualTo("room-expired"));
            List<Instant> stamps = jdbc.queryForList("select time_stamp from domain_event_entry where aggregate_identifier = ? "
                    + "and payload_type = 'io.roomgate.events.RoomDeleted'", String.class, roomId).stream().map(Instant::parse).toList();
            assertThat(stamps).singleElement().satisfies(t -> assertThat(t.getEpochSecond()).as("not before exp").isGreaterThanOrEqualTo(exp));
        }
    }

}
