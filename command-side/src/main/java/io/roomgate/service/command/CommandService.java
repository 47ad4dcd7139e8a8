package io.roomgate.service.command;

import io.roomgate.command.CommandSideConfiguration;
import io.roomgate.store.StoreProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

/**
 * The command side as a service of its own (scale-out): any number of these share one
 * PostgreSQL; the event store's (aggregate, sequence) key arbitrates concurrent writes.
 */
@SpringBootApplication
@Import(CommandSideConfiguration.class)
public class CommandService {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(CommandService.class);
        application.setDefaultProperties(StoreProperties.serviceDefaults());
        application.run(args);
    }
}
