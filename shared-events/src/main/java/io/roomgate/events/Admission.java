package io.roomgate.events;

/**
 * The credential a participant was admitted with. Only identifiers, never a token string:
 * {@code tokenId} is the token's {@code jti} (or the SHA-256 of a self-signed token's text).
 */
public record Admission(AdmissionBasis basis, String tokenId, String knockId, String memberId) {

    public static Admission publicRoom() {
        return new Admission(AdmissionBasis.PUBLIC_ROOM, null, null, null);
    }

    public static Admission token(String tokenId) {
        return new Admission(AdmissionBasis.VALID_TOKEN, tokenId, null, null);
    }

    public static Admission member(String memberId) {
        return new Admission(AdmissionBasis.MEMBER, null, null, memberId);
    }

    public static Admission knock(String knockId) {
        return new Admission(AdmissionBasis.KNOCK_APPROVED, null, knockId, null);
    }
}
