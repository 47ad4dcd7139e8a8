package io.roomgate.app.admin;

import io.roomgate.app.WithEmbeddedApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 17, a typed edge: every endpoint's answer (and request body, where it takes one) is a
 * named schema with properties in {@code /v3/api-docs}, not a bare "object"; only the streams
 * (the knock feeds' Server-Sent Events) are not JSON documents. Spring's {@code /error} is not in
 * the document.
 */
@RoomgateTest
class OpenApiShapesIT extends WithEmbeddedApp {

    /** Streams, not JSON documents: the knock feeds' Server-Sent Events (the audit export is the NDJSON form of GET /v1/audit/events). */
    private static final Set<String> STREAMS = Set.of("GET /v1/knocks/{knockId}/events", "GET /v1/rooms/{name}/knocks/events");

    @Test
    void every_answer_and_request_body_is_a_named_schema() {
        JsonNode docs = api.get("/v3/api-docs", null).body();
        JsonNode schemas = docs.at("/components/schemas");
        List<String> untyped = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : iterable(docs.get("paths"))) {
            for (Map.Entry<String, JsonNode> op : iterable(path.getValue())) {
                String endpoint = op.getKey().toUpperCase() + " " + path.getKey();
                seen.add(endpoint);
                if (STREAMS.contains(endpoint)) {
                    continue;
                }
                JsonNode ok = op.getValue().at("/responses/200");
                if (ok.isMissingNode()) {
                    ok = op.getValue().at("/responses/202");
                }
                if (!named(ok.at("/content"), schemas)) {
                    untyped.add(endpoint + " answer");
                }
                JsonNode body = op.getValue().at("/requestBody/content");
                if (!body.isMissingNode() && !named(body, schemas)) {
                    untyped.add(endpoint + " request");
                }
            }
        }
        assertThat(seen).as("the streams named here exist").containsAll(STREAMS);
        assertThat(seen).as("Spring's /error is no endpoint of roomgate's").noneMatch(e -> e.endsWith(" /error"));
        assertThat(untyped).as("answers and request bodies without a named schema").isEmpty();
        assertThat(seen.size() - STREAMS.size()).as("typed endpoints").isGreaterThanOrEqualTo(30);
    }

    /** A content map whose (first) media type's schema is a $ref to a component with properties, a list of them, or a map of lists of them. */
    private static boolean named(JsonNode content, JsonNode schemas) {
        if (content.isMissingNode() || !content.fields().hasNext()) {
            return false;
        }
        JsonNode media = content.has("application/json") ? content.get("application/json") : content.fields().next().getValue();
        JsonNode schema = media.get("schema");
        while (schema != null && (schema.has("items") || schema.has("additionalProperties"))) {
            schema = schema.has("items") ? schema.get("items") : schema.get("additionalProperties");
        }
        if (schema == null || !schema.has("$ref")) {
            return false;
        }
        String name = schema.get("$ref").asText().replace("#/components/schemas/", "");
        JsonNode component = schemas.get(name);
        return component != null && component.has("properties") && component.get("properties").size() > 0;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        return node::fields;
    }
}
