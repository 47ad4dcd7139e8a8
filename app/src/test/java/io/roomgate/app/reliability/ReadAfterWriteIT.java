package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.app.postgres.ScenariosOnPostgres;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link ReadAfterWrite} on the embedded app: H2 here, PostgreSQL in the
 * {@code scenarios-on-postgresql} run.
 */
@RoomgateTest
class ReadAfterWriteIT extends ReadAfterWrite {

    @Autowired
    Api api;

    @Override
    Apps apps() {
        return new Apps.OneApp(api);
    }

    @Override
    String part() {
        return ScenariosOnPostgres.active() ? "read after write on PostgreSQL" : "read after write";
    }
}
