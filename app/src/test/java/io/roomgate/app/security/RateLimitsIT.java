package io.roomgate.app.security;

import io.roomgate.app.RoomgateTestWith;
import io.roomgate.app.WithEmbeddedApp;
import io.roomgate.app.Api;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16, row 12: there were no rate limits at all (20,000 wrong keys at ~1,250 a second, all
 * 401). Now Daily's documented limits hold per API key (20 a second with bursts of 100 for most
 * endpoints, 2 a second with bursts of 50 for room deletes), the join API has a budget of its
 * own, and failed authentication is limited per client address; a request over a limit is a 429
 * {@code rate-limit-error} in Daily's shape with {@code Retry-After}, and changes nothing. Its own
 * application with the defaults (the other tests run with limits they never reach).
 */
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-rate-limits;DB_CLOSE_DELAY=-1",
        "roomgate.rate-limits.api.per-second=20", "roomgate.rate-limits.api.burst=100",
        "roomgate.rate-limits.room-delete.per-second=2", "roomgate.rate-limits.room-delete.burst=50",
        "roomgate.rate-limits.join.per-second=20000", "roomgate.rate-limits.join.burst=40000",
        "roomgate.rate-limits.failed-authentication.per-second=1", "roomgate.rate-limits.failed-authentication.burst=20"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RateLimitsIT extends WithEmbeddedApp {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    @Order(1)
    void an_admin_key_past_dailys_limit_gets_429_with_retry_after_and_changes_nothing_while_a_join_key_goes_on() throws Exception {
        List<HttpResponse<String>> answers = burst(200, i -> request("GET", "/v1/rooms?limit=1", Api.ADMIN, null));
        long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
        List<HttpResponse<String>> limited = answers.stream().filter(r -> r.statusCode() == 429).toList();
        assertThat(ok).as("the burst of 100, and what refilled meanwhile").isGreaterThanOrEqualTo(100);
        assertThat(ok + limited.size()).isEqualTo(200);
        assertThat(limited).as("requests past the burst").isNotEmpty();
        HttpResponse<String> refused = limited.get(0);
        assertThat(refused.body()).contains("\"error\":\"rate-limit-error\"");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 5L);

        // a write refused by the limit appends nothing
        long before = api.eventCount();
        HttpResponse<String> create = HTTP.send(request("POST", "/v1/rooms", Api.ADMIN, "{\"name\":\"" + Api.uniqueName("limited") + "\"}"),
                HttpResponse.BodyHandlers.ofString());
        if (create.statusCode() == 429) {
            assertThat(api.eventCount()).isEqualTo(before);
        }

        // the join key has a budget of its own: join checks go on while the admin key waits
        List<HttpResponse<String>> checks = burst(300, i -> request("POST", "/v1/join-checks", Api.JOIN, "{\"room_name\":\"nowhere\"}"));
        assertThat(checks).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(200));

        Thread.sleep(1_500); // the admin key's budget refills
        assertThat(HTTP.send(request("GET", "/v1/rooms?limit=1", Api.ADMIN, null), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    @Test
    @Order(2)
    void room_deletes_have_dailys_lower_limit() throws Exception {
        Thread.sleep(5_000); // the admin key's budget is full again
        List<HttpResponse<String>> answers = burst(80, i -> request("DELETE", "/v1/rooms/" + Api.uniqueName("gone"), Api.ADMIN, null));
        long limited = answers.stream().filter(r -> r.statusCode() == 429).count();
        assertThat(answers.stream().filter(r -> r.statusCode() == 404).count()).as("the burst of 50").isGreaterThanOrEqualTo(50);
        assertThat(limited).as("deletes past 50 at once").isGreaterThan(0);
        // other endpoints of the same key still have their own budget
        assertThat(HTTP.send(request("GET", "/v1/rooms?limit=1", Api.ADMIN, null), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    @Test
    @Order(3)
    void failed_authentication_is_limited_per_client_address() throws Exception {
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            statuses.add(HTTP.send(request("GET", "/v1/rooms", "wrong-key-" + i, null), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        assertThat(statuses.subList(0, 20)).as("the first 20 failures are answered as usual").containsOnly(401);
        assertThat(statuses.subList(20, 40)).as("then the address is limited").contains(429);
        // while it is, even a valid key from that address waits: guessing gains nothing
        HttpResponse<String> locked = HTTP.send(request("GET", "/v1/rooms?limit=1", Api.ADMIN, null), HttpResponse.BodyHandlers.ofString());
        assertThat(locked.statusCode()).isEqualTo(429);
        assertThat(locked.headers().firstValue("Retry-After")).isPresent();
        Thread.sleep(2_500);
        assertThat(HTTP.send(request("GET", "/v1/rooms?limit=1", Api.ADMIN, null), HttpResponse.BodyHandlers.ofString()).statusCode())
                .isEqualTo(200);
    }

    private HttpRequest request(String method, String path, String key, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + key);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        return b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private static List<HttpResponse<String>> burst(int n, IntFunction<HttpRequest> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                HttpRequest r = request.apply(i);
                sent.add(pool.submit(() -> HTTP.send(r, HttpResponse.BodyHandlers.ofString())));
            }
            List<HttpResponse<String>> answers = new ArrayList<>();
            for (Future<HttpResponse<String>> f : sent) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
