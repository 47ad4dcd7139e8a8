package io.roomgate.command.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.roomgate.events.KnockApproved;
import io.roomgate.events.KnockDenied;
import io.roomgate.events.KnockExpired;
import io.roomgate.events.KnockRequested;
import io.roomgate.events.KnockWithdrawn;
import io.roomgate.events.ParticipantEjected;
import io.roomgate.events.ParticipantJoined;
import io.roomgate.events.ParticipantLeft;
import io.roomgate.events.RoomDeleted;
import io.roomgate.events.TokenRevoked;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.Timestamp;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns events into queued notifications, in its own processing group: the outbox rows are
 * written in the same transaction as the processor's token, so each event is queued once,
 * whatever crashes. Sending is the dispatcher's job, so a slow receiver never holds this up.
 */
@ProcessingGroup(WebhookNotifications.GROUP)
public class WebhookNotifications {

    public static final String GROUP = "webhooks";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WebhookStore store;
    private final Clock clock;

    public WebhookNotifications(WebhookStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @EventHandler
    void on(KnockRequested e, TrackingToken token, @Timestamp Instant at) {
        queue(WebhookEventType.WAITING_PARTICIPANT_JOINED, e.roomId(), token, at,
                Map.of("room", e.name(), "knock_id", e.knockId(), "user_name", e.userName(), "expires_at", e.expiresAt().toString()));
    }

    @EventHandler
    void on(KnockApproved e, TrackingToken token, @Timestamp Instant at) {
        knockLeft(e.roomId(), e.name(), e.knockId(), "approved", token, at);
    }

    @EventHandler
    void on(KnockDenied e, TrackingToken token, @Timestamp Instant at) {
        knockLeft(e.roomId(), e.name(), e.knockId(), "denied", token, at);
    }

    @EventHandler
    void on(KnockWithdrawn e, TrackingToken token, @Timestamp Instant at) {
        knockLeft(e.roomId(), e.name(), e.knockId(), "withdrawn", token, at);
    }

    @EventHandler
    void on(KnockExpired e, TrackingToken token, @Timestamp Instant at) {
        knockLeft(e.roomId(), e.name(), e.knockId(), "expired", token, at);
    }

    private void knockLeft(String roomId, String room, String knockId, String outcome, TrackingToken token, Instant at) {
        queue(WebhookEventType.WAITING_PARTICIPANT_LEFT, roomId, token, at,
                Map.of("room", room, "knock_id", knockId, "outcome", outcome));
    }

    @EventHandler
    void on(ParticipantJoined e, TrackingToken token, @Timestamp Instant at) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("room", e.name());
        p.put("participant_id", e.participantId());
        p.put("user_id", e.userId());
        p.put("user_name", e.userName());
        p.put("owner", e.owner());
        p.put("admission", e.admission().basis().wireName());
        queue(WebhookEventType.PARTICIPANT_JOINED, e.roomId(), token, at, p);
    }

    @EventHandler
    void on(ParticipantLeft e, TrackingToken token, @Timestamp Instant at) {
        queue(WebhookEventType.PARTICIPANT_LEFT, e.roomId(), token, at,
                Map.of("room", e.name(), "participant_id", e.participantId(), "reason", "left"));
    }

    @EventHandler
    void on(ParticipantEjected e, TrackingToken token, @Timestamp Instant at) {
        queue(WebhookEventType.PARTICIPANT_LEFT, e.roomId(), token, at,
                Map.of("room", e.name(), "participant_id", e.participantId(), "reason", "ejected",
                        "ejection_cause", e.cause().wireName()));
    }

    @EventHandler
    void on(RoomDeleted e, TrackingToken token, @Timestamp Instant at) {
        queue(WebhookEventType.ROOM_DELETED, e.roomId(), token, at, Map.of("room", e.name(), "cause", e.cause().wireName()));
    }

    @EventHandler
    void on(TokenRevoked e, TrackingToken token, @Timestamp Instant at) {
        queue(WebhookEventType.MEETING_TOKEN_REVOKED, e.tokenId(), token, at, Map.of("jti", e.tokenId()));
    }

    private void queue(WebhookEventType type, String roomKey, TrackingToken token, Instant at, Map<String, Object> payload) {
        long position = token.position().orElseThrow(() -> new IllegalStateException("an event without a position"));
        store.enqueue(webhooks(), type, roomKey, position, deliveryId -> body(deliveryId, type, at, payload), clock.instant());
    }

    private static final String WEBHOOKS = WebhookNotifications.class.getName() + ".webhooks";

    /**
     * The webhooks, read once per batch of events. Every event of a batch was committed before the
     * batch began, so a webhook created before an event's commit is in the list.
     */
    private List<WebhookStore.Webhook> webhooks() {
        if (!CurrentUnitOfWork.isStarted()) {
            return store.notifiable();
        }
        return CurrentUnitOfWork.get().root().getOrComputeResource(WEBHOOKS, key -> store.notifiable());
    }

    /** Daily's webhook body: version, type, id (deduplicate on it), payload, event_ts. */
    private static String body(String deliveryId, WebhookEventType type, Instant at, Map<String, Object> payload) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", "1.0.0");
        body.put("type", type.wireName());
        body.put("id", deliveryId);
        body.put("payload", payload);
        body.put("event_ts", at.getEpochSecond());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
