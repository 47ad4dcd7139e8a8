package io.roomgate.app.time;

import io.roomgate.app.RoomgateTestWith;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A whole roomgate, like {@code @RoomgateTest}, on its own in-memory database, with knock
 * timeouts of seconds instead of minutes: a pending knock lapses after 3 s, an approval admits
 * for 2 s. Classes with this annotation share one context; they may pause its db-scheduler.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@RoomgateTestWith({"spring.datasource.url=jdbc:h2:mem:roomgate-time-test;DB_CLOSE_DELAY=-1",
        "roomgate.knocks.pending-timeout=PT3S",
        "roomgate.knocks.approval-window=PT2S"})
@interface ShortTimeoutsTest {
}
