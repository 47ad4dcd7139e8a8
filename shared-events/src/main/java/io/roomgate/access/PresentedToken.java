package io.roomgate.access;

import io.roomgate.events.MeetingTokenClaims;

/**
 * What a join attempt's meeting token turned out to be after signature verification. The
 * decision, not the verifier, judges time and room, so a token can be judged "as at" any
 * instant.
 */
public sealed interface PresentedToken {

    /** No token given. */
    record None() implements PresentedToken {
    }

    /** Malformed, badly signed, of another algorithm or another domain. */
    record Invalid(String why) implements PresentedToken {
    }

    /** Signature and domain check out; {@code tokenId} is the {@code jti} or the SHA-256 of the text. */
    record Verified(String tokenId, MeetingTokenClaims claims) implements PresentedToken {
    }

    PresentedToken NONE = new None();
}
