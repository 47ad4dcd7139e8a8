package io.roomgate.app.reliability;

import io.roomgate.app.Api;
import io.roomgate.app.RoomgateTest;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Found by {@link FuzzTest}: a member's id (chosen by the admin) and a meeting token's id (its
 * {@code jti}, chosen by whoever signs a token, or given to {@code revoke}) are both used as
 * aggregate identifiers in the one event store. When they coincide, the write on the second
 * aggregate loads the first one's events: a 500 instead of an answer.
 */
@RoomgateTest
@Disabled("known bug, reported to the lead: member ids and jtis share the event store's aggregate ids; both tests answer 500 today")
class AggregateIdCollisionTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void a_member_whose_id_is_a_revoked_jti_can_still_be_added() {
        Api api = new Api(port, jdbc);
        String id = Api.uniqueName("collide");
        Api.Answer revoke = api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"jti\":\"" + id + "\"}");
        assertThat(revoke.status()).as(revoke.raw()).isEqualTo(200);
        Api.Answer member = api.put("/v1/members/" + id, Api.ADMIN);
        assertThat(member.status()).as("PUT /v1/members/%s after revoking jti %s: %s", id, id, member.raw()).isEqualTo(200);
    }

    @Test
    void a_jti_that_is_a_member_id_can_still_be_revoked_and_the_member_stays() {
        Api api = new Api(port, jdbc);
        String id = Api.uniqueName("collide");
        assertThat(api.put("/v1/members/" + id, Api.ADMIN).status()).isEqualTo(200);
        Api.Answer revoke = api.post("/v1/meeting-tokens/revoke", Api.ADMIN, "{\"jti\":\"" + id + "\"}");
        assertThat(revoke.status()).as("revoke jti %s of member %s: %s", id, id, revoke.raw()).isEqualTo(200);
        assertThat(api.delete("/v1/members/" + id, Api.ADMIN).status()).isEqualTo(200);
    }
}
