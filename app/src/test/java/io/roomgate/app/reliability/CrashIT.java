package io.roomgate.app.reliability;

import io.roomgate.app.RoomgateApplication;
import io.roomgate.app.Waiting;
import io.roomgate.edge.ConsistencyToken;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 part 3: roomgate in a process of its own (H2 file database, keys given on the command
 * line under a profile that is neither demo nor test) is written to by three concurrent clients
 * and killed with SIGKILL ({@link Process#destroyForcibly()}) in the middle of it, with rooms
 * expiring and knocks timing out around the kill. Restarted on the same database: every write
 * the clients saw acknowledged (a 200 with its {@code X-Consistency-Token}: aggregate and
 * sequence) is in the event store, every deadline fires exactly once (rooms at {@code exp},
 * pending knocks at their timeout: none lost, none twice, none left overdue), and the view is
 * what a rebuild from the event store makes of it, row for row. The child's output holds no key
 * and no token.
 */
@Tag("slow")
class CrashIT {

    static final int WRITERS = 3;

    @TempDir
    Path dir;

    final String admin = "crash-admin-" + UUID.randomUUID();
    final String join = "crash-join-" + UUID.randomUUID();
    final String audit = "crash-audit-" + UUID.randomUUID();
    final String signingKey = randomKey();

    /** A write the client saw acknowledged. */
    record Ack(String what, ConsistencyToken token) {
    }

    final ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
    final Map<String, Long> expiringRooms = new java.util.concurrent.ConcurrentHashMap<>();
    final Map<String, String> pendingKnocks = new java.util.concurrent.ConcurrentHashMap<>();
    final java.util.Set<String> deletedByAdmin = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger inFlight = new AtomicInteger();

    @Test
    void a_killed_process_loses_no_acknowledged_write_no_deadline_and_rebuilds_the_same_view() throws Exception {
        // exactly the embedded default's own settings (application.yml, the shared defaults and the
        // migrations: V2 sets H2's WRITE_DELAY to 0, the defaults shorten db-scheduler's dead-node
        // detection to 4 x 10 s) on a database of this test's
        String options = shippedH2Options();
        String url = "jdbc:h2:file:" + dir.resolve("roomgate").toAbsolutePath() + ";" + options;
        int port = freePort();
        Path log = dir.resolve("child.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), RoomgateApplication.class.getName()));
        command.addAll(args(url, port));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int acknowledgedAtKill;
        int inFlightAtKill;
        try {
            awaitHealthy(new Http(port), child, log);
            Http http = new Http(port);
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                Thread t = new Thread(() -> {
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            round(http, writer, i);
                        }
                    } catch (RuntimeException gone) {
                        // the process is gone
                    }
                }, "crash-writer-" + w);
                t.start();
                writers.add(t);
            }
            Waiting.waitUntil("enough acknowledged writes", Duration.ofSeconds(180), () -> acks.size() >= 150 || writers.stream().noneMatch(Thread::isAlive));
            inFlightAtKill = inFlight.get();
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            acknowledgedAtKill = acks.size();
            stop.set(true);
            for (Thread t : writers) {
                t.join(30_000);
            }
        } finally {
            child.destroyForcibly();
        }
        assertThat(acknowledgedAtKill).as("writes acknowledged before the kill").isGreaterThanOrEqualTo(100);
        List<Ack> acknowledged = new ArrayList<>(acks);

        // restart on the same database, in this JVM, with the same configuration
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RoomgateApplication.class)
                .run(args(url, 0).toArray(String[]::new))) {
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            Http http = new Http(Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port")));

            // 1. every acknowledged write is in the event store
            List<String> lost = new ArrayList<>();
            for (Ack ack : acknowledged) {
                Integer n = jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? and sequence_number = ?",
                        Integer.class, ack.token().aggregateId(), ack.token().sequence());
                if (n == null || n != 1) {
                    lost.add(ack.what() + " " + ack.token());
                }
            }
            assertThat(lost).as("acknowledged writes missing from the event store").isEmpty();

            // 2. every deadline fires once: rooms at exp, pending knocks at their timeout
            long lastDeadline = expiringRooms.values().stream().mapToLong(Long::longValue).max().orElse(0);
            try {
                Waiting.waitUntil("every room's exp has passed and its deadline ran", Duration.ofSeconds(90), () ->
                        Instant.now().getEpochSecond() > lastDeadline + 2 && overdueTasks(jdbc) == 0);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; overdue: " + jdbc.queryForList("select task_name, execution_time, picked, "
                        + "picked_by, last_heartbeat from scheduled_tasks where execution_time < ?", java.sql.Timestamp.from(Instant.now().minusSeconds(5))));
            }
            Waiting.waitUntil("the view has applied every stored event", Duration.ofSeconds(60), () -> caughtUp(jdbc));
            int fired = 0;
            List<String> wrong = new ArrayList<>();
            for (String room : expiringRooms.keySet()) {
                long deletions = countEvents(jdbc, "RoomDeleted", "\"name\":\"" + room + "\"");
                if (deletions != 1) {
                    wrong.add(room + " (exp " + expiringRooms.get(room) + "): " + deletions + " RoomDeleted");
                }
                fired += deletedByAdmin.contains(room) ? 0 : 1;
            }
            for (Map.Entry<String, String> k : pendingKnocks.entrySet()) {
                long expired = countEvents(jdbc, "KnockExpired", k.getKey());
                boolean roomGone = countEvents(jdbc, "RoomDeleted", "\"name\":\"" + k.getValue() + "\"") > 0;
                if (expired > 1 || (!roomGone && expired != 1)) {
                    wrong.add("knock " + k.getKey() + " in " + k.getValue() + ": " + expired + " KnockExpired (room deleted: " + roomGone + ")");
                }
                fired += (int) expired;
            }
            assertThat(wrong).as("deadlines lost or fired twice").isEmpty();
            assertThat(overdueTasks(jdbc)).as("deadlines left overdue").isZero();

            // 3. the view is what a rebuild from the event store makes
            Map<String, List<String>> live = dump(jdbc);
            assertThat(live.get("view_room")).isNotEmpty();
            assertThat(mismatchedPresentCounts(jdbc)).isEmpty();
            Http.Answer started = http.send("POST", "/v1/admin/projections/join-eligibility/replay", admin, null);
            assertThat(started.status()).as(started.raw()).isEqualTo(202);
            Waiting.waitUntil("the rebuild is done", Duration.ofMinutes(3),
                    () -> "done".equals(http.send("GET", "/v1/admin/projections/join-eligibility/status", admin, null).text("state")));
            Map<String, List<String>> rebuilt = dump(jdbc);
            for (String table : live.keySet()) {
                assertThat(rebuilt.get(table)).as("%s after the crash vs. rebuilt from the event store", table)
                        .containsExactlyElementsOf(live.get(table));
            }
            int rows = live.values().stream().mapToInt(List::size).sum();

            // 4. the child's output holds no key and no token
            String output = Files.readString(log);
            for (String secret : List.of(admin, join, audit, signingKey)) {
                assertThat(output).doesNotContain(secret);
            }
            assertThat(output).doesNotContainPattern("eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{16,}");

            Summary.line("crash", "1 kill -9 of a separate roomgate process under " + WRITERS + " concurrent writers ("
                    + acknowledgedAtKill + " writes acknowledged, " + inFlightAtKill + " in flight at the kill), restarted: "
                    + (acknowledged.size() - lost.size()) + "/" + acknowledged.size() + " acknowledged writes in the event store (events lost: 0), "
                    + (expiringRooms.size() + pendingKnocks.size()) + " deadlines due around the kill (" + expiringRooms.size() + " room expiries, "
                    + pendingKnocks.size() + " knock timeouts): " + fired + " fired exactly once, the others cancelled by their room's deletion "
                    + "(0 lost, 0 twice, 0 left overdue), view == rebuild from the event store ("
                    + rows + " rows in " + live.size() + " tables)");
        }
    }

    /** One round of writes of every kind a room sees, some with deadlines due around the kill. */
    private void round(Http http, int writer, int i) {
        String room = "crash-" + writer + "-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
        boolean expiring = i % 2 == 0;
        long exp = Instant.now().getEpochSecond() + 6 + (i * 7 + writer * 3) % 20;
        String props = "{\"enable_knocking\":true,\"max_participants\":20" + (expiring ? ",\"exp\":" + exp : "") + "}";
        write(http, "POST", "/v1/rooms", admin, "{\"name\":\"" + room + "\",\"properties\":" + props + "}", "create " + room);
        if (expiring) {
            expiringRooms.put(room, exp);
        }
        Http.Answer owner = write(http, "POST", "/v1/meeting-tokens", admin, "{\"properties\":{\"room_name\":\"" + room + "\",\"is_owner\":true}}", "token");
        write(http, "POST", "/v1/rooms/" + room + "/participants", join, "{\"participant_id\":\"p-owner\",\"token\":\"" + owner.text("token") + "\"}", "join owner");
        write(http, "POST", "/v1/rooms/" + room + "/participants", join, "{\"participant_id\":\"p-a\",\"user_id\":\"u-a\"}", "join a");
        write(http, "POST", "/v1/rooms/" + room, admin, "{\"privacy\":\"private\"}", "private");
        Http.Answer k1 = write(http, "POST", "/v1/rooms/" + room + "/knocks", join, "{\"user_name\":\"Kim\"}", "knock 1");
        Http.Answer k2 = write(http, "POST", "/v1/rooms/" + room + "/knocks", join, "{\"user_name\":\"Lee\"}", "knock 2");
        pendingKnocks.put(k2.text("id"), room);
        write(http, "POST", "/v1/knocks/" + k1.text("id") + "/approve", join, "{\"by_participant_id\":\"p-owner\"}", "approve");
        write(http, "POST", "/v1/rooms/" + room + "/participants", join, "{\"participant_id\":\"p-kim\",\"knock_id\":\"" + k1.text("id") + "\"}", "join kim");
        write(http, "POST", "/v1/rooms/" + room + "/eject", admin, "{\"user_ids\":[\"u-a\"],\"ban\":true}", "eject");
        write(http, "PUT", "/v1/members/m-" + room, admin, null, "member");
        write(http, "POST", "/v1/meeting-tokens/revoke", admin, "{\"token\":\"" + owner.text("token") + "\"}", "revoke");
        if (i % 4 == 3) {
            write(http, "DELETE", "/v1/rooms/" + room, admin, null, "delete " + room);
            deletedByAdmin.add(room);
        }
    }

    private Http.Answer write(Http http, String method, String path, String key, String body, String what) {
        inFlight.incrementAndGet();
        Http.Answer a;
        try {
            a = http.send(method, path, key, body);
        } finally {
            inFlight.decrementAndGet();
        }
        if (a.status() != 200) {
            throw new IllegalStateException(what + ": " + a.status() + " " + a.raw());
        }
        ConsistencyToken token = ConsistencyToken.decode(a.header(ConsistencyToken.HEADER))
                .orElseThrow(() -> new AssertionError(what + " acknowledged without a consistency token"));
        acks.add(new Ack(what, token));
        return a;
    }

    /** The options of the embedded default's datasource URL ({@code spring.datasource.url} in application.yml), after the path. */
    static String shippedH2Options() throws IOException {
        String override = System.getProperty("roomgate.crash.h2-options");
        if (override != null) {
            return override;
        }
        var yaml = new org.springframework.boot.env.YamlPropertySourceLoader()
                .load("application.yml", new org.springframework.core.io.ClassPathResource("application.yml"));
        String shipped = yaml.stream().map(p -> p.getProperty("spring.datasource.url")).filter(java.util.Objects::nonNull)
                .map(Object::toString).findFirst().orElseThrow();
        assertThat(shipped).startsWith("jdbc:h2:file:");
        return shipped.contains(";") ? shipped.substring(shipped.indexOf(';') + 1) : "";
    }

    private List<String> args(String url, int port) {
        return argsShipped(url, port);
    }

    private List<String> argsShipped(String url, int port) {
        return List.of("--spring.profiles.active=crash",
                "--server.port=" + port,
                "--spring.datasource.url=" + url,
                "--roomgate.room-url-base=https://rooms.test/",
                "--roomgate.tokens.domain-id=crash-domain",
                "--roomgate.tokens.signing-key-id=c1",
                "--roomgate.tokens.keys.c1=" + signingKey,
                "--roomgate.api-keys[0].id=crash-admin", "--roomgate.api-keys[0].key=" + admin, "--roomgate.api-keys[0].scopes[0]=admin",
                "--roomgate.api-keys[1].id=crash-join", "--roomgate.api-keys[1].key=" + join, "--roomgate.api-keys[1].scopes[0]=join",
                "--roomgate.api-keys[2].id=crash-audit", "--roomgate.api-keys[2].key=" + audit, "--roomgate.api-keys[2].scopes[0]=audit",
                "--roomgate.knocks.pending-timeout=PT15S",
                "--roomgate.view.batch-size=5",
                "--roomgate.view.claim-timeout=PT2S",
                "--db-scheduler.polling-interval=300ms");
    }

    private static long countEvents(JdbcTemplate jdbc, String type, String payloadFragment) {
        return jdbc.query("select payload from domain_event_entry where payload_type like ?", (rs, n) -> rs.getBytes(1), "%." + type)
                .stream().filter(p -> new String(p, java.nio.charset.StandardCharsets.UTF_8).contains(payloadFragment)).count();
    }

    private static long overdueTasks(JdbcTemplate jdbc) {
        Long n = jdbc.queryForObject("select count(*) from scheduled_tasks where execution_time < ?", Long.class,
                java.sql.Timestamp.from(Instant.now().minusSeconds(5)));
        return n == null ? 0 : n;
    }

    private static boolean caughtUp(JdbcTemplate jdbc) {
        Map<String, Long> stored = new LinkedHashMap<>();
        jdbc.query("select aggregate_identifier, max(sequence_number) from domain_event_entry group by aggregate_identifier order by 1",
                rs -> {
                    stored.put(rs.getString(1), rs.getLong(2));
                });
        Map<String, Long> view = new LinkedHashMap<>();
        jdbc.query("select aggregate_id, seq from view_position order by 1", rs -> {
            view.put(rs.getString(1), rs.getLong(2));
        });
        return stored.equals(view);
    }

    private static List<String> mismatchedPresentCounts(JdbcTemplate jdbc) {
        return jdbc.queryForList("select r.name || ': ' || r.present_count from view_room r "
                + "where r.present_count <> (select count(*) from view_participant p where p.room_id = r.room_id)", String.class);
    }

    /** Every view table, every column, rows ordered by every column. */
    private static Map<String, List<String>> dump(JdbcTemplate jdbc) {
        Map<String, List<String>> dump = new LinkedHashMap<>();
        for (String table : List.of("view_room", "view_participant", "view_knock", "view_ban", "view_revoked_token", "view_member", "view_position")) {
            Integer columns = jdbc.query("select * from " + table + " where 1 = 0",
                    (org.springframework.jdbc.core.ResultSetExtractor<Integer>) rs -> rs.getMetaData().getColumnCount());
            String orderBy = IntStream.rangeClosed(1, columns).mapToObj(Integer::toString).collect(Collectors.joining(", "));
            dump.put(table, jdbc.queryForList("select * from " + table + " order by " + orderBy).stream()
                    .map(row -> row.entrySet().stream().map(e -> e.getKey().toLowerCase() + "=" + e.getValue()).collect(Collectors.joining(" | ")))
                    .toList());
        }
        return dump;
    }

    private static void awaitHealthy(Http http, Process child, Path log) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child app died:\n" + Files.readString(log));
            }
            try {
                if (http.send("GET", "/actuator/health", Map.of(), null, Duration.ofSeconds(5)).status() == 200) {
                    return;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            Waiting.sleep(Duration.ofMillis(500));
        }
        throw new AssertionError("the child app did not come up:\n" + Files.readString(log));
    }



    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
