package io.roomgate.edge;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The id given to a request that brings none: a well-formed random UUID, never the same twice. */
class RequestIdTest {

    @Test
    void is_a_version_4_uuid_of_the_ietf_variant_and_unique_over_100000_draws() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            String id = ApiKeyInterceptor.newRequestId();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id).matches("[0-9a-f-]{36}");
            assertThat(seen.add(id)).as("drawn twice: %s", id).isTrue();
        }
    }
}
