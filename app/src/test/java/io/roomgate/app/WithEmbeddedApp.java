package io.roomgate.app;

import io.roomgate.app.join.Steps;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What a test of the embedded app ({@link RoomgateTest}) is handed: the API as a Daily customer
 * calls it, the join steps built on it, the app's database, and its port. A test class extends
 * this instead of declaring them again.
 */
public abstract class WithEmbeddedApp {

    @Autowired
    protected Api api;
    @Autowired
    protected Steps steps;
    @Autowired
    protected JdbcTemplate jdbc;
    @LocalServerPort
    protected int port;

    /**
     * The first requests of a fresh context are slow: a room created and joined once, so a test
     * whose timing matters (a room's {@code exp} a few seconds ahead) starts warm.
     */
    protected void warmUp() {
        String warmUp = Api.uniqueName("warm-up");
        io.roomgate.app.time.TimeTesting.roomId(api.createRoom("{\"name\":\"" + warmUp + "\"}"));
        io.roomgate.app.time.TimeTesting.joined(api, warmUp, "someone", null, null);
    }
}
