package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link ReadAfterWrite} on the embedded app: H2 here, PostgreSQL in the
 * {@code scenarios-on-postgresql} run.
 */
@RoomgateTest
class ReadAfterWriteIT extends ReadAfterWrite {

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
        return "postgres".equals(System.getProperty("roomgate.test.database")) ? "read after write on PostgreSQL" : "read after write";
    }

    @Override
    String topology() {
        return "postgres".equals(System.getProperty("roomgate.test.database")) ? "embedded app, PostgreSQL" : "embedded app, H2";
    }
}
