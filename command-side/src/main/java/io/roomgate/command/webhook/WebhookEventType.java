package io.roomgate.command.webhook;

import java.util.Arrays;
import java.util.Optional;

/** The notifications a webhook can subscribe to (Daily's names where Daily has one). */
public enum WebhookEventType {
    WAITING_PARTICIPANT_JOINED("waiting-participant.joined"),
    WAITING_PARTICIPANT_LEFT("waiting-participant.left"),
    PARTICIPANT_JOINED("participant.joined"),
    PARTICIPANT_LEFT("participant.left"),
    ROOM_DELETED("room.deleted"),
    MEETING_TOKEN_REVOKED("meeting-token.revoked");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<WebhookEventType> of(String wireName) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(wireName)).findFirst();
    }
}
