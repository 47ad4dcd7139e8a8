package io.roomgate.query.audit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit log's beans; its controller is picked up by the query side's component scan. */
@Configuration
public class AuditConfiguration {

    @Bean
    public AuditLog auditLog(JdbcTemplate jdbc) {
        return new AuditLog(jdbc);
    }
}
