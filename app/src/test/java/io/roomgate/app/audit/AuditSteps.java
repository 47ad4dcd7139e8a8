package io.roomgate.app.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.app.Api;
import io.roomgate.app.Api.Answer;
import io.roomgate.app.Waiting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP steps of the audit tests: writes that name their request id, and audit reads. */
final class AuditSteps {

    static final ObjectMapper JSON = new ObjectMapper();

    final Api api;

    AuditSteps(Api api) {
        this.api = api;
    }

    /** A write with an {@code X-Request-Id} of our own; asserts 200. */
    Answer write(String method, String path, String key, String body, String requestId) {
        Answer a = api.call(method, path, key, body, Map.of("X-Request-Id", requestId));
        assertThat(a.status()).as("%s %s: %s", method, path, a.raw()).isEqualTo(200);
        return a;
    }

    static String requestId() {
        return "req-" + UUID.randomUUID();
    }

    /** One page of the audit log as JSON. */
    Answer page(String query) {
        return api.get("/v1/audit/events" + (query.isEmpty() ? "" : "?" + query), Api.AUDIT);
    }

    /** Every entry the query selects, paging with {@code next}. */
    List<JsonNode> all(String query, int limit) {
        List<JsonNode> entries = new ArrayList<>();
        String after = null;
        for (int pages = 0; pages < 100_000; pages++) {
            Answer a = page(query + (query.isEmpty() ? "" : "&") + "limit=" + limit + (after == null ? "" : "&after=" + after));
            assertThat(a.status()).as(a.raw()).isEqualTo(200);
            a.body().get("data").forEach(entries::add);
            assertThat(a.body().get("data").size()).isLessThanOrEqualTo(limit);
            JsonNode next = a.body().get("next");
            assertThat(a.body().has("next")).isTrue();
            if (next.isNull()) {
                return entries;
            }
            assertThat(a.body().get("data").size()).as("a page with a next is full").isEqualTo(limit);
            assertThat(next.asLong()).isEqualTo(entries.get(entries.size() - 1).get("position").asLong());
            after = next.asText();
        }
        throw new AssertionError("paging did not end");
    }

    /** The NDJSON export's raw answer. */
    Answer export(String query) {
        return api.call("GET", "/v1/audit/events" + (query.isEmpty() ? "" : "?" + query), Api.AUDIT, null,
                Map.of("Accept", "application/x-ndjson"));
    }

    static List<JsonNode> lines(String ndjson) {
        List<JsonNode> entries = new ArrayList<>();
        if (ndjson.isEmpty()) {
            return entries;
        }
        assertThat(ndjson).as("JSON Lines end with a newline").endsWith("\n");
        for (String line : ndjson.split("\n", -1)) {
            if (line.isEmpty()) {
                continue;
            }
            try {
                entries.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }
        return entries;
    }

    static List<String> types(List<JsonNode> entries) {
        return entries.stream().map(e -> e.get("type").asText()).toList();
    }

    /** An instant strictly between the writes around it. */
    static Instant pause() {
        Waiting.sleep(Duration.ofMillis(60));
        Instant at = Instant.now();
        Waiting.sleep(Duration.ofMillis(60));
        return at;
    }


}
