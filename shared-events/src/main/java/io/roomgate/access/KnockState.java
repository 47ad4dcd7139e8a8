package io.roomgate.access;

/** Where a knock stands. */
public enum KnockState {
    PENDING, APPROVED, DENIED, EXPIRED, WITHDRAWN,
    /** Approved, and the approval has admitted the knocker: it admits once. */
    USED
}
