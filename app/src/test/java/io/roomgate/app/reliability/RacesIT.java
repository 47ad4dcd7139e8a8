package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.app.postgres.ScenariosOnPostgres;
import org.springframework.beans.factory.annotation.Autowired;

/** The {@link Races} on the embedded app: one process, H2 (or PostgreSQL in the scenarios-on-postgresql run). */
@RoomgateTest
class RacesIT extends Races {

    @Autowired
    Api api;

    @Override
    Apps apps() {
        return new Apps.OneApp(api);
    }

    @Override
    String part() {
        return ScenariosOnPostgres.active() ? "races on PostgreSQL" : "races";
    }
}
