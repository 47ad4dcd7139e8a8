package io.roomgate.app.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.Api;
import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** What the admin API tests share: Daily's error body, "nothing appended", and small builders. */
final class AdminApiSupport {

    /** The limit of {@code EdgeConfiguration.MAX_BODY_BYTES}: 64 KiB. */
    static final int BODY_LIMIT = 64 * 1024;

    private AdminApiSupport() {
    }

    /**
     * Runs a request that must be refused: the status, Daily's error body with exactly
     * {@code error} and {@code info}, and no new event in the store.
     */
    static Api.Answer refused(Api api, int status, String type, Supplier<Api.Answer> request) {
        long before = api.eventCount();
        Api.Answer answer = request.get();
        assertDailyError(answer, status, type);
        assertThat(api.eventCount()).as("a refused request appends nothing: " + answer.raw()).isEqualTo(before);
        return answer;
    }

    static void assertDailyError(Api.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.body()).as("a JSON error body: " + answer.raw()).isNotNull();
        List<String> fields = new ArrayList<>();
        answer.body().fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as(answer.raw()).containsExactlyInAnyOrder("error", "info");
        assertThat(answer.text("error")).as(answer.raw()).isEqualTo(type);
        assertThat(answer.body().get("info").isTextual()).isTrue();
        assertThat(answer.text("info")).as(answer.raw()).isNotBlank().doesNotContain("Exception").doesNotContain("\tat ");
    }

    /** A successful write: 200 and an {@code X-Consistency-Token}. */
    static Api.Answer written(Api.Answer answer) {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(200);
        assertThat(answer.consistencyToken()).as("X-Consistency-Token on a successful write").isNotBlank();
        return answer;
    }

    static long inOneHour() {
        return Instant.now().getEpochSecond() + 3600;
    }

    static String text(JsonNode node, String field) {
        return node.get(field) == null ? null : node.get(field).asText();
    }

    /** A JSON string literal. */
    static String quoted(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    /** A syntactically valid JSON object just over the body limit. */
    static String oversized(String field) {
        return "{" + quoted(field) + ":" + quoted("x".repeat(BODY_LIMIT + 16)) + "}";
    }

    static Map<String, String> consistency(Api.Answer write) {
        return write.consistencyToken() == null ? Map.of() : Map.of("X-Consistency-Token", write.consistencyToken());
    }
}
