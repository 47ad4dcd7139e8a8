package io.roomgate.store;

/**
 * Where the join-eligibility view runs in the same process as the command side (the embedded
 * app), a command is acknowledged once the view has applied its events: the write is visible
 * when it is acknowledged, and a read after it waits for nothing.
 */
public interface WriteVisibility {

    /**
     * Returns once this process's view has applied every event stored up to {@code position}, or
     * after a short bound (the write is durable either way; reads then wait on their own).
     */
    void awaitVisible(long position);
}
