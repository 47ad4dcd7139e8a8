package io.roomgate.edge;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EdgePropertiesTest {

    private static EdgeProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("roomgate", EdgeProperties.class);
    }

    @Test
    void unset_settings_take_daily_s_documented_limits() {
        EdgeProperties edge = bind(Map.of());
        assertThat(edge.rateLimits().enabled()).isTrue();
        assertThat(edge.rateLimits().api().limit()).isEqualTo(new RateLimits.Limit(20, 100));
        assertThat(edge.rateLimits().roomDelete().limit()).isEqualTo(new RateLimits.Limit(2, 50));
        assertThat(edge.rateLimits().join().limit()).isEqualTo(new RateLimits.Limit(20_000, 40_000));
        assertThat(edge.rateLimits().failedAuthentication().limit()).isEqualTo(new RateLimits.Limit(1, 20));
        assertThat(edge.http().bodyTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(edge.http().maxRequestsPerAddress()).isEqualTo(100);
    }

    @Test
    void half_a_bucket_set_keeps_the_other_half_s_default() {
        EdgeProperties edge = bind(Map.of("roomgate.rate-limits.room-delete.burst", "5",
                "roomgate.rate-limits.api.per-second", "7", "roomgate.room-url-base", "https://calls.example.test/"));
        assertThat(edge.rateLimits().roomDelete().limit()).isEqualTo(new RateLimits.Limit(2, 5));
        assertThat(edge.rateLimits().api().limit()).isEqualTo(new RateLimits.Limit(7, 100));
        assertThat(edge.roomUrlBase()).isEqualTo("https://calls.example.test/");
    }

    @Test
    void a_malformed_value_fails_the_start_naming_the_property() {
        assertThatThrownBy(() -> bind(Map.of("roomgate.http.body-timeout", "ten seconds")))
                .hasMessageContaining("roomgate.http.body-timeout");
    }
}
