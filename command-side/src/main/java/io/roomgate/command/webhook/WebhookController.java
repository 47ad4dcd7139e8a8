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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    record UpdateWebhook(String url, @JsonAlias("eventTypes") List<String> eventTypes, String state) {
    }

    @PostMapping("/v1/webhooks")
    public Map<String, Object> create(@RequestBody CreateWebhook body) {
        urls.validate(body.url());
        Set<String> types = eventTypes(body.eventTypes());
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        Webhook webhook = new Webhook(UUID.randomUUID().toString(), body.url(), types,
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret), "active", 0, null, store.head(), clock.instant());
        store.create(webhook, clock.instant());
        Map<String, Object> answer = render(store.find(webhook.id()).orElseThrow());
        answer.put("secret", webhook.secret());
        return answer;
    }

    @GetMapping("/v1/webhooks")
    public Map<String, Object> list() {
        List<Map<String, Object>> data = store.all().stream().map(WebhookController::render).toList();
        return Map.of("total_count", data.size(), "data", data);
    }

    @GetMapping("/v1/webhooks/{id}")
    public Map<String, Object> get(@PathVariable String id) {
        return render(find(id));
    }

    @PostMapping("/v1/webhooks/{id}")
    public Map<String, Object> update(@PathVariable String id, @RequestBody UpdateWebhook body) {
        find(id);
        if (body.url() != null) {
            urls.validate(body.url());
        }
        if (body.state() != null && !body.state().equals("active")) {
            throw ApiException.invalidRequest("state can only be set to 'active' (to resume a failing webhook)");
        }
        store.update(id, body.url(), body.eventTypes() == null ? null : eventTypes(body.eventTypes()),
                "active".equals(body.state()), clock.instant());
        return render(find(id));
    }

    @DeleteMapping("/v1/webhooks/{id}")
    public Map<String, Object> delete(@PathVariable String id) {
        if (!store.delete(id)) {
            throw ApiException.notFound("webhook not found");
        }
        return Map.of("deleted", true, "id", id);
    }

    @GetMapping("/v1/webhooks/{id}/deliveries")
    public Map<String, Object> deliveries(@PathVariable String id, @RequestParam(required = false) Integer limit) {
        find(id);
        int n = limit == null ? 100 : limit;
        if (n < 1 || n > 1000) {
            throw ApiException.invalidRequest("limit must be between 1 and 1000");
        }
        List<Map<String, Object>> data = store.deliveries(id, n).stream().map(d -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", d.id());
            m.put("type", d.eventType());
            m.put("position", d.position());
            m.put("status", d.status());
            m.put("attempts", d.attempts());
            m.put("created_at", d.createdAt().toString());
            m.put("delivered_at", d.deliveredAt() == null ? null : d.deliveredAt().toString());
            m.put("next_attempt_at", "pending".equals(d.status()) ? d.nextAttemptAt().toString() : null);
            m.put("log", store.attempts(d.id()).stream().map(a -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("at", a.attemptedAt().toString());
                entry.put("status_code", a.statusCode());
                entry.put("latency_ms", a.latencyMs());
                entry.put("error", a.error());
                return entry;
            }).toList());
            return m;
        }).toList();
        return Map.of("total_count", data.size(), "data", data);
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

    private static Map<String, Object> render(Webhook w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", w.id());
        m.put("url", w.url());
        m.put("event_types", List.copyOf(w.eventTypes()));
        m.put("state", w.state());
        m.put("consecutive_failures", w.consecutiveFailures());
        m.put("last_error", w.lastError());
        m.put("created_at", w.createdAt().toString());
        return m;
    }
}
