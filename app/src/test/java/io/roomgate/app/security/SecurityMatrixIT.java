package io.roomgate.app.security;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import java.time.Duration;
import io.roomgate.app.RoomgateTest;
import io.roomgate.app.reliability.Http;
import io.roomgate.app.reliability.Summary;
import io.roomgate.edge.RequiresScope;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint of the API × {no key, unknown key, admin, join, audit}: no Authorization header
 * is a 400 {@code authorization-header-error}, an unknown key a 401 {@code authentication-error},
 * a key without the endpoint's scope a 403 {@code forbidden-error}, each in Daily's shape and
 * appending nothing; a key with the scope gets past authentication (2xx, or a 4xx that is not
 * about the credential). The list of endpoints is checked against the application's own request
 * mappings, so an endpoint added without a row here (or without {@code @RequiresScope}) fails.
 * The unauthenticated surface (actuator, OpenAPI) is checked too: nothing there shows
 * configuration, beans, heap or keys.
 */
@RoomgateTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityMatrixIT extends WithEmbeddedApp {

    static final String ADMIN = "admin";
    static final String JOIN = "join";
    static final String AUDIT = "audit";
    static final Map<String, String> KEYS = Map.of(ADMIN, Api.ADMIN, JOIN, Api.JOIN, AUDIT, Api.AUDIT);
    static final String UNKNOWN_KEY = "rg-unknown-key-5d1f0c8e2b";

    @Autowired
    ApplicationContext context;

    Http http;
    final Map<String, String> fixture = new LinkedHashMap<>();

    /** An endpoint as its mapping spells it, how to call it, and the scopes that may. */
    record Endpoint(String method, String template, Supplier<String> path, String body, Map<String, String> headers,
                    Set<String> scopes) {
        @Override
        public String toString() {
            return method + " " + template + (headers.containsKey("Accept") ? " (" + headers.get("Accept") + ")" : "");
        }
    }

    @BeforeAll
    void fixture() {
        http = new Http(port);
        String room = Api.uniqueName("matrix");
        String doomed = Api.uniqueName("matrix-doomed");
        String privateRoom = Api.uniqueName("matrix-private");
        ok(api.createRoom("{\"name\":\"" + room + "\"}"));
        ok(api.createRoom("{\"name\":\"" + doomed + "\"}"));
        ok(api.createRoom("{\"name\":\"" + privateRoom + "\",\"privacy\":\"private\",\"properties\":{\"enable_knocking\":true}}"));
        String owner = api.token("{\"room_name\":\"" + privateRoom + "\",\"is_owner\":true}");
        ok(api.post("/v1/rooms/" + privateRoom + "/participants", Api.JOIN, "{\"participant_id\":\"p-owner\",\"token\":\"" + owner + "\"}"));
        ok(api.post("/v1/rooms/" + room + "/participants", Api.JOIN, "{\"participant_id\":\"p-leaver\"}"));
        String user = Api.uniqueName("matrix-user");
        ok(api.post("/v1/rooms/" + room + "/eject", Api.ADMIN, "{\"user_ids\":[\"" + user + "\"],\"ban\":true}"));
        ok(api.put("/v1/members/" + user, Api.ADMIN));
        fixture.put("room", room);
        fixture.put("doomed", doomed);
        fixture.put("private", privateRoom);
        fixture.put("token", api.token("{\"room_name\":\"" + room + "\"}"));
        fixture.put("user", user);
        Api.Answer knock = null;
        for (String k : List.of("knock", "knock-approve", "knock-deny", "knock-withdraw")) {
            knock = ok(api.post("/v1/rooms/" + privateRoom + "/knocks", Api.JOIN, "{\"user_name\":\"Kim\"}"));
            fixture.put(k, knock.text("id"));
        }
        // a webhook that can only ever knock on a closed local port; deleted again after the test
        Api.Answer hook = ok(api.post("/v1/webhooks", Api.ADMIN, "{\"url\":\"http://127.0.0.1:9/matrix\",\"event_types\":[\"meeting-token.revoked\"]}"));
        fixture.put("webhook", hook.text("id"));
        Api.Answer doomedHook = ok(api.post("/v1/webhooks", Api.ADMIN, "{\"url\":\"http://127.0.0.1:9/doomed\",\"event_types\":[\"meeting-token.revoked\"]}"));
        fixture.put("doomed-webhook", doomedHook.text("id"));
        // the last write is in the view before any read below runs
        ok(api.call("GET", "/v1/knocks/" + knock.text("id"), Api.JOIN, null, Map.of("X-Consistency-Token", knock.consistencyToken())));
    }

    @AfterAll
    void removeWebhooks() {
        api.delete("/v1/webhooks/" + fixture.get("webhook"), Api.ADMIN);
        api.delete("/v1/webhooks/" + fixture.get("doomed-webhook"), Api.ADMIN);
    }

    List<Endpoint> endpoints() {
        List<Endpoint> e = new ArrayList<>();
        Map<String, String> sse = Map.of("Accept", "text/event-stream");
        Map<String, String> ndjson = Map.of("Accept", "application/x-ndjson");
        Map<String, String> none = Map.of();
        String room = fixture.get("room");
        // admin
        e.add(new Endpoint("POST", "/v1/rooms", () -> "/v1/rooms", "{\"name\":\"" + Api.uniqueName("matrix-new") + "\"}", none, Set.of(ADMIN)));
        e.add(new Endpoint("GET", "/v1/rooms", () -> "/v1/rooms?limit=2", null, none, Set.of(ADMIN)));
        e.add(new Endpoint("GET", "/v1/rooms/{name}", () -> "/v1/rooms/" + room, null, none, Set.of(ADMIN)));
        e.add(new Endpoint("POST", "/v1/rooms/{name}", () -> "/v1/rooms/" + room, "{\"properties\":{\"max_participants\":50}}", none, Set.of(ADMIN)));
        e.add(new Endpoint("DELETE", "/v1/rooms/{name}", () -> "/v1/rooms/" + fixture.get("doomed"), null, none, Set.of(ADMIN)));
        e.add(new Endpoint("POST", "/v1/rooms/{name}/eject", () -> "/v1/rooms/" + room + "/eject", "{\"user_ids\":[\"nobody-here\"]}", none, Set.of(ADMIN)));
        e.add(new Endpoint("DELETE", "/v1/rooms/{name}/bans/{userId}", () -> "/v1/rooms/" + room + "/bans/" + fixture.get("user"), null, none, Set.of(ADMIN)));
        e.add(new Endpoint("POST", "/v1/meeting-tokens", () -> "/v1/meeting-tokens", "{\"properties\":{\"room_name\":\"" + room + "\"}}", none, Set.of(ADMIN)));
        e.add(new Endpoint("GET", "/v1/meeting-tokens/{token}", () -> "/v1/meeting-tokens/" + fixture.get("token"), null, none, Set.of(ADMIN)));
        e.add(new Endpoint("POST", "/v1/meeting-tokens/revoke", () -> "/v1/meeting-tokens/revoke", "{\"jti\":\"" + Api.uniqueName("matrix-jti") + "\"}", none, Set.of(ADMIN)));
        e.add(new Endpoint("PUT", "/v1/members/{userId}", () -> "/v1/members/" + Api.uniqueName("matrix-member"), null, none, Set.of(ADMIN)));
        e.add(new Endpoint("DELETE", "/v1/members/{userId}", () -> "/v1/members/" + fixture.get("user"), null, none, Set.of(ADMIN)));
        e.add(new Endpoint("POST", "/v1/webhooks", () -> "/v1/webhooks", "{\"url\":\"not a url\",\"event_types\":[\"room.deleted\"]}", none, Set.of(ADMIN)));
        e.add(new Endpoint("GET", "/v1/webhooks", () -> "/v1/webhooks", null, none, Set.of(ADMIN)));
        e.add(new Endpoint("GET", "/v1/webhooks/{id}", () -> "/v1/webhooks/" + fixture.get("webhook"), null, none, Set.of(ADMIN)));
        e.add(new Endpoint("POST", "/v1/webhooks/{id}", () -> "/v1/webhooks/" + fixture.get("webhook"), "{\"state\":\"active\"}", none, Set.of(ADMIN)));
        e.add(new Endpoint("DELETE", "/v1/webhooks/{id}", () -> "/v1/webhooks/" + fixture.get("doomed-webhook"), null, none, Set.of(ADMIN)));
        e.add(new Endpoint("GET", "/v1/webhooks/{id}/deliveries", () -> "/v1/webhooks/" + fixture.get("webhook") + "/deliveries", null, none, Set.of(ADMIN)));
        // a replay of the real view would disturb the tests sharing this app: a name that is no projection proves the key got in
        e.add(new Endpoint("POST", "/v1/admin/projections/{name}/replay", () -> "/v1/admin/projections/matrix-no-such-view/replay", null, none, Set.of(ADMIN)));
        e.add(new Endpoint("GET", "/v1/admin/projections/{name}/status", () -> "/v1/admin/projections/join-eligibility/status", null, none, Set.of(ADMIN)));
        e.add(new Endpoint("GET", "/v1/admin/projections/{name}/quarantine", () -> "/v1/admin/projections/join-eligibility/quarantine", null, none, Set.of(ADMIN)));
        e.add(new Endpoint("POST", "/v1/admin/projections/{name}/quarantine/{stream}/retry",
                () -> "/v1/admin/projections/join-eligibility/quarantine/matrix-no-such-stream/retry", null, none, Set.of(ADMIN)));
        // admin and join
        e.add(new Endpoint("GET", "/v1/rooms/{name}/presence", () -> "/v1/rooms/" + room + "/presence", null, none, Set.of(ADMIN, JOIN)));
        e.add(new Endpoint("GET", "/v1/presence", () -> "/v1/presence", null, none, Set.of(ADMIN, JOIN)));
        // join
        e.add(new Endpoint("POST", "/v1/join-checks", () -> "/v1/join-checks", "{\"room_name\":\"" + room + "\"}", none, Set.of(JOIN)));
        e.add(new Endpoint("POST", "/v1/rooms/{name}/participants", () -> "/v1/rooms/" + room + "/participants", "{\"participant_id\":\"" + Api.uniqueName("p") + "\"}", none, Set.of(JOIN)));
        e.add(new Endpoint("DELETE", "/v1/rooms/{name}/participants/{participantId}", () -> "/v1/rooms/" + room + "/participants/p-leaver", null, none, Set.of(JOIN)));
        e.add(new Endpoint("POST", "/v1/rooms/{name}/knocks", () -> "/v1/rooms/" + fixture.get("private") + "/knocks", "{\"user_name\":\"Lee\"}", none, Set.of(JOIN)));
        e.add(new Endpoint("GET", "/v1/rooms/{name}/knocks", () -> "/v1/rooms/" + fixture.get("private") + "/knocks", null, none, Set.of(JOIN)));
        e.add(new Endpoint("GET", "/v1/knocks/{knockId}", () -> "/v1/knocks/" + fixture.get("knock"), null, none, Set.of(JOIN)));
        e.add(new Endpoint("GET", "/v1/knocks/{knockId}/events", () -> "/v1/knocks/" + fixture.get("knock") + "/events", null, sse, Set.of(JOIN)));
        e.add(new Endpoint("GET", "/v1/rooms/{name}/knocks/events", () -> "/v1/rooms/" + fixture.get("private") + "/knocks/events", null, sse, Set.of(JOIN)));
        e.add(new Endpoint("POST", "/v1/knocks/{knockId}/approve", () -> "/v1/knocks/" + fixture.get("knock-approve") + "/approve", "{\"by_participant_id\":\"p-owner\"}", none, Set.of(JOIN)));
        e.add(new Endpoint("POST", "/v1/knocks/{knockId}/deny", () -> "/v1/knocks/" + fixture.get("knock-deny") + "/deny", "{\"by_participant_id\":\"p-owner\"}", none, Set.of(JOIN)));
        e.add(new Endpoint("POST", "/v1/knocks/{knockId}/withdraw", () -> "/v1/knocks/" + fixture.get("knock-withdraw") + "/withdraw", null, none, Set.of(JOIN)));
        // audit
        e.add(new Endpoint("GET", "/v1/audit/events", () -> "/v1/audit/events?room_name=" + room + "&limit=5", null, none, Set.of(AUDIT)));
        e.add(new Endpoint("GET", "/v1/audit/events", () -> "/v1/audit/events?room_name=" + room + "&limit=5", null, ndjson, Set.of(AUDIT)));
        return e;
    }

    @Test
    @Order(1)
    void every_v1_mapping_of_the_application_is_in_the_matrix_and_requires_a_scope() {
        Set<String> mapped = new TreeSet<>();
        List<String> unguarded = new ArrayList<>();
        for (RequestMappingHandlerMapping mapping : context.getBeansOfType(RequestMappingHandlerMapping.class).values()) {
            for (Map.Entry<RequestMappingInfo, HandlerMethod> m : mapping.getHandlerMethods().entrySet()) {
                for (String pattern : m.getKey().getPatternValues()) {
                    if (!pattern.startsWith("/v1")) {
                        continue;
                    }
                    for (var method : m.getKey().getMethodsCondition().getMethods()) {
                        mapped.add(method.name() + " " + pattern);
                    }
                    HandlerMethod h = m.getValue();
                    if (h.getMethodAnnotation(RequiresScope.class) == null && h.getBeanType().getAnnotation(RequiresScope.class) == null) {
                        unguarded.add(h.toString());
                    }
                }
            }
        }
        Set<String> inMatrix = new TreeSet<>();
        endpoints().forEach(e -> inMatrix.add(e.method() + " " + e.template()));
        assertThat(unguarded).as("handlers under /v1 without @RequiresScope").isEmpty();
        assertThat(inMatrix).as("the matrix covers every /v1 mapping of the running app").containsExactlyInAnyOrderElementsOf(mapped);
    }

    @Test
    @Order(2)
    void every_endpoint_times_every_credential() {
        List<String> failures = new ArrayList<>();
        int cells = 0;
        int admitted2xx = 0;
        List<Endpoint> endpoints = endpoints();
        for (Endpoint e : endpoints) {
            // the refusals first (they must change nothing), the allowed keys last
            cells++;
            expectRefusal(e, null, 400, "authorization-header-error", failures);
            cells++;
            expectRefusal(e, "Bearer " + UNKNOWN_KEY, 401, "authentication-error", failures);
            for (String scope : List.of(ADMIN, JOIN, AUDIT)) {
                if (!e.scopes().contains(scope)) {
                    cells++;
                    expectRefusal(e, "Bearer " + KEYS.get(scope), 403, "forbidden-error", failures);
                }
            }
            for (String scope : List.of(ADMIN, JOIN, AUDIT)) {
                if (e.scopes().contains(scope)) {
                    cells++;
                    Http.Answer a = call(e, "Bearer " + KEYS.get(scope));
                    boolean authProblem = a.status() == 401
                            || (a.status() == 400 && "authorization-header-error".equals(a.text("error")))
                            || (a.status() == 403 && a.text("info") != null && a.text("info").contains("scope"));
                    if (a.status() >= 500 || authProblem) {
                        failures.add(e + " with the " + scope + " key: " + a.status() + " " + a.raw());
                    } else if (a.status() < 300) {
                        admitted2xx++;
                    } else if (a.notDailyError() != null) {
                        failures.add(e + " with the " + scope + " key: not Daily's shape (" + a.notDailyError() + "): " + a.status() + " " + a.raw());
                    }
                }
            }
        }
        Summary.line("security-matrix", endpoints.size() + " endpoints x 5 credentials = " + cells + " cells, "
                + failures.size() + " unexpected, " + admitted2xx + " allowed calls answered 2xx, 0 events appended by refusals");
        assertThat(failures).isEmpty();
    }

    @Test
    @Order(3)
    void malformed_authorization_headers_are_refused_everywhere() {
        List<String> failures = new ArrayList<>();
        List<String> headers = List.of("Basic " + java.util.Base64.getEncoder().encodeToString((Api.ADMIN + ":").getBytes(StandardCharsets.UTF_8)),
                "Bearer", "Bearer ", "Bearer  ", Api.ADMIN, "Token " + Api.ADMIN, "Bearer" + Api.ADMIN, "Digest x=y");
        for (Endpoint e : endpoints()) {
            for (String h : headers) {
                expectRefusal(e, h, 400, "authorization-header-error", failures);
            }
            // near misses of a real key
            expectRefusal(e, "Bearer " + Api.ADMIN.substring(0, Api.ADMIN.length() - 1), 401, "authentication-error", failures);
            expectRefusal(e, "Bearer " + Api.ADMIN + "x", 401, "authentication-error", failures);
            expectRefusal(e, "Bearer " + Api.ADMIN.toUpperCase(), 401, "authentication-error", failures);
            expectRefusal(e, "Bearer " + Api.ADMIN + "," + Api.JOIN, 401, "authentication-error", failures);
        }
        assertThat(failures).isEmpty();
    }

    @Test
    @Order(4)
    void the_unauthenticated_surface_shows_no_configuration_and_no_secret() {
        // what would leak keys or internals is not exposed at all
        for (String path : List.of("/actuator/env", "/actuator/configprops", "/actuator/heapdump", "/actuator/beans",
                "/actuator/mappings", "/actuator/loggers", "/actuator/threaddump", "/actuator/shutdown",
                "/actuator/scheduledtasks", "/actuator/logfile", "/actuator/conditions", "/actuator/httpexchanges")) {
            Http.Answer a = http.send("GET", path, Map.of(), null);
            assertThat(a.status()).as(path).isIn(404, 405);
        }
        Http.Answer shutdown = http.send("POST", "/actuator/shutdown", Map.of(), null);
        assertThat(shutdown.status()).isIn(404, 405);
        // metrics answer an admin or audit key only (issue 19)
        for (String path : List.of("/actuator/metrics", "/actuator/prometheus", "/actuator/metrics/jvm.memory.used")) {
            Http.Answer a = http.send("GET", path, Map.of(), null);
            assertThat(a.status()).as(path + ": " + a.raw()).isEqualTo(400);
            assertThat(a.raw()).contains("authorization-header-error");
        }
        // what is exposed holds no key
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/info", "/v3/api-docs")) {
            Http.Answer a = http.send("GET", path, Map.of(), null);
            // health may be DOWN (503) for reasons of its own (another test's broken projection): only its content matters here
            assertThat(a.status()).as(path + ": " + a.raw()).isIn(200, path.equals("/actuator/health") ? 503 : 200);
            for (String secret : SecretScan.configuredSecrets(context.getEnvironment())) {
                assertThat(a.raw()).as(path + " holds a configured secret").doesNotContain(secret);
            }
        }
    }

    private void expectRefusal(Endpoint e, String authorization, int status, String type, List<String> failures) {
        long before = api.eventCount();
        Http.Answer a = call(e, authorization);
        String what = e + " with Authorization " + (authorization == null ? "(none)" : "'" + authorization.replace(Api.ADMIN, "<admin key>")
                .replace(Api.JOIN, "<join key>").replace(Api.AUDIT, "<audit key>") + "'");
        if (a.status() != status || !type.equals(a.text("error")) || a.notDailyError() != null) {
            failures.add(what + ": expected " + status + " " + type + ", got " + a.status() + " " + a.raw());
        }
        long after = api.eventCount();
        if (after != before) {
            failures.add(what + ": appended " + (after - before) + " events");
        }
    }

    private Http.Answer call(Endpoint e, String authorization) {
        Map<String, String> headers = new LinkedHashMap<>(e.headers());
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        if (e.body() != null) {
            headers.put("Content-Type", "application/json");
        }
        return http.send(e.method(), e.path().get(), headers, e.body() == null ? null : e.body().getBytes(StandardCharsets.UTF_8),
                java.time.Duration.ofSeconds(20));
    }

    private static Api.Answer ok(Api.Answer a) {
        assertThat(a.status()).as(a.raw()).isEqualTo(200);
        return a;
    }
}
