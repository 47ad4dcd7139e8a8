package io.roomgate.bench.tools;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON-over-HTTP client for 127.0.0.1 only. */
final class Http {
    static final String ADMIN = "demo-admin-key";
    static final String JOIN = "demo-join-key";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final Duration timeout;

    Http(int port) {
        this(port, Duration.ofSeconds(60));
    }

    Http(int port, Duration timeout) {
        this.base = "http://127.0.0.1:" + port;
        this.timeout = timeout;
    }

    /**
     * {@code consistency}: null (no header: roomgate's default, full consistency),
     * {@code "minimize-latency"} (sent as {@code X-Consistency}), or a write's consistency token.
     */
    HttpResponse<String> send(String method, String path, String key, String body, String consistency) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Authorization", "Bearer " + key);
        if ("minimize-latency".equals(consistency)) {
            b.header("X-Consistency", consistency);
        } else if (consistency != null) {
            b.header("X-Consistency-Token", consistency);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> ok(String method, String path, String key, String body) {
        HttpResponse<String> r = send(method, path, key, body, null);
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    /** The value of a flat JSON string field, without a JSON library. */
    static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int i = json.indexOf(key);
        if (i < 0) {
            return null;
        }
        int start = i + key.length();
        return json.substring(start, json.indexOf('"', start));
    }
}
