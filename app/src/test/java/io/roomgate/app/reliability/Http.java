package io.roomgate.app.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A raw HTTP client for the reliability and security tests: any method, path, header and body
 * bytes (nothing is fixed up), to 127.0.0.1 only. Streams ({@code text/event-stream}) are read
 * only as far as their status, then closed.
 */
public final class Http {

    public static final Set<String> DAILY_ERROR_TYPES = Set.of("invalid-request-error", "json-parsing-error",
            "authorization-header-error", "authentication-error", "forbidden-error", "not-found", "conflict",
            "rate-limit-error", "consistency-timeout", "server-error");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String base;
    private final HttpClient client;

    public Http(int port) {
        this.base = "http://127.0.0.1:" + port;
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public record Answer(int status, String raw, JsonNode json, Map<String, List<String>> headers) {
        public String text(String field) {
            return json == null || json.get(field) == null ? null : json.get(field).asText();
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** Why this is not Daily's error shape ({@code {"error": <known type>, "info": <text>}}), or null if it is. */
        public String notDailyError() {
            if (json == null || !json.isObject()) {
                return "not a JSON object";
            }
            List<String> fields = new ArrayList<>();
            for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
                fields.add(it.next());
            }
            if (fields.size() != 2 || !fields.containsAll(List.of("error", "info"))) {
                return "fields " + fields;
            }
            if (!json.get("error").isTextual() || !DAILY_ERROR_TYPES.contains(json.get("error").asText())) {
                return "error type " + json.get("error");
            }
            if (!json.get("info").isTextual() || json.get("info").asText().isBlank()) {
                return "info " + json.get("info");
            }
            return null;
        }
    }

    public Answer send(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        return send(method, pathAndQuery, headers, body, Duration.ofSeconds(30));
    }

    public Answer send(String method, String pathAndQuery, Map<String, String> headers, byte[] body, Duration timeout) {
        URI uri;
        try {
            uri = URI.create(base + pathAndQuery);
        } catch (IllegalArgumentException notAUri) {
            // what java.net.http refuses to send (a malformed escape such as %ZZ) goes over a plain socket
            return sendRaw(method, pathAndQuery, headers, body, timeout);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        try {
            headers.forEach(b::header);
        } catch (IllegalArgumentException refusedHeader) {
            return sendRaw(method, pathAndQuery, headers, body, timeout);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            String contentType = r.headers().firstValue("Content-Type").orElse("");
            String raw;
            try (InputStream in = r.body()) {
                raw = contentType.startsWith("text/event-stream") ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            JsonNode json = null;
            try {
                json = raw.isEmpty() ? null : JSON.readTree(raw);
            } catch (IOException notJson) {
                // raw tells
            }
            return new Answer(r.statusCode(), raw, json, r.headers().map());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** HTTP/1.1 by hand: the request line exactly as given, {@code Connection: close}, the answer read to its end. */
    public Answer sendRaw(String method, String pathAndQuery, Map<String, String> headers, byte[] body, Duration timeout) {
        URI b = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(b.getHost(), b.getPort())) {
            socket.setSoTimeout((int) timeout.toMillis());
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            StringBuilder head = new StringBuilder(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(b.getHost()).append(':').append(b.getPort()).append("\r\nConnection: close\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (body != null) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            socket.getOutputStream().write(out.toByteArray());
            socket.getOutputStream().flush();
            byte[] all = socket.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int end = text.indexOf("\r\n\r\n");
            String[] lines = (end < 0 ? text : text.substring(0, end)).split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    h.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>()).add(lines[i].substring(colon + 1).trim());
                }
            }
            byte[] rest = end < 0 ? new byte[0] : java.util.Arrays.copyOfRange(all, end + 4, all.length);
            if (h.getOrDefault("Transfer-Encoding", List.of()).stream().anyMatch(v -> v.equalsIgnoreCase("chunked"))) {
                rest = dechunk(rest);
            }
            String raw = new String(rest, StandardCharsets.UTF_8);
            JsonNode json = null;
            try {
                json = raw.isEmpty() ? null : JSON.readTree(raw);
            } catch (IOException notJson) {
                // raw tells
            }
            return new Answer(status, raw, json, h);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + pathAndQuery + " (raw): " + e, e);
        }
    }

    private static byte[] dechunk(byte[] chunked) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i < chunked.length) {
            int lineEnd = i;
            while (lineEnd + 1 < chunked.length && !(chunked[lineEnd] == '\r' && chunked[lineEnd + 1] == '\n')) {
                lineEnd++;
            }
            String size = new String(chunked, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
            if (n == 0) {
                break;
            }
            out.write(chunked, lineEnd + 2, Math.min(n, chunked.length - lineEnd - 2));
            i = lineEnd + 2 + n + 2;
        }
        return out.toByteArray();
    }

    public Answer send(String method, String pathAndQuery, String key, String jsonBody) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        if (key != null) {
            headers.put("Authorization", "Bearer " + key);
        }
        if (jsonBody != null) {
            headers.put("Content-Type", "application/json");
        }
        return send(method, pathAndQuery, headers, jsonBody == null ? null : jsonBody.getBytes(StandardCharsets.UTF_8));
    }

    public static String quoted(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
