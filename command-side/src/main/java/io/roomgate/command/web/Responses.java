package io.roomgate.command.web;

import java.util.List;

/**
 * What the command API answers, one record per shape (issue 17: a typed edge, so the OpenAPI
 * document shows every answer). Component names are written in snake_case, as all of roomgate's
 * JSON (Daily's {@code ejectedIds} is the one exception, {@link Requests.Ejected}).
 */
public final class Responses {

    private Responses() {
    }

    /** A join reported by the join server, decided again on the command side and recorded. */
    public record JoinReport(String participantId, String roomName, String decision, String reason, boolean isOwner) {
    }

    public record LeaveReport(String participantId, boolean left) {
    }

    /** A knock filed; {@code status} is {@code pending}. */
    public record KnockFiled(String id, String status, String roomName) {
    }

    /** A knock approved, denied or withdrawn: its new {@code status}. */
    public record KnockDecided(String id, String status) {
    }

    public record MemberAdded(String userId, boolean member) {
    }

    public record MemberDeleted(String userId, boolean deleted) {
    }

    /** The token, returned once, to its issuer. */
    public record IssuedToken(String token) {
    }

    public record TokenRevoked(boolean revoked, String jti) {
    }

    /** Daily's answer to a room deletion. */
    public record RoomDeleted(boolean deleted, String name) {
    }

    public record BanLifted(String userId, boolean banned) {
    }

    /** A list in Daily's shape. */
    public record Listing<T>(int totalCount, List<T> data) {
    }
}
