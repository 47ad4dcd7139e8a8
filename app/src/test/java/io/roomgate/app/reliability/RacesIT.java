package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import io.roomgate.app.postgres.ScenariosOnPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The {@link Races} on the embedded app: one process, H2 (or PostgreSQL in the scenarios-on-postgresql run). */
@RoomgateTest
class RacesIT extends Races {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    Api api;

    @Override
    Api writer(int i) {
        return api;
    }

    @Override
    Api reader(int i) {
        return api;
    }

    @Override
    String part() {
        return ScenariosOnPostgres.active() ? "races on PostgreSQL" : "races";
    }

    @Override
    String topology() {
        return "embedded app, " + ScenariosOnPostgres.databaseName();
    }
}
