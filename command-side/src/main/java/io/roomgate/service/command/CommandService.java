package io.roomgate.service.command;

import io.roomgate.command.CommandSideConfiguration;
import io.roomgate.store.StoreProperties;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;

import java.util.Map;

/**
 * The command side as a service of its own (scale-out): any number of these share one
 * PostgreSQL; the event store's (aggregate, sequence) key arbitrates concurrent writes.
 */
@SpringBootApplication
@Import(CommandSideConfiguration.class)
public class CommandService {

    public static void main(String[] args) {
        SpringApplication application = new SpringApplication(CommandService.class);
        // no command here waits for a reader of the store: busy streams are read in paced fetches
        application.setDefaultProperties(Map.of("roomgate.event-store.busy-fetch-pause", StoreProperties.SERVICE_BUSY_FETCH_PAUSE));
        application.run(args);
    }
}
