package io.roomgate.app.join;

import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.RoomgateApplication;
import io.roomgate.app.postgres.ScenariosOnPostgres;
import io.roomgate.query.view.JoinEligibilityProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static io.roomgate.app.join.Steps.body;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Killing the app between an event's append and its projection, then restarting, leaves the view
 * as if nothing happened (no event lost, none applied twice)" (issue 4), on an H2 file database:
 * <ol>
 *   <li>a real kill: the app runs in a child JVM, is written to over HTTP, and is killed with
 *       SIGKILL in the middle of the writes (so some events are appended and not yet projected,
 *       some batches perhaps half-applied);</li>
 *   <li>a deterministic one: in this JVM the view's processor is shut down, writes are appended
 *       and never projected, and the app is closed;</li>
 * </ol>
 * after each, a fresh app on the same database catches up, and its view must equal, row for row,
 * what a full replay of the event store builds; each room's {@code present_count} must equal its
 * participant rows (an event applied twice would break one or the other).
 */
class CrashSafetyIT {

    static final String GROUP = JoinEligibilityProjection.GROUP;

    @TempDir
    Path dir;

    @Test
    void a_killed_app_restarted_on_the_same_database_has_the_view_a_full_replay_builds() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("roomgate").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";

        // 1. kill -9 in the middle of writing
        int written = writeThenKill(url);
        assertThat(written).as("writes acknowledged before the kill").isGreaterThan(20);
        long[] atKill = storeAndViewAfterTheKill(url);
        System.out.printf("killed after %d acknowledged writes: %d events stored, %d of them not yet in the view%n",
                written, atKill[0], atKill[1]);
        assertThat(atKill[0]).as("events stored").isPositive();

        List<String> phase2Rooms = new ArrayList<>();
        try (ConfigurableApplicationContext app = start(url)) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            awaitCaughtUp(jdbc);
            assertViewIsWhatAReplayBuilds(app);

