package io.roomgate.command.room;

import io.roomgate.events.RoomProperties;

import java.util.Map;

/** Builds {@link RoomProperties} for tests: Daily's defaults unless said otherwise. */
public final class Props {

    private Long nbf;
    private Long exp;
    private Integer maxParticipants;
    private boolean enableKnocking;
    private boolean ejectAtRoomExp;
    private Long ejectAfterElapsed;
    private boolean enforceUniqueUserIds;
    private Map<String, Object> other = Map.of();

    private Props() {
    }

    public static Props props() {
        return new Props();
    }

    public Props nbf(Long nbf) {
        this.nbf = nbf;
        return this;
    }

    public Props exp(Long exp) {
        this.exp = exp;
        return this;
    }

    public Props maxParticipants(Integer maxParticipants) {
        this.maxParticipants = maxParticipants;
        return this;
    }

    public Props knocking() {
        this.enableKnocking = true;
        return this;
    }

    public Props ejectAtRoomExp() {
        this.ejectAtRoomExp = true;
        return this;
    }

    public Props ejectAfterElapsed(Long seconds) {
        this.ejectAfterElapsed = seconds;
        return this;
    }

    public Props uniqueUserIds() {
        this.enforceUniqueUserIds = true;
        return this;
    }

    public Props other(Map<String, Object> other) {
        this.other = other;
        return this;
    }

    public RoomProperties build() {
        return new RoomProperties(nbf, exp, maxParticipants, enableKnocking, ejectAtRoomExp,
                ejectAfterElapsed, enforceUniqueUserIds, other);
    }
}
