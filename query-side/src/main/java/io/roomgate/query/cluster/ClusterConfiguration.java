package io.roomgate.query.cluster;

import io.roomgate.query.view.JoinEligibilityProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;


/**
 * How query nodes share the view's work: segments are claimed through Axon's token store in
 * the shared database (under this node's id, see StoreConfiguration); a node that stops or
 * dies has its claims taken over once they time out, and the balancer hands surplus segments
 * to nodes that have none.
 */
@Configuration
public class ClusterConfiguration {

    @Bean(initMethod = "start", destroyMethod = "stop")
    public SegmentBalancer segmentBalancer(JdbcTemplate jdbc, EventProcessingConfiguration processing, String roomgateNodeId,
                                           io.roomgate.query.QuerySideProperties properties) {
        return new SegmentBalancer(jdbc, processing, JoinEligibilityProjection.GROUP, roomgateNodeId,
                properties.view().balanceInterval());
    }
}
