package io.roomgate.query.cluster;

import io.roomgate.query.view.JoinEligibilityProjection;
import org.axonframework.common.jpa.EntityManagerProvider;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventhandling.tokenstore.jpa.JpaTokenStore;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

/**
 * How query nodes share the view's work: segments are claimed through Axon's token store in
 * the shared database, under a node id unique to this process; a node that stops or dies has
 * its claims taken over once they time out, and the balancer hands surplus segments to nodes
 * that have none.
 */
@Configuration
public class ClusterConfiguration {

    @Bean
    public String roomgateNodeId(@Value("${roomgate.node-id:}") String configured) {
        return configured.isBlank()
                ? ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8)
                : configured;
    }

    @Bean
    public TokenStore tokenStore(EntityManagerProvider entityManagerProvider, Serializer serializer, String roomgateNodeId,
                                 @Value("${roomgate.view.claim-timeout:PT10S}") Duration claimTimeout) {
        return JpaTokenStore.builder()
                .entityManagerProvider(entityManagerProvider)
                .serializer(serializer)
                .nodeId(roomgateNodeId)
                .claimTimeout(claimTimeout)
                .build();
    }

    @Bean(initMethod = "start", destroyMethod = "stop")
    public SegmentBalancer segmentBalancer(JdbcTemplate jdbc, EventProcessingConfiguration processing, String roomgateNodeId,
                                           @Value("${roomgate.view.balance-interval:PT2S}") Duration interval) {
        return new SegmentBalancer(jdbc, processing, JoinEligibilityProjection.GROUP, roomgateNodeId, interval);
    }
}
