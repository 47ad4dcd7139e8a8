package io.roomgate.access;

/** The outcome of the join decision. {@code owner} is true only for an allow by an owner's token. */
public record Verdict(Decision decision, Reason reason, boolean owner) {

    static Verdict allow(Reason reason) {
        return new Verdict(Decision.ALLOW, reason, false);
    }

    static Verdict allowOwner(boolean owner) {
        return new Verdict(Decision.ALLOW, Reason.VALID_TOKEN, owner);
    }

    static Verdict deny(Reason reason) {
        return new Verdict(Decision.DENY, reason, false);
    }

    public boolean allowed() {
        return decision == Decision.ALLOW;
    }
}
