package io.roomgate.query;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuerySidePropertiesTest {

    private static QuerySideProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("roomgate", QuerySideProperties.class);
    }

    @Test
    void unset_settings_take_the_documented_defaults() {
        QuerySideProperties q = bind(Map.of());
        assertThat(q.consistency().maxWait()).isEqualTo(Duration.ofSeconds(2));
        assertThat(q.consistency().storeHead()).isEqualTo(QuerySideProperties.StoreHead.AUTO);
        assertThat(q.view().segments()).isEqualTo(2);
        assertThat(q.view().pollInterval()).isEqualTo(Duration.ofMillis(10));
        assertThat(q.knockFeeds().maxPerRoom()).isEqualTo(50);
        assertThat(q.replay().batchSize()).isEqualTo(500);
        assertThat(q.audit().exportTimeout()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void the_store_head_is_one_of_three_words_in_any_case() {
        assertThat(bind(Map.of("roomgate.consistency.store-head", "query")).consistency().storeHead())
                .isEqualTo(QuerySideProperties.StoreHead.QUERY);
        assertThatThrownBy(() -> bind(Map.of("roomgate.consistency.store-head", "remote")))
                .hasMessageContaining("roomgate.consistency.store-head");
    }
}
