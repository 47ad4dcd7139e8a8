package io.roomgate.command;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The last sequence number of an aggregate's stream in the store, read with the lookup that
 * preceded the command (in the same statement), sent along as the command's metadata under
 * {@link #KEY}: where other processes write, the caching repository checks a cached aggregate
 * against it instead of asking the store again (issue 18: one round trip fewer per join or leave
 * on PostgreSQL). Read after the request arrived, it is as fresh as the store's own answer would
 * be to a command that raced another node's: a cached aggregate it passes as current and that is
 * not still loses its append on the store's (aggregate, sequence) key.
 * <p>
 * It is taken once: a command retried after it lost such a race carries the same metadata, and
 * asks the store (the head it carries is older than the race it lost).
 */
public final class StoredHead {

    /** The command metadata key; never copied into events (only the caller's id and request id are). */
    public static final String KEY = "roomgate.stored-head";

    private final String aggregateId;
    private final long sequence;
    private final AtomicBoolean untaken = new AtomicBoolean(true);

    public StoredHead(String aggregateId, long sequence) {
        this.aggregateId = aggregateId;
        this.sequence = sequence;
    }

    /** The head, if it is that aggregate's and has not been taken before; empty otherwise. */
    public OptionalLong take(String aggregateIdentifier) {
        return aggregateId.equals(aggregateIdentifier) && untaken.compareAndSet(true, false)
                ? OptionalLong.of(sequence) : OptionalLong.empty();
    }

    @Override
    public String toString() {
        return "StoredHead[" + aggregateId + "@" + sequence + "]";
    }
}
