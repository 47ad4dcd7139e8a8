package io.roomgate.app.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Waiting;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 10, done when: a receiver that fails the first N attempts then recovers gets every
 * notification exactly once after deduplication, also across an application restart in the
 * middle. The application is closed while the receiver holds a retry open (the fifth attempt at
 * a notification the receiver already refused four times, with the room's later notifications
 * queued behind it), and a new one starts on the same H2 file.
 */
class WebhookDeliveryAcrossRestartIT {

    static final int FAILURES = 4; // the test profile gives up after max-attempts = 5

    @TempDir
    Path dir;

    private String url() {
        return "jdbc:h2:file:" + dir.resolve("db").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private ConfigurableApplicationContext start() {
        // a request timeout longer than the restart takes: the held attempt is cut off by the shutdown, not by the timeout
        return new SpringApplicationBuilder(RoomgateApplication.class).profiles("test")
                .run("--server.port=0", "--spring.datasource.url=" + url(), "--roomgate.room-url-base=https://rooms.test/",
                        "--roomgate.webhooks.timeout=PT30S");
    }

    /** The pending deliveries in the stopped application's database: attempts so far, and whether one is claimed. */
    private List<String> pendingWhileStopped() {
        // the test's H2 database, or the PostgreSQL one standing for it in the scenarios-on-postgresql run
        SingleConnectionDataSource db;
        try {
            db = new SingleConnectionDataSource(io.roomgate.app.postgres.ScenariosOnPostgres.connection(url()), true);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        try {
            return new JdbcTemplate(db).query("select attempts, claimed_until from webhook_delivery where status = 'pending' order by position",
                    (rs, i) -> rs.getInt(1) + (rs.getTimestamp(2) == null ? "" : " claimed"));
        } finally {
            db.destroy();
        }
    }

    @Test
    void a_receiver_that_fails_at_first_gets_every_notification_once_across_a_restart() throws Exception {
        String knocking = Api.uniqueName("restart-knock");
        String open = Api.uniqueName("restart-open");
        String webhook;
        String secret;
        try (Receiver receiver = new Receiver()) {
            receiver.failNext(FAILURES);
            receiver.holdNextRequest();

            try (ConfigurableApplicationContext first = start()) {
                Api api = Api.of(first);
                Api.Answer created = api.post("/v1/webhooks", Api.ADMIN, "{\"url\":\"" + receiver.url() + "\",\"event_types\":"
                        + "[\"waiting-participant.joined\",\"waiting-participant.left\",\"participant.joined\",\"participant.left\"]}");
                assertThat(created.status()).as(created.raw()).isEqualTo(200);
                webhook = created.text("id");
                secret = created.text("secret");

                api.createRoom("{\"name\":\"" + knocking + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}");
                String owner = api.token("{\"room_name\":\"" + knocking + "\",\"is_owner\":true}");
                ok(api.post("/v1/rooms/" + knocking + "/participants", Api.JOIN, "{\"participant_id\":\"owner\",\"token\":\"" + owner + "\"}"));
                String knock = ok(api.post("/v1/rooms/" + knocking + "/knocks", Api.JOIN, "{\"user_name\":\"guest\"}")).text("id");
                ok(api.post("/v1/knocks/" + knock + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner\"}"));
                ok(api.post("/v1/rooms/" + knocking + "/participants", Api.JOIN, "{\"participant_id\":\"guest\",\"knock_id\":\"" + knock + "\"}"));

                // four refusals of the room's first notification, then its fifth attempt hangs
                assertThat(receiver.awaitHolding(Duration.ofSeconds(60))).as("the fifth attempt reaches the receiver").isTrue();

                // meanwhile another room's notifications go through (the receiver has recovered)
                api.createRoom("{\"name\":\"" + open + "\"}");
                for (String p : List.of("p0", "p1", "p2")) {
                    ok(api.post("/v1/rooms/" + open + "/participants", Api.JOIN, "{\"participant_id\":\"" + p + "\"}"));
                }
                ok(api.delete("/v1/rooms/" + open + "/participants/p1", Api.JOIN));
                JdbcTemplate jdbc = first.getBean(JdbcTemplate.class);
                Waiting.waitUntil("the open room's notifications delivered before the restart", Duration.ofSeconds(60),
                        () -> jdbc.queryForObject("select count(*) from webhook_delivery where status = 'delivered'", Integer.class) == 4);
                assertThat(jdbc.queryForList("select attempts from webhook_delivery where status = 'pending' order by position", Integer.class))
                        .as("closing mid-retry: the knocking room's four notifications wait, the first after four failures")
                        .containsExactly(FAILURES, 0, 0, 0);
            }
            receiver.release();
            assertThat(pendingWhileStopped()).as("the attempt the stop cut off counts for nothing, and nothing stays claimed")
                    .containsExactly(String.valueOf(FAILURES), "0", "0", "0");

            try (ConfigurableApplicationContext second = start()) {
                Api api = Api.of(second);
                String late = ok(api.post("/v1/rooms/" + knocking + "/knocks", Api.JOIN, "{\"user_name\":\"late\"}")).text("id");
                ok(api.post("/v1/knocks/" + late + "/deny", Api.JOIN, "{\"by_participant_id\":\"owner\"}"));
                ok(api.post("/v1/rooms/" + open + "/participants", Api.JOIN, "{\"participant_id\":\"p3\"}"));

                Waiting.waitUntil("every notification after the restart", Duration.ofSeconds(90),
                        () -> receiver.distinct(knocking).size() == 6 && receiver.distinct(open).size() == 5);
                Thread.sleep(1_000); // several dispatcher rounds: nothing more arrives

                assertThat(summary(receiver.distinct(knocking))).containsExactly(
                        "participant.joined owner", "waiting-participant.joined guest", "waiting-participant.left approved",
                        "participant.joined guest", "waiting-participant.joined late", "waiting-participant.left denied");
                assertThat(summary(receiver.distinct(open))).containsExactly(
                        "participant.joined p0", "participant.joined p1", "participant.joined p2", "participant.left p1",
                        "participant.joined p3");
                for (Receiver.Received r : receiver.received()) {
                    assertThat(r.signedWith(secret)).as("signature of %s", r.deliveryId()).isTrue();
                    assertThat(r.json().get("id").asText()).isEqualTo(r.deliveryId());
                }
                Map<String, JsonNode> firstBodies = receiver.distinct(knocking);
                firstBodies.putAll(receiver.distinct(open));
                for (Receiver.Received r : receiver.received()) {
                    assertThat(r.json()).as("a repeated delivery id carries the same notification").isEqualTo(firstBodies.get(r.deliveryId()));
                }
                String held = receiver.attempts().stream().filter(a -> a.status() == 0).findFirst().orElseThrow().deliveryId();
                assertThat(firstBodies.keySet()).as("the notification whose attempt the restart cut off").contains(held);

                // the delivery log through the API: the four failures, then the success, on the first notification
                Api.Answer log = api.get("/v1/webhooks/" + webhook + "/deliveries", Api.ADMIN);
                assertThat(log.status()).isEqualTo(200);
                List<JsonNode> deliveries = list(log.body().get("data"));
                assertThat(deliveries).hasSize(11).allSatisfy(d -> {
                    assertThat(d.get("status").asText()).isEqualTo("delivered");
                    assertThat(d.at("/log/" + (d.get("log").size() - 1) + "/status_code").asInt()).isEqualTo(204);
                    assertThat(d.get("attempts").asInt()).isEqualTo(d.get("log").size());
                });
                JsonNode heldDelivery = deliveries.stream().filter(d -> d.get("id").asText().equals(held)).findFirst().orElseThrow();
                assertThat(list(heldDelivery.get("log"))).extracting(a -> a.get("status_code").asInt())
                        .containsExactly(503, 503, 503, 503, 204);
                long refusals = receiver.attempts().stream().filter(a -> a.status() == 503).count();
                assertThat(deliveries.stream().flatMap(d -> list(d.get("log")).stream())
                        .filter(a -> a.get("status_code").asInt() == 503)).as("every refusal is in the log").hasSize((int) refusals);

                Api.Answer state = api.get("/v1/webhooks/" + webhook, Api.ADMIN);
                assertThat(state.text("state")).isEqualTo("active");
                assertThat(state.body().get("consecutive_failures").asInt()).isZero();
            }
        }
    }

    private static Api.Answer ok(Api.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        return answer;
    }

    /** A notification in a few words: its type and who or what it is about. */
    private static List<String> summary(Map<String, JsonNode> notifications) {
        List<String> lines = new ArrayList<>();
        for (JsonNode n : notifications.values()) {
            String type = n.get("type").asText();
            JsonNode p = n.get("payload");
            String about = switch (type) {
                case "waiting-participant.joined" -> p.get("user_name").asText();
                case "waiting-participant.left" -> p.get("outcome").asText();
                default -> p.get("participant_id").asText();
            };
            lines.add(type + " " + about);
        }
        return lines;
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }
}