            // 2. append events the view never projects, then stop the app
            StreamingEventProcessor processor = processor(app);
            processor.shutDown();
            assertThat(processor.isRunning()).isFalse();
            Map<String, List<String>> viewBefore = dump(jdbc);
            long eventsBefore = count(jdbc, "select count(*) from domain_event_entry");
            Steps steps = new Steps(new Api(port(app), jdbc));
            for (int i = 0; i < 5; i++) {
                String room = Api.uniqueName("unprojected");
                phase2Rooms.add(room);
                steps.createRoom(room, "public", null);
                steps.join(room, body("participant_id", "p1", "user_id", "u1"));
                steps.join(room, body("participant_id", "p2"));
                steps.leave(room, "p2");
                steps.makePrivate(room);
            }
            assertThat(count(jdbc, "select count(*) from domain_event_entry")).isEqualTo(eventsBefore + 25);
            assertThat(dump(jdbc)).as("the view did not move").isEqualTo(viewBefore);
        }

        // 3. restart: the unprojected events are applied, once
        try (ConfigurableApplicationContext app = start(url)) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            awaitCaughtUp(jdbc);
            Steps steps = new Steps(new Api(port(app), jdbc));
            for (String room : phase2Rooms) {
                assertThat(jdbc.queryForObject("select present_count from view_room where name = ? and live = true",
                        Integer.class, room)).isEqualTo(1);
                steps.expect(body("room_name", room, "participant_id", "p1"), null, "allow", "already-present");
                steps.expect(body("room_name", room), null, "deny", "private-room");
            }
            assertViewIsWhatAReplayBuilds(app);
        }
    }

    // ---- phase 1: a child JVM, killed

    private int writeThenKill(String url) throws Exception {
        int port = freePort();
        Path log = dir.resolve("child.log");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                RoomgateApplication.class.getName(),
                "--spring.profiles.active=test",
                "--server.port=" + port,
                "--roomgate.room-url-base=https://rooms.test/",
                "--roomgate.view.batch-size=5"));
        command.addAll(ScenariosOnPostgres.datasourceArguments(url));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        AtomicInteger acknowledged = new AtomicInteger();
        try {
            awaitHealthy(port, child, log);
            Api api = new Api(port, null);
            Steps steps = new Steps(api);
            // a burst of writes of every kind; the kill lands in the middle of it
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 1_000 && !Thread.currentThread().isInterrupted(); i++) {
                        scenario(steps, i, acknowledged);
                    }
                } catch (RuntimeException | AssertionError stopped) {
                    // the app is gone
                }
            }, "crash-writer");
            writer.start();
            Waiting.waitUntil("enough writes", Duration.ofSeconds(120), () -> acknowledged.get() >= 60 || !writer.isAlive());
            child.destroyForcibly();
            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            writer.join(30_000);
            return acknowledged.get();
        } finally {
            child.destroyForcibly();
        }
    }

    /** One round of everything the view keeps: rooms, presence, privacy, tokens, knocks, members, bans. */
    private static void scenario(Steps steps, int i, AtomicInteger acknowledged) {
        String room = Api.uniqueName("crash" + i);
        steps.createRoom(room, "public", "{\"enable_knocking\":true,\"max_participants\":20}");
        acknowledged.incrementAndGet();
        Answer owner = steps.issue("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
        acknowledged.incrementAndGet();
        steps.join(room, body("participant_id", "p-owner", "token", owner.text("token")));
        steps.join(room, body("participant_id", "p-a", "user_id", "u-a"));
        steps.join(room, body("participant_id", "p-b", "user_id", "u-b"));
        acknowledged.addAndGet(3);
        steps.makePrivate(room);
        acknowledged.incrementAndGet();
        Answer knock = steps.knock(room, "Kim");
        Answer other = steps.knock(room, "Lee");
        assertThat(steps.approve(knock.text("id"), "p-owner").status()).isEqualTo(200);
        assertThat(steps.deny(other.text("id"), "p-owner").status()).isEqualTo(200);
        steps.join(room, body("participant_id", "p-kim", "knock_id", knock.text("id")));
        steps.knock(room, "Max");
        acknowledged.addAndGet(6);
        steps.eject(room, "{\"user_ids\":[\"u-a\"],\"ban\":true}");
        steps.leave(room, "p-b");
        acknowledged.addAndGet(2);
        steps.addMember("m-" + room);
        steps.revoke(owner.text("token"));
        acknowledged.addAndGet(2);
        if (i % 3 == 2) {
            steps.deleteRoom(room);
            acknowledged.incrementAndGet();
        }
    }

    private static void awaitHealthy(int port, Process child, Path log) throws IOException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child app died:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the child app did not come up:\n" + Files.readString(log));
    }

    /** Straight from the database file the killed app left: events stored, and how many the view lacks. */
    private static long[] storeAndViewAfterTheKill(String url) throws java.sql.SQLException {
        try (java.sql.Connection c = ScenariosOnPostgres.connection(url);
             java.sql.Statement st = c.createStatement()) {
            long stored;
            try (java.sql.ResultSet rs = st.executeQuery("select count(*) from domain_event_entry")) {
                rs.next();
                stored = rs.getLong(1);
            }
            try (java.sql.ResultSet rs = st.executeQuery("select count(*) from domain_event_entry e left join view_position p "
                    + "on p.aggregate_id = e.aggregate_identifier where p.seq is null or p.seq < e.sequence_number")) {
                rs.next();
                return new long[]{stored, rs.getLong(1)};
            }
        }
    }

    // ---- the app in this JVM

    private static ConfigurableApplicationContext start(String url) {
        // arguments, not builder properties: those are defaults, below application.yml's file database and port
        return new SpringApplicationBuilder(RoomgateApplication.class)
                .run("--spring.profiles.active=test",
                        "--server.port=0",
                        "--spring.datasource.url=" + url,
                        "--roomgate.room-url-base=https://rooms.test/",
                        // the killed node's claims are taken over once they time out
                        "--roomgate.view.claim-timeout=PT2S");
    }

    private static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
    }

    private static StreamingEventProcessor processor(ConfigurableApplicationContext app) {
        return app.getBean(EventProcessingConfiguration.class).eventProcessor(GROUP, StreamingEventProcessor.class)
                .orElseThrow();
    }

    /** Every event of the store is in the view: each aggregate's last sequence number is the view's position for it. */
    private static void awaitCaughtUp(JdbcTemplate jdbc) {
        Waiting.waitUntil("the view has applied every stored event", Duration.ofSeconds(120),
                () -> storedPositions(jdbc).equals(viewPositions(jdbc)));
    }

    private static Map<String, Long> storedPositions(JdbcTemplate jdbc) {
        Map<String, Long> m = new LinkedHashMap<>();
        jdbc.query("select aggregate_identifier, max(sequence_number) from domain_event_entry group by aggregate_identifier "
                + "order by aggregate_identifier", rs -> {
            m.put(rs.getString(1), rs.getLong(2));
        });
        return m;
    }

    private static Map<String, Long> viewPositions(JdbcTemplate jdbc) {
        Map<String, Long> m = new LinkedHashMap<>();
        jdbc.query("select aggregate_id, seq from view_position order by aggregate_id", rs -> {
            m.put(rs.getString(1), rs.getLong(2));
        });
        return m;
    }

    /** The view as it is must be the view a replay of the whole event store builds. */
    private static void assertViewIsWhatAReplayBuilds(ConfigurableApplicationContext app) {
        JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
        Map<String, List<String>> asIs = dump(jdbc);
        assertThat(asIs.get("view_room")).isNotEmpty();
        assertPresentCountsMatch(jdbc);

        StreamingEventProcessor processor = processor(app);
        // the killed node's claims stay until they time out: let this node take every segment over first,
        // or its shutdown cannot leave the segments unclaimed and the reset would be refused
        String node = app.getBean("roomgateNodeId", String.class);
        Waiting.waitUntil("this node owns every segment", Duration.ofSeconds(60),
                () -> count(jdbc, "select count(*) from token_entry where processor_name = '" + GROUP + "' and owner = '" + node + "'")
                        == count(jdbc, "select count(*) from token_entry where processor_name = '" + GROUP + "'"));
        processor.shutDown();
        Waiting.waitUntil("the processor released its segments", Duration.ofSeconds(30),
                () -> count(jdbc, "select count(*) from token_entry where processor_name = '" + GROUP + "' and owner is not null") == 0);
        processor.resetTokens();
        assertThat(count(jdbc, "select count(*) from view_room")).as("the reset emptied the view").isZero();
        processor.start();
        awaitCaughtUp(jdbc);
        Map<String, List<String>> replayed = dump(jdbc);
        for (String table : asIs.keySet()) {
            assertThat(asIs.get(table)).as("%s after the crash vs. a full replay", table)
                    .containsExactlyElementsOf(replayed.get(table));
        }
        assertPresentCountsMatch(jdbc);
    }

    private static void assertPresentCountsMatch(JdbcTemplate jdbc) {
        List<String> mismatches = jdbc.queryForList("select r.name || ': ' || r.present_count || ' vs ' || "
                + "(select count(*) from view_participant p where p.room_id = r.room_id) from view_room r "
                + "where r.present_count <> (select count(*) from view_participant p where p.room_id = r.room_id)", String.class);
        assertThat(mismatches).as("rooms whose present_count is not their participant rows").isEmpty();
        assertThat(count(jdbc, "select count(*) from view_participant p join view_room r on r.room_id = p.room_id "
                + "where r.live = false")).as("participants of deleted rooms").isZero();
    }

    /** Every row of every view table, in primary-key order, as text. */
    private static Map<String, List<String>> dump(JdbcTemplate jdbc) {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("view_room", "room_id");
        tables.put("view_participant", "room_id, participant_id");
        tables.put("view_knock", "knock_id");
        tables.put("view_ban", "room_id, user_id");
        tables.put("view_revoked_token", "token_id");
        tables.put("view_member", "member_id");
        tables.put("view_position", "aggregate_id");
        Map<String, List<String>> dump = new LinkedHashMap<>();
        tables.forEach((table, key) -> dump.put(table, jdbc.queryForList("select * from " + table + " order by " + key)
                .stream().map(row -> row.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ", "{", "}")))
                .toList()));
        return dump;
    }

    private static long count(JdbcTemplate jdbc, String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
