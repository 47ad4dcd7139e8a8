package io.roomgate.store;

import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The global positions of the events this process has appended to the store: the newest one
 * committed, and the newest one the current thread appended. Told by the storage engine
 * ({@link SnapshotAwareStorageEngine}) as it appends; the committed head moves once the
 * transaction has committed, before the command that appended is acknowledged.
 * <p>
 * On a store only this process writes (the embedded app on H2, whose file no other process can
 * open), the committed head is the store's head: a read at the default consistency level takes
 * it from here instead of asking the database. {@link #committedHead} starts from the store's
 * head as it was when first asked.
 */
public final class LocalCommits {

    private final AtomicLong committed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong acknowledged = new AtomicLong(Long.MIN_VALUE);
    private final ThreadLocal<long[]> appendedOnThread = ThreadLocal.withInitial(() -> new long[]{-1});
    private final LongSupplier storeHead;

    /** @param storeHead reads the store's newest global position (-1 for an empty store) */
    public LocalCommits(LongSupplier storeHead) {
        this.storeHead = storeHead;
    }

    /** Called in the appending transaction with the newest global position it appended. */
    public void appended(long position) {
        long[] mine = appendedOnThread.get();
        mine[0] = Math.max(mine[0], position);
        Runnable committedNow = () -> committed.accumulateAndGet(position, Math::max);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committedNow.run();
                }
            });
        } else if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> committedNow.run());
        } else {
            committedNow.run();
        }
    }

    /** The newest global position committed by this process, or the store's head when that is newer. */
    public long committedHead() {
        long known = committed.get();
        if (known == Long.MIN_VALUE) {
            known = committed.accumulateAndGet(storeHead.getAsLong(), Math::max);
        }
        return known;
    }

    /**
     * A command whose events reach up to {@code position} is about to be acknowledged (its
     * response sent). Where the view runs in this process and a command is acknowledged once the
     * view has applied it, reads need be no fresher than this: a write committed but not yet
     * acknowledged is one no client can have seen answered.
     */
    public void acknowledged(long position) {
        acknowledgedHead();
        acknowledged.accumulateAndGet(position, Math::max);
    }

    /** The newest global position of a command acknowledged by this process, or the store's head when first asked. */
    public long acknowledgedHead() {
        long known = acknowledged.get();
        if (known == Long.MIN_VALUE) {
            known = acknowledged.accumulateAndGet(storeHead.getAsLong(), Math::max);
        }
        return known;
    }

    /** Forgets what this thread appended: call before sending a command. */
    public void startOnThisThread() {
        appendedOnThread.get()[0] = -1;
    }

    /** The newest global position this thread appended since {@link #startOnThisThread}, or -1. */
    public long appendedOnThisThread() {
        return appendedOnThread.get()[0];
    }
}
