package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link ReadAfterWrite} on the embedded app: H2 here, PostgreSQL in the
 * {@code scenarios-on-postgresql} run.
 */
@RoomgateTest
class ReadAfterWriteIT extends ReadAfterWrite {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private Api api;

    @BeforeAll
    void connect() {
        api = new Api(port, jdbc);
    }

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
