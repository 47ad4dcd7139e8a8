package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.roomgate.app.admin.AdminApiSupport.quoted;
import static io.roomgate.app.admin.AdminApiSupport.refused;
import static io.roomgate.app.admin.AdminApiSupport.written;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Daily's answers for credentials on every admin endpoint: no Authorization header is a 400
 * {@code authorization-header-error}, an unknown key a 401 {@code authentication-error}, a key
 * without the scope a 403 {@code forbidden-error}; none of them appends anything. The room,
 * token and user addressed all exist, so only the credential can be what is refused.
 */
@RoomgateTest
class AdminAuthIT extends WithEmbeddedApp {

    static String room;
    static String token;
    static String bannedUser;

    @BeforeEach
    void setUp() {
        if (room == null) {
            room = Api.uniqueName("auth");
            written(api.createRoom("{\"name\":" + quoted(room) + "}"));
            token = api.token("{\"room_name\":" + quoted(room) + "}");
            bannedUser = Api.uniqueName("banned");
            Api.Answer banned = written(api.post("/v1/rooms/" + room + "/eject", Api.ADMIN,
                    "{\"user_ids\":[" + quoted(bannedUser) + "],\"ban\":true}"));
            // wait until the view holds the room, its ban included
            assertThat(api.call("GET", "/v1/rooms/" + room, Api.ADMIN, null, AdminApiSupport.consistency(banned)).status()).isEqualTo(200);
            written(api.put("/v1/members/" + bannedUser, Api.ADMIN));
        }
    }

    /** method, path, body, and the keys that may call it besides admin. */
    record Endpoint(String method, String path, String body, List<String> alsoAllowed) {
        @Override
        public String toString() {
            return method + " " + path.replaceAll("eyJ[^/]+", "<token>");
        }
    }

    static Stream<Endpoint> endpoints() {
        // lazily: the room exists only once setUp ran, so paths are made with placeholders
        return Stream.of(
                new Endpoint("POST", "/v1/rooms", "{\"name\":\"auth-never-created\"}", List.of()),
                new Endpoint("GET", "/v1/rooms", null, List.of()),
                new Endpoint("GET", "/v1/rooms/{room}", null, List.of()),
                new Endpoint("POST", "/v1/rooms/{room}", "{\"privacy\":\"private\"}", List.of()),
                new Endpoint("DELETE", "/v1/rooms/{room}", null, List.of()),
                new Endpoint("POST", "/v1/meeting-tokens", "{\"properties\":{\"room_name\":\"auth-x\"}}", List.of()),
                new Endpoint("GET", "/v1/meeting-tokens/{token}", null, List.of()),
                new Endpoint("POST", "/v1/meeting-tokens/revoke", "{\"jti\":\"auth-never-revoked\"}", List.of()),
                new Endpoint("PUT", "/v1/members/auth-never-added", null, List.of()),
                new Endpoint("DELETE", "/v1/members/{user}", null, List.of()),
                new Endpoint("GET", "/v1/rooms/{room}/presence", null, List.of(Api.JOIN)),
                new Endpoint("POST", "/v1/rooms/{room}/eject", "{\"user_ids\":[\"someone\"],\"ban\":true}", List.of()),
                new Endpoint("DELETE", "/v1/rooms/{room}/bans/{user}", null, List.of()));
    }

    private Api.Answer call(Endpoint e, String authorization) {
        String path = e.path().replace("{room}", room).replace("{token}", token).replace("{user}", bannedUser);
        Map<String, String> headers = authorization == null ? Map.of() : Map.of("Authorization", authorization);
        return api.call(e.method(), path, null, e.body(), headers);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void no_authorization_header_is_a_400(Endpoint e) {
        refused(api, 400, "authorization-header-error", () -> call(e, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void an_authorization_header_that_is_not_a_bearer_key_is_a_400(Endpoint e) {
        refused(api, 400, "authorization-header-error", () -> call(e, "Basic " + java.util.Base64.getEncoder()
                .encodeToString((Api.ADMIN + ":").getBytes())));
        refused(api, 400, "authorization-header-error", () -> call(e, "Bearer "));
        refused(api, 400, "authorization-header-error", () -> call(e, Api.ADMIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void an_unknown_key_is_a_401(Endpoint e) {
        refused(api, 401, "authentication-error", () -> call(e, "Bearer not-a-key-of-this-service"));
        // a near miss: the admin key with one character changed, or with a suffix
        refused(api, 401, "authentication-error", () -> call(e, "Bearer " + Api.ADMIN.substring(0, Api.ADMIN.length() - 1) + "X"));
        refused(api, 401, "authentication-error", () -> call(e, "Bearer " + Api.ADMIN + "0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void a_key_without_the_admin_scope_is_a_403(Endpoint e) {
        for (String key : List.of(Api.JOIN, Api.AUDIT)) {
            if (e.alsoAllowed().contains(key)) {
                continue;
            }
            refused(api, 403, "forbidden-error", () -> call(e, "Bearer " + key));
        }
    }

    @Test
    void presence_answers_the_join_key_too() {
        Api.Answer a = api.get("/v1/rooms/" + room + "/presence", Api.JOIN);
        assertThat(a.status()).isEqualTo(200);
    }

    @Test
    void the_bearer_scheme_is_case_insensitive_and_the_answer_names_the_request() {
        Api.Answer a = api.call("GET", "/v1/rooms/" + room, null, null, Map.of("Authorization", "bearer " + Api.ADMIN));
        assertThat(a.status()).isEqualTo(200);
    }
}
