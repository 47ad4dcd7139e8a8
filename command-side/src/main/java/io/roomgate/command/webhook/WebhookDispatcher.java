package io.roomgate.command.webhook;

import io.roomgate.command.webhook.WebhookStore.Attempt;
import io.roomgate.command.webhook.WebhookStore.Delivery;
import io.roomgate.command.webhook.WebhookStore.Webhook;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Sends queued notifications: oldest first per webhook and room, signed
 * ({@code X-Roomgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}),
 * with the delivery id in {@code X-Roomgate-Delivery} for deduplication. A failure is retried
 * with exponential backoff kept in the database, so restarts lose nothing; after
 * {@code maxAttempts} the delivery is given up and the webhook shows why. Runs on its own threads:
 * receivers never hold up commands or join checks.
 */
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final String SIGNATURE = "X-Roomgate-Signature";
    static final String DELIVERY = "X-Roomgate-Delivery";

    private final WebhookStore store;
    private final WebhookUrls urls;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration timeout;
    private final HttpClient http;
    private ScheduledExecutorService timer;
    private ExecutorService senders;

    public WebhookDispatcher(WebhookStore store, WebhookUrls urls, Clock clock, int maxAttempts, Duration firstBackoff, Duration timeout) {
        this.store = store;
        this.urls = urls;
        this.clock = clock;
        this.maxAttempts = maxAttempts;
        this.firstBackoff = firstBackoff;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public void start() {
        senders = Executors.newFixedThreadPool(4, r -> daemon(r, "webhook-sender"));
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "webhook-dispatch"));
        timer.scheduleWithFixedDelay(this::dispatchQuietly, 200, 200, TimeUnit.MILLISECONDS);
    }

    public void stop() {
        if (timer != null) timer.shutdownNow();
        if (senders != null) senders.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void dispatchQuietly() {
        try {
            Instant now = clock.instant();
            for (Delivery d : store.due(now, 50)) {
                if (store.claim(d.id(), now, now.plus(timeout.multipliedBy(3)))) {
                    senders.execute(() -> sendQuietly(d));
                }
            }
        } catch (RuntimeException e) {
            log.warn("webhook dispatch round failed: {}", e.getClass().getSimpleName());
        }
    }

    private void sendQuietly(Delivery d) {
        try {
            send(d);
        } catch (RuntimeException e) {
            log.warn("webhook delivery {} could not be recorded: {}", d.id(), e.getClass().getSimpleName());
        }
    }

    void send(Delivery d) {
        Webhook webhook = store.find(d.webhookId()).orElse(null);
        if (webhook == null) {
            return;
        }
        Instant started = clock.instant();
        Integer status = null;
        String error = null;
        try {
            URI target = urls.validate(webhook.url());
            long t = started.getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header(DELIVERY, d.id())
                    .header(SIGNATURE, "t=" + t + ",v1=" + sign(webhook.secret(), t, d.body()))
                    .POST(HttpRequest.BodyPublishers.ofString(d.body()))
                    .build();
            status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + truncate(e.getMessage()));
        }
        int latency = (int) Duration.between(started, clock.instant()).toMillis();
        Attempt attempt = new Attempt(d.id(), started, status, latency, error);
        if (status != null && status >= 200 && status < 300) {
            store.delivered(d, attempt);
            return;
        }
        int attempts = d.attempts() + 1;
        boolean giveUp = attempts >= maxAttempts;
        Duration backoff = firstBackoff.multipliedBy(1L << Math.min(attempts - 1, 16));
        store.failed(d, attempt, started.plus(backoff), giveUp, maxAttempts);
        log.info("webhook {} delivery {} failed (attempt {}): {}", d.webhookId(), d.id(), attempts,
                error != null ? error : "HTTP " + status);
    }

    static String sign(String secret, long timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
        }
    }

    private static String truncate(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
