package io.roomgate.app;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The one way tests wait (issue 17): for a condition, within a limit, saying what they waited for; or for a time. */
public final class Waiting {

    private Waiting() {
    }

    /** Polls {@code condition} every 50 ms until it holds; fails naming {@code what} after {@code limit}. */
    public static void waitUntil(String what, Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + limit.toMillis() + " ms: " + what);
            }
            sleep(Duration.ofMillis(50));
        }
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting", e);
        }
    }
}
