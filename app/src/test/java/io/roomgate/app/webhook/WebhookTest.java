package io.roomgate.app.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

@RoomgateTest
class WebhookTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port, jdbc);
    }

    @Test
    void the_knocking_story_reaches_the_receiver_in_order_and_signed() throws Exception {
        try (Receiver receiver = new Receiver()) {
            String secret = register(receiver.url(), "waiting-participant.joined", "waiting-participant.left", "participant.joined");
            String room = Api.uniqueName("hooked");
            api.createRoom("{\"name\":\"" + room + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}");
            String owner = api.token("{\"room_name\":\"" + room + "\",\"is_owner\":true}");
            api.post("/v1/rooms/" + room + "/participants", Api.JOIN, "{\"participant_id\":\"owner\",\"token\":\"" + owner + "\"}");
            String knock = api.post("/v1/rooms/" + room + "/knocks", Api.JOIN, "{\"user_name\":\"guest\"}").text("id");
            api.post("/v1/knocks/" + knock + "/approve", Api.JOIN, "{\"by_participant_id\":\"owner\"}");
            api.post("/v1/rooms/" + room + "/participants", Api.JOIN, "{\"participant_id\":\"guest\",\"knock_id\":\"" + knock + "\"}");

            eventually(() -> forRoom(receiver, room).size() == 4);
            List<JsonNode> bodies = forRoom(receiver, room);
            assertThat(bodies).extracting(b -> b.get("type").asText()).containsExactly(
                    "participant.joined", "waiting-participant.joined", "waiting-participant.left", "participant.joined");
            assertThat(bodies.get(2).at("/payload/outcome").asText()).isEqualTo("approved");
            for (Receiver.Received r : receiver.received()) {
                assertThat(signatureValid(secret, r)).as("signature of %s", r.deliveryId()).isTrue();
                assertThat(JSON.readTree(r.body()).get("id").asText()).isEqualTo(r.deliveryId());
            }
        }
    }

    @Test
    void a_receiver_that_fails_at_first_gets_every_notification_once_after_deduplication() throws Exception {
        try (Receiver receiver = new Receiver()) {
            receiver.failNext(3);
            register(receiver.url(), "participant.joined", "participant.left");
            String room = Api.uniqueName("flaky");
            api.createRoom("{\"name\":\"" + room + "\"}");
            for (int i = 0; i < 5; i++) {
                api.post("/v1/rooms/" + room + "/participants", Api.JOIN, "{\"participant_id\":\"p" + i + "\"}");
            }
            api.delete("/v1/rooms/" + room + "/participants/p0", Api.JOIN);

            eventually(() -> distinct(receiver, room).size() == 6);
            Map<String, JsonNode> unique = distinct(receiver, room);
            assertThat(unique.values()).extracting(b -> b.at("/payload/participant_id").asText())
                    .containsExactly("p0", "p1", "p2", "p3", "p4", "p0");
        }
    }

    @Test
    void a_receiver_that_never_answers_ends_up_marked_failing_with_its_last_error() throws Exception {
        Receiver receiver = new Receiver();
        String url = receiver.url();
        receiver.close(); // nothing listens there any more
        Api.Answer created = api.post("/v1/webhooks", Api.ADMIN,
                "{\"url\":\"" + url + "\",\"event_types\":[\"room.deleted\"]}");
        String id = created.text("id");
        String room = Api.uniqueName("gone");
        api.createRoom("{\"name\":\"" + room + "\"}");
        api.delete("/v1/rooms/" + room, Api.ADMIN);

        eventually(() -> "failing".equals(api.get("/v1/webhooks/" + id, Api.ADMIN).text("state")));
        Api.Answer webhook = api.get("/v1/webhooks/" + id, Api.ADMIN);
        assertThat(webhook.text("last_error")).contains("ConnectException");
        Api.Answer log = api.get("/v1/webhooks/" + id + "/deliveries", Api.ADMIN);
        assertThat(log.body().at("/data/0/status").asText()).isEqualTo("failed");
        assertThat(log.body().at("/data/0/log").size()).isEqualTo(5);
        api.delete("/v1/webhooks/" + id, Api.ADMIN);
    }

    @Test
    void webhook_urls_must_be_valid_and_event_types_known() {
        long before = api.eventCount();
        assertThat(api.post("/v1/webhooks", Api.ADMIN, "{\"url\":\"ftp://x\",\"event_types\":[\"room.deleted\"]}").status()).isEqualTo(400);
        assertThat(api.post("/v1/webhooks", Api.ADMIN, "{\"url\":\"https://example.com/h\",\"event_types\":[\"nope\"]}").text("error"))
                .isEqualTo("invalid-request-error");
        assertThat(api.post("/v1/webhooks", Api.ADMIN, "{\"url\":\"https://example.com/h\"}").status()).isEqualTo(400);
        assertThat(api.post("/v1/webhooks", Api.JOIN, "{\"url\":\"https://example.com/h\",\"event_types\":[\"room.deleted\"]}").status())
                .isEqualTo(403);
        assertThat(api.get("/v1/webhooks/does-not-exist", Api.ADMIN).status()).isEqualTo(404);
        assertThat(api.eventCount()).isEqualTo(before);
    }

    private String register(String url, String... types) {
        String list = String.join("\",\"", types);
        Api.Answer created = api.post("/v1/webhooks", Api.ADMIN, "{\"url\":\"" + url + "\",\"event_types\":[\"" + list + "\"]}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.text("secret")).isNotBlank();
        assertThat(api.get("/v1/webhooks/" + created.text("id"), Api.ADMIN).raw()).doesNotContain(created.text("secret"));
        return created.text("secret");
    }

    private static List<JsonNode> forRoom(Receiver receiver, String room) {
        return receiver.received().stream().map(r -> parse(r.body()))
                .filter(b -> room.equals(b.at("/payload/room").asText())).toList();
    }

    private static Map<String, JsonNode> distinct(Receiver receiver, String room) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (Receiver.Received r : receiver.received()) {
            JsonNode body = parse(r.body());
            if (room.equals(body.at("/payload/room").asText())) {
                byId.putIfAbsent(r.deliveryId(), body);
            }
        }
        return byId;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean signatureValid(String secret, Receiver.Received r) throws Exception {
        String[] parts = r.signature().split(",");
        String t = parts[0].substring(2);
        String v1 = parts[1].substring(3);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((t + "." + r.body()).getBytes(StandardCharsets.UTF_8))).equals(v1);
    }

    private static void eventually(BooleanSupplier condition) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("not within 60 s");
            }
            Thread.sleep(100);
        }
    }
}
