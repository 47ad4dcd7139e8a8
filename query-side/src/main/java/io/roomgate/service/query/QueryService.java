package io.roomgate.service.query;

import io.roomgate.query.QuerySideConfiguration;
import io.roomgate.store.StoreProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The query side as a service of its own (scale-out): any number of these share the view's
 * processing segments through Axon's token claims in the shared PostgreSQL.
 */
@SpringBootApplication
@Import(QuerySideConfiguration.class)
public class QueryService {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(QueryService.class);
        application.setDefaultProperties(StoreProperties.serviceDefaults());
        application.run(args);
    }
}
