package io.roomgate.command;

/**
 * The last sequence number of an aggregate's stream in the store, read with the lookup that
 * preceded the command (in the same statement), sent along as the command's metadata under
 * {@link #KEY}: where other processes write, the caching repository checks a cached aggregate
 * against it instead of asking the store again (issue 18: one round trip fewer per join or leave
 * on PostgreSQL). Read after the request arrived, it is as fresh as the store's own answer would
 * be to a command that raced another node's: a cached aggregate it admits as current and that is
 * not still loses its append on the store's (aggregate, sequence) key.
 */
public record StoredHead(String aggregateId, long sequence) {

    /** The command metadata key; never copied into events (only the caller's id and request id are). */
    public static final String KEY = "roomgate.stored-head";
}
