package io.roomgate.command.room;

import io.roomgate.events.MeetingTokenClaims;

import java.util.List;
import java.util.Map;

/** Builds {@link MeetingTokenClaims} for tests: a plain token for one room unless said otherwise. */
public final class Claims {

    private String roomName;
    private Long exp;
    private Long nbf;
    private boolean owner;
    private String userName;
    private String userId;
    private boolean ejectAtTokenExp;
    private Long ejectAfterElapsed;
    private boolean knocking;
    private Map<String, Object> permissions = Map.of();

    private Claims(String roomName) {
        this.roomName = roomName;
    }

    public static Claims forRoom(String roomName) {
        return new Claims(roomName);
    }

    public static Claims forAllRooms() {
        return new Claims(null);
    }

    public Claims exp(Long exp) {
        this.exp = exp;
        return this;
    }

    public Claims nbf(Long nbf) {
        this.nbf = nbf;
        return this;
    }

    public Claims owner() {
        this.owner = true;
        return this;
    }

    public Claims userName(String userName) {
        this.userName = userName;
        return this;
    }

    public Claims userId(String userId) {
        this.userId = userId;
        return this;
    }

    public Claims ejectAtTokenExp() {
        this.ejectAtTokenExp = true;
        return this;
    }

    public Claims ejectAfterElapsed(Long seconds) {
        this.ejectAfterElapsed = seconds;
        return this;
    }

    public Claims knocking() {
        this.knocking = true;
        return this;
    }

    public Claims canAdmin(String... rights) {
        this.permissions = Map.of("canAdmin", List.of(rights));
        return this;
    }

    public MeetingTokenClaims build() {
        return new MeetingTokenClaims(roomName, exp, nbf, owner, userName, userId, ejectAtTokenExp,
                ejectAfterElapsed, knocking, permissions, Map.of());
    }
}
