package io.roomgate.app.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver on loopback that records what it is sent and can fail on purpose: answer
 * 503 to the next N requests, or hold the next request open (no answer) until released.
 */
final class Receiver implements AutoCloseable {

    record Received(String deliveryId, String signature, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** {@code X-Roomgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>} checks out. */
        boolean signedWith(String secret) throws GeneralSecurityException {
            String[] parts = signature.split(",");
            String t = parts[0].substring(2);
            String v1 = parts[1].substring(3);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8))).equals(v1);
        }
    }

    /** Every request that reached the receiver, answered or not: the delivery id and what it answered (0: held). */
    record Attempt(String deliveryId, int status) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicBoolean holdNext = new AtomicBoolean();
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);

    Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String deliveryId = exchange.getRequestHeaders().getFirst("X-Roomgate-Delivery");
            int status;
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = 503;
            } else if (holdNext.compareAndSet(true, false)) {
                attempts.add(new Attempt(deliveryId, 0));
                holding.countDown();
                awaitQuietly(released);
                exchange.close(); // no answer at all: the sender was cut off meanwhile
                return;
            } else {
                received.add(new Received(deliveryId, exchange.getRequestHeaders().getFirst("X-Roomgate-Signature"),
                        new String(body, StandardCharsets.UTF_8)));
                status = 204;
            }
            attempts.add(new Attempt(deliveryId, status));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.setExecutor(handlers); // a held request must not stop the others
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    void failNext(int n) {
        failuresLeft.set(n);
    }

    /** The first request after the failures is held open, unanswered, until {@link #release()}. */
    void holdNextRequest() {
        holdNext.set(true);
    }

    boolean awaitHolding(Duration limit) throws InterruptedException {
        return holding.await(limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    void release() {
        released.countDown();
    }

    List<Received> received() {
        return received;
    }

    List<Attempt> attempts() {
        return attempts;
    }

    /** What a receiver that deduplicates on the delivery id keeps of one room: the first body per id, in arrival order. */
    Map<String, JsonNode> distinct(String room) {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (Received r : received) {
            JsonNode body = r.json();
            if (room.equals(body.at("/payload/room").asText())) {
                byId.putIfAbsent(r.deliveryId(), body);
            }
        }
        return byId;
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        handlers.shutdownNow();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
