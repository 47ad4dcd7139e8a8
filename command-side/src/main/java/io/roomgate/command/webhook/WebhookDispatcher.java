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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends queued notifications: oldest first per webhook and room, signed
 * ({@code X-Roomgate-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}),
 * with the delivery id in {@code X-Roomgate-Delivery} for deduplication. A failure is retried
 * with exponential backoff kept in the database, so restarts lose nothing; after
 * {@code maxAttempts} the delivery is given up and the webhook shows why. Runs on its own threads:
 * receivers never hold up commands or join checks. Stopping cuts off the requests in flight: those
 * attempts are not held against the receiver, and what this node had claimed is due again at
 * once (a node that dies instead leaves its claims to run out, 3 x the timeout).
 */
public class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    static final String SIGNATURE = "X-Roomgate-Signature";
    static final String DELIVERY = "X-Roomgate-Delivery";
    private static final int SENDERS = 4;

    private final WebhookStore store;
    private final WebhookUrls urls;
    private final Clock clock;
    private final int maxAttempts;
    private final Duration firstBackoff;
    private final Duration timeout;
    private final HttpClient http;
    private final Set<String> claimed = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<?>> inFlight = new ConcurrentHashMap<>();
    private final AtomicBoolean roundAsked = new AtomicBoolean();
    private volatile boolean stopping;
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

    /** Deliveries by outcome, with their latency (issue 19). */
    private volatile io.micrometer.core.instrument.MeterRegistry meters;

    public WebhookDispatcher meteredBy(io.micrometer.core.instrument.MeterRegistry registry) {
        this.meters = registry;
        return this;
    }

    private void count(String outcome, int latencyMs) {
        io.micrometer.core.instrument.MeterRegistry registry = meters;
        if (registry != null) {
            registry.timer("roomgate.webhook.deliveries", "outcome", outcome)
                    .record(latencyMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    public void start() {
        senders = Executors.newFixedThreadPool(SENDERS, r -> daemon(r, "webhook-sender"));
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "webhook-dispatch"));
        timer.scheduleWithFixedDelay(this::dispatchQuietly, 200, 200, TimeUnit.MILLISECONDS);
    }

    /**
     * Cuts off the requests in flight without interrupting a thread (an interrupt inside H2's file
     * I/O closes the database), lets the threads finish, and gives back what this node claimed
     * and did not record.
     */
    public void stop() {
        stopping = true;
        shutDown(timer);
        inFlight.values().forEach(response -> response.cancel(true));
        shutDown(senders);
        for (String id : claimed) {
            try {
                store.release(id);
            } catch (RuntimeException e) {
                log.warn("webhook delivery {} stays claimed until its claim runs out: {}", id, e.getClass().getSimpleName());
            }
        }
    }

    private void shutDown(ExecutorService executor) {
        if (executor == null) {
            return;
        }
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("webhook threads still running after {} ms", timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private void dispatchQuietly() {
        roundAsked.set(false);
        try {
            // no more claims than free senders: a claim never runs out while its delivery waits in a queue
            int free = SENDERS - claimed.size();
            if (free <= 0) {
                return;
            }
            Instant now = clock.instant();
            for (Delivery d : store.due(now, free)) {
                if (store.claim(d.id(), now, now.plus(timeout.multipliedBy(3)))) {
                    claimed.add(d.id());
                    senders.execute(() -> sendQuietly(d));
                }
            }
        } catch (RuntimeException e) {
            log.warn("webhook dispatch round failed: {}", e.getClass().getSimpleName());
        }
    }

    /** A sender is free: the next round now rather than at the next tick. */
    private void askForRound() {
        if (!stopping && roundAsked.compareAndSet(false, true)) {
            try {
                timer.execute(this::dispatchQuietly);
            } catch (RejectedExecutionException stopped) {
                // stop() has begun
            }
        }
    }

    private void sendQuietly(Delivery d) {
        boolean recorded = false;
        try {
            recorded = send(d);
        } catch (RuntimeException e) {
            log.warn("webhook delivery {} could not be recorded: {}", d.id(), e.getClass().getSimpleName());
        } finally {
            if (recorded || !stopping) {
                claimed.remove(d.id()); // unrecorded: its claim runs out and it is tried again
            }
            askForRound();
        }
    }

    /** One attempt, recorded; false if it was cut off by {@link #stop()} and so recorded nothing. */
    boolean send(Delivery d) {
        if (stopping) {
            return false;
        }
        Webhook webhook = store.find(d.webhookId()).orElse(null);
        if (webhook == null) {
            return true;
        }
        Instant started = clock.instant();
        Integer status = null;
        String error = null;
        CompletableFuture<HttpResponse<Void>> response = null;
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
            response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
            inFlight.put(d.id(), response);
            if (stopping) {
                response.cancel(true); // stop() may have looked before it was there
            }
            // the request timeout ends at the answer's headers; this also bounds a body that never ends
            status = response.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            error = "TimeoutException: no complete answer within " + timeout.multipliedBy(2).toSeconds() + " s";
        } catch (CancellationException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            error = describe(e.getCause());
        } catch (Exception e) {
            error = describe(e);
        } finally {
            inFlight.remove(d.id());
            if (response != null) {
                response.cancel(true);
            }
        }
        int latency = (int) Duration.between(started, clock.instant()).toMillis();
        Attempt attempt = new Attempt(d.id(), started, status, latency, error);
        if (status != null && status >= 200 && status < 300) {
            store.delivered(d, attempt);
            count("delivered", latency);
            return true;
        }
        if (stopping) {
            return false; // perhaps cut off by the stop: not the receiver's failure
        }
        int attempts = d.attempts() + 1;
        boolean giveUp = attempts >= maxAttempts;
        Duration backoff = firstBackoff.multipliedBy(1L << Math.min(attempts - 1, 16));
        store.failed(d, attempt, started.plus(backoff), giveUp, maxAttempts);
        count(giveUp ? "abandoned" : "failed", latency);
        log.info("webhook {} delivery {} failed (attempt {}): {}", d.webhookId(), d.id(), attempts,
                error != null ? error : "HTTP " + status);
        return true;
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

    /**
     * What went wrong, as a category (the exception's class, and its cause's): never the remote's
     * own text (a TLS alert, a server's banner), which would make deliveries an oracle for probing
     * hosts (issue 16, row 10). Refusals of roomgate's own URL check keep their message.
     */
    private static String describe(Throwable e) {
        if (e instanceof io.roomgate.edge.ApiException refused) {
            return "refused: " + refused.getMessage();
        }
        Throwable cause = e.getCause();
        return e.getClass().getSimpleName() + (cause != null && cause != e ? " (" + cause.getClass().getSimpleName() + ")" : "");
    }
}
