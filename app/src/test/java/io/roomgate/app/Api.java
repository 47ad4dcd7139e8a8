package io.roomgate.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/** A plain HTTP client for tests: real requests to the running app, answers as JSON. */
public final class Api {

    public static final String ADMIN = "test-admin-key-0123456789";
    public static final String JOIN = "test-join-key-0123456789";
    public static final String AUDIT = "test-audit-key-0123456789";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final JdbcTemplate jdbc;

    public Api(int port, JdbcTemplate jdbc) {
        this.base = "http://localhost:" + port;
        this.jdbc = jdbc;
    }

    /** For an application a test started itself (a restart test's contexts). */
    public static Api of(ConfigurableApplicationContext context) {
        int port = ((ServletWebServerApplicationContext) context).getWebServer().getPort();
        return new Api(port, context.getBean(JdbcTemplate.class));
    }

    /** A status, the headers that matter, and the body parsed as JSON (null if it is not JSON). */
    public record Answer(int status, JsonNode body, String raw, String consistencyToken) {
        public String text(String field) {
            return body == null || body.get(field) == null ? null : body.get(field).asText();
        }
    }

    public Answer call(String method, String path, String key, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = null;
            try {
                json = r.body().isEmpty() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                // leave json null: the test looks at raw
            }
            return new Answer(r.statusCode(), json, r.body(), r.headers().firstValue("X-Consistency-Token").orElse(null));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Answer get(String path, String key) {
        return call("GET", path, key, null, Map.of());
    }

    public Answer post(String path, String key, String body) {
        return call("POST", path, key, body, Map.of());
    }

    public Answer delete(String path, String key) {
        return call("DELETE", path, key, null, Map.of());
    }

    public Answer put(String path, String key) {
        return call("PUT", path, key, null, Map.of());
    }

    // ---- the usual steps of a scenario

    public static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public Answer createRoom(String json) {
        return post("/v1/rooms", ADMIN, json);
    }

    /** Issues a token and returns its text. */
    public String token(String propertiesJson) {
        Answer a = post("/v1/meeting-tokens", ADMIN, "{\"properties\":" + propertiesJson + "}");
        if (a.status() != 200) {
            throw new IllegalStateException("token not issued: " + a.raw());
        }
        return a.text("token");
    }

    /** A join check that waits for the given write to be in the view. */
    public Answer joinCheck(String json, String consistencyToken) {
        return call("POST", "/v1/join-checks", JOIN, json,
                consistencyToken == null ? Map.of() : Map.of("X-Consistency-Token", consistencyToken));
    }

    /** How many events the store holds: "a rejected request appends nothing" is this number not moving. */
    public long eventCount() {
        Long n = jdbc.queryForObject("select count(*) from domain_event_entry", Long.class);
        return n == null ? 0 : n;
    }
}
