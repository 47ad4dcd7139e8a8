package io.roomgate.command.webhook;

import com.fasterxml.jackson.annotation.JsonAlias;
import io.roomgate.command.webhook.WebhookStore.Webhook;
import io.roomgate.edge.ApiException;
import io.roomgate.edge.RequiresScope;
import io.roomgate.edge.Scope;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Webhooks: register, list, update, delete, and read the delivery log. The signing secret is
 * shown once, in the answer to the create.
 */
@RestController
@RequiresScope(Scope.ADMIN)
public class WebhookController {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final WebhookStore store;
    private final WebhookUrls urls;
    private final Clock clock;

    public WebhookController(WebhookStore store, WebhookUrls urls, Clock clock) {
        this.store = store;
        this.urls = urls;
        this.clock = clock;
    }

    record CreateWebhook(String url, @JsonAlias("eventTypes") List<String> eventTypes) {
    }

    /** A webhook as the API shows it; its signing {@code secret} only in the answer to its creation. */
    public record WebhookView(String id, String url, List<String> eventTypes, String state, int consecutiveFailures,
                              String lastError, String createdAt,
                              @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                              String secret) {
    }

    public record WebhookList(int totalCount, List<WebhookView> data) {
    }

    public record WebhookDeleted(boolean deleted, String id) {
    }

    /** One attempt to deliver: when, the receiver's status code (none if it never answered), how long, and the error's class. */
    public record DeliveryAttempt(String at, Integer statusCode, int latencyMs, String error) {
    }

    public record DeliveryView(String id, String type, long position, String status, int attempts, String createdAt,
                               String deliveredAt, String nextAttemptAt, List<DeliveryAttempt> log) {
    }

    public record DeliveryList(int totalCount, List<DeliveryView> data) {
    }

    record UpdateWebhook(String url, @JsonAlias("eventTypes") List<String> eventTypes, String state) {
    }

    @PostMapping("/v1/webhooks")
    public WebhookView create(@RequestBody CreateWebhook body) {
        urls.validate(body.url());
        Set<String> types = eventTypes(body.eventTypes());
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        Webhook webhook = new Webhook(UUID.randomUUID().toString(), body.url(), types,
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret), "active", 0, null, store.head(), clock.instant());
        store.create(webhook, clock.instant());
        return render(store.find(webhook.id()).orElseThrow(), webhook.secret());
    }

    @GetMapping("/v1/webhooks")
    public WebhookList list() {
        List<WebhookView> data = store.all().stream().map(w -> render(w, null)).toList();
        return new WebhookList(data.size(), data);
    }

    @GetMapping("/v1/webhooks/{id}")
    public WebhookView get(@PathVariable String id) {
        return render(find(id), null);
    }

    @PostMapping("/v1/webhooks/{id}")
    public WebhookView update(@PathVariable String id, @RequestBody UpdateWebhook body) {
        find(id);
        if (body.url() != null) {
            urls.validate(body.url());
        }
        if (body.state() != null && !body.state().equals("active")) {
            throw ApiException.invalidRequest("state can only be set to 'active' (to resume a failing webhook)");
        }
        store.update(id, body.url(), body.eventTypes() == null ? null : eventTypes(body.eventTypes()),
                "active".equals(body.state()), clock.instant());
        return render(find(id), null);
    }

    @DeleteMapping("/v1/webhooks/{id}")
    public WebhookDeleted delete(@PathVariable String id) {
        if (!store.delete(id)) {
            throw ApiException.notFound("webhook not found");
        }
        return new WebhookDeleted(true, id);
    }

    @GetMapping("/v1/webhooks/{id}/deliveries")
    public DeliveryList deliveries(@PathVariable String id, @RequestParam(required = false) Integer limit) {
        find(id);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw ApiException.invalidRequest("limit must be between 1 and 1000");
        }
        List<DeliveryView> data = store.deliveries(id, n).stream().map(d -> new DeliveryView(d.id(), d.eventType(), d.position(),
                d.status(), d.attempts(), d.createdAt().toString(), d.deliveredAt() == null ? null : d.deliveredAt().toString(),
                "pending".equals(d.status()) ? d.nextAttemptAt().toString() : null,
                store.attempts(d.id()).stream()
                        .map(a -> new DeliveryAttempt(a.attemptedAt().toString(), a.statusCode(), a.latencyMs(), a.error()))
                        .toList())).toList();
        return new DeliveryList(data.size(), data);
    }

    private Webhook find(String id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("webhook not found"));
    }

    private static Set<String> eventTypes(List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            throw ApiException.invalidRequest("event_types must name at least one event type");
        }
        Set<String> types = new LinkedHashSet<>();
        for (String t : requested) {
            if (t == null || WebhookEventType.of(t).isEmpty()) {
                throw ApiException.invalidRequest("unknown event type; known: waiting-participant.joined, "
                        + "waiting-participant.left, participant.joined, participant.left, room.deleted, meeting-token.revoked");
            }
            types.add(t);
        }
        return types;
    }

    private static WebhookView render(Webhook w, String secret) {
        return new WebhookView(w.id(), w.url(), List.copyOf(w.eventTypes()), w.state(), w.consecutiveFailures(), w.lastError(),
                w.createdAt().toString(), secret);
    }
}
